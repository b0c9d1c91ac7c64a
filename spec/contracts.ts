/**
 * The contracts' structs on the TypeScript side: the field lists, each written once, in the order of the Solidity
 * struct (which is the ABI tuple order and, for `ModelParams`, the field index in the oracle's bounds errors).
 * test/spec/contracts.test.ts reads the interfaces in contracts/interfaces/ and checks every list against them.
 *
 * The default model parameters and keeper bounds live here too, once: the deploy code (scripts/guard), the replica
 * and replay installers and the test fixtures (test/contracts/fixtures.ts, test/ops/helpers.ts) take them from here.
 */
import { SECONDS_PER_DAY } from "./units";

/** `ICollateralRiskOracle.ModelParams`: keeper-pushed model parameters of one asset (all bps, uint16). */
export const MODEL_PARAMS_FIELDS = [
  "tripDiscountBps",
  "stressDiscountBps",
  "navDropHaircutMultiplierBps",
  "knot0DiscountBps",
  "knot0HaircutBps",
  "knot1DiscountBps",
  "knot1HaircutBps",
  "knot2DiscountBps",
  "knot2HaircutBps",
  "knot3DiscountBps",
  "knot3HaircutBps",
] as const;
export type ModelParamsField = (typeof MODEL_PARAMS_FIELDS)[number];
/** One asset's model parameters, every field in bps. */
export type ModelParams = Record<ModelParamsField, number>;
/** `ICollateralRiskOracle.ModelParamsBounds`: what the keeper may push (per-field range and step, minimum delay). */
export interface ModelParamsBounds {
  min: ModelParams;
  max: ModelParams;
  maxStep: ModelParams;
  minDelaySeconds: number;
}

/**
 * Default model params (ours): STRESSED at a 2.5% discount, trip at 3% (the params file schema requires
 * stress <= trip), haircut curve 0.5% -> 0, 2% -> 1.5%, 5% -> 6%, 15% -> 25%.
 */
export const DEFAULT_MODEL_PARAMS: Readonly<ModelParams> = Object.freeze({
  tripDiscountBps: 300,
  stressDiscountBps: 250,
  navDropHaircutMultiplierBps: 10_000,
  knot0DiscountBps: 50,
  knot0HaircutBps: 0,
  knot1DiscountBps: 200,
  knot1HaircutBps: 150,
  knot2DiscountBps: 500,
  knot2HaircutBps: 600,
  knot3DiscountBps: 1500,
  knot3HaircutBps: 2500,
});

/** Every `ModelParams` field set to `v`. */
export function uniformModelParams(v: number): ModelParams {
  return Object.fromEntries(MODEL_PARAMS_FIELDS.map((f) => [f, v])) as ModelParams;
}

/** Default keeper bounds (ours): any value in [0, 100%] (multiplier up to 3x), at most 1% per field per update, one update a day. */
export const DEFAULT_MODEL_PARAMS_BOUNDS: Readonly<ModelParamsBounds> = Object.freeze({
  min: uniformModelParams(0),
  max: { ...uniformModelParams(10_000), navDropHaircutMultiplierBps: 30_000 },
  maxStep: uniformModelParams(100),
  minDelaySeconds: SECONDS_PER_DAY,
});

/** `ICollateralRiskOracle.AssetConfig`: the oracle's per-asset configuration (a governance call). */
export const ASSET_CONFIG_FIELDS = [
  "marketFeed",
  "marketHeartbeatSeconds",
  "emaHalfLifeSeconds",
  "navHighWindowSeconds",
  "rateAdapter",
  "navDropToleranceBps",
  "backingShortfallToleranceBps",
  "elevatedDiscountBps",
  "hysteresisBps",
  "backingFeed",
  "backingHeartbeatSeconds",
  "minRateWad",
  "maxRateWad",
] as const;
export type AssetConfigField = (typeof ASSET_CONFIG_FIELDS)[number];

/** `IWideningHaircutModule.HaircutConfig`: the haircut module's per-asset configuration (a governance call). */
export const HAIRCUT_CONFIG_FIELDS = [
  "baseLtvBps",
  "baseLtBps",
  "liquidationBonusBps",
  "floorLtvBps",
  "floorLtBps",
  "eModeCategoryId",
  "eModeBaseLtvBps",
  "eModeBaseLtBps",
  "eModeLiquidationBonusBps",
  "eModeFloorLtvBps",
  "eModeFloorLtBps",
  "ltRampBpsPerHour",
  "recoveryBandBps",
  "recoveryBpsPerHour",
  "recoveryCooldownSeconds",
  "freezeOnImpaired",
] as const;
export type HaircutConfigField = (typeof HAIRCUT_CONFIG_FIELDS)[number];

/** `ILiquidationPauseGuard.GuardConfig`: the liquidation guard's per-asset caps (a governance call). */
export const GUARD_CONFIG_FIELDS = [
  "maxPauseSeconds",
  "cooldownSeconds",
  "windowSeconds",
  "maxPausedSecondsPerWindow",
  "postPauseGraceSeconds",
  "enabled",
  "pricing",
  "pricingReference",
] as const;
export type GuardConfigField = (typeof GUARD_CONFIG_FIELDS)[number];
