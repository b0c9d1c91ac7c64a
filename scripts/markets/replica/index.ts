/** Local Aave v3.0.2 replica: market file, deploy, DEX pools, seeded population. */
export * from "./marketFile";
export * from "./deployReplicaMarket";
export * from "./population";
export { constantProductReserveEth, stableSwapBalanceEth, stableSwapD, stableSwapSpot, stableSwapY } from "../../../spec/dexMath";
