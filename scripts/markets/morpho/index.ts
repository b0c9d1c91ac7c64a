/** Morpho Blue replica: market file, deploy, positions; the risk-aware oracle's deploy lives in scripts/guard. */
export * from "./marketFile";
export * from "./deploy";
