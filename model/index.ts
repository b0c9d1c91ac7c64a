/**
 * Public entry points of the cascade model (pure TypeScript; no Hardhat, ethers or chain imports).
 *
 *   simulateCascade({ ecosystem, paths, seed })  -> SimulationOutput (`cascade-guard/simulation@1`)
 *   computeParams({ ecosystem, policy })         -> ParamsFile (`cascade-guard/params@1`)
 *   loadEcosystem(file) / validateEcosystem(obj, file), loadPolicy(file), loadParamsFile(file)
 *   generateEcosystem({ seed, lrts, operators, avss, positions }) for synthetic ecosystems
 */
export { MODEL_VERSION } from "./version";
export { simulateCascade, simulateAccumulator, BLOCK_PATHS, type SimulateRequest, type EngineName } from "./simulate";
export type { SimulationOutput, Histogram, FracDistribution, CascadeCurvePoint } from "./output";
export { SIMULATION_SCHEMA_ID } from "./output";
export type { TailMetrics } from "./stats";
export { loadEcosystem, validateEcosystem, EcosystemInputError, ECOSYSTEM_SCHEMA_ID, type Ecosystem, type EcosystemInput } from "./ecosystem/schema";
export { generateEcosystem, PRESETS, type GenerateRequest } from "./ecosystem/generate";
export { exposureTables, type EcosystemExposure, type LrtExposure } from "./exposure";
export * from "./robustness";
export { loopLeverage, liquidationBreakEvenDrop, queueDiscount, dexReserveEth, dexPriceFactor } from "./core";
export { hashCanonical, canonicalJson } from "./hash";
export * from "./params";
export { MarketStepper, MARKET_STEP_HOURS, MARKET_STEPS, absorbedAt, discountFor } from "./market";
