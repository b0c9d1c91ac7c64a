/** Deploy and install Cascade Guard (network-agnostic), plus replica helpers. */
export * from "./deploy";
export * from "./fromReplica";
export * from "./riskAwareOracle";
export * from "./graceAdapter";
export * from "./pricing";
