/**
 * The ground floor: definitions every other part imports and nothing here imports back. Pure TypeScript: no ethers,
 * no Hardhat, no chain; only node built-ins and pure npm libraries (zod, cli-table3). test/spec/layers.test.ts
 * enforces it.
 */
export * from "./errors";
export * from "./formats";
export * from "./random";
export * from "./stats";
export * from "./table";
export * from "./units";
export * from "./contracts";
export * from "./format";
export * from "./dexMath";
