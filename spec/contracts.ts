/**
 * The contracts' structs on the TypeScript side: the field lists, each written once, in the order of the Solidity
 * struct (which is the ABI tuple order and, for `ModelParams`, the field index in the oracle's bounds errors).
 * test/spec/contracts.test.ts reads the interfaces in contracts/interfaces/ and checks every list against them.
 *
 * Default parameters and their bounds join this file once the deploy code and the test fixtures take them from
 * here (docs/ARCHITECTURE.md, issue 12 item 1).
 */

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
