export * from "./schema";
export * from "./policy";
export { computeParams, type ComputeParamsRequest } from "./engine";
