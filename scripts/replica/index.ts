/** Local Aave v3.0.2 replica: market file, deploy, DEX pools, seeded population. */
export * from "./market";
export * from "./deployReplicaMarket";
export * from "./population";
export * from "./dexMath";
