/** Morpho Blue replica: market file, deploy, positions; the risk-aware oracle's deploy lives in scripts/cascade. */
export * from "./markets";
export * from "./deploy";
