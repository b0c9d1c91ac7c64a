/**
 * `IWideningHaircutModule.HaircutConfig` on the TypeScript side and the rules `configureAsset` enforces
 * (governance call: the module takes its state from the values on-chain and writes nothing into Aave; a haircut in
 * force stays in force and recovers to the new base, never above a value governance set on-chain).
 *
 * Rules (the module's validation, which itself respects Aave v3.0.2's `PoolConfigurator` checks):
 *   - 1 <= floorLtv <= baseLtv, floorLt <= baseLt                 (LTV 0 locks users' other collateral on Aave)
 *   - baseLtv <= baseLt, floorLtv <= floorLt                      (Aave: ltv <= liquidationThreshold)
 *   - liquidationBonus > 10_000 and baseLt * liquidationBonus <= 100%, rounded like Aave's percentMul (half up)
 *   - the same for the eMode category when eModeCategoryId != 0, and baseLt <= eModeBaseLt
 *   - all bps fields <= 10_000 (except the bonus, Aave encoding 1e4 + bonus)
 */
import { BoundViolation, violation, UINT16_MAX, BPS } from "./modelParams";
import { HAIRCUT_CONFIG_FIELDS } from "./contracts";

/** The struct's field order: spec/contracts.ts, the one list, which a test checks against the Solidity interface. */
export { HAIRCUT_CONFIG_FIELDS };
export type HaircutConfigField = (typeof HAIRCUT_CONFIG_FIELDS)[number];
export type HaircutConfig = { [K in HaircutConfigField]: K extends "freezeOnImpaired" ? boolean : number };

export function haircutConfigFromStruct(s: unknown): HaircutConfig {
  const rec = s as Record<string, unknown> & unknown[];
  const out: Record<string, number | boolean> = {};
  HAIRCUT_CONFIG_FIELDS.forEach((f, i) => {
    const v = rec[f] ?? rec[i];
    out[f] = f === "freezeOnImpaired" ? Boolean(v) : Number(v as bigint | number);
  });
  return out as HaircutConfig;
}

export function haircutConfigToStruct(c: HaircutConfig): (number | boolean)[] {
  return HAIRCUT_CONFIG_FIELDS.map((f) => c[f]);
}

export function haircutConfigEqual(a: HaircutConfig, b: HaircutConfig): boolean {
  return HAIRCUT_CONFIG_FIELDS.every((f) => a[f] === b[f]);
}

/** Aave's PercentageMath.percentMul: (value * percentage + HALF_PERCENTAGE_FACTOR) / PERCENTAGE_FACTOR. */
export function percentMulHalfUp(value: number, percentageBps: number): number {
  return Math.floor((value * percentageBps + BPS / 2) / BPS);
}

export function checkHaircutConfig(asset: string, c: HaircutConfig, contract = "WideningHaircutModule"): BoundViolation[] {
  const out: BoundViolation[] = [];
  const v = (field: string, bound: string, boundValue: number | string, value: number | string, detail?: string) =>
    out.push(violation({ asset, contract, field, bound, boundValue: String(boundValue), value: String(value), detail }));
  for (const f of HAIRCUT_CONFIG_FIELDS) {
    if (f === "freezeOnImpaired") continue;
    const x = c[f] as number;
    const max = f === "eModeCategoryId" ? 255 : f === "recoveryCooldownSeconds" ? 2 ** 32 - 1 : UINT16_MAX;
    if (!Number.isInteger(x) || x < 0 || x > max) v(f, "integer range", `[0, ${max}]`, x);
  }
  const pct = ["baseLtvBps", "baseLtBps", "floorLtvBps", "floorLtBps", "eModeBaseLtvBps", "eModeBaseLtBps", "eModeFloorLtvBps", "eModeFloorLtBps", "recoveryBandBps"] as const;
  for (const f of pct) if ((c[f] as number) > BPS) v(f, "<=", BPS, c[f] as number, "a percentage cannot exceed 100%");

  const side = (pre: "" | "eMode", label: string) => {
    const k = (s: string) => (pre ? `eMode${s}` : s[0].toLowerCase() + s.slice(1));
    const baseLtv = c[k("BaseLtvBps") as HaircutConfigField] as number;
    const baseLt = c[k("BaseLtBps") as HaircutConfigField] as number;
    const floorLtv = c[k("FloorLtvBps") as HaircutConfigField] as number;
    const floorLt = c[k("FloorLtBps") as HaircutConfigField] as number;
    const lbField = (pre ? "eModeLiquidationBonusBps" : "liquidationBonusBps") as HaircutConfigField;
    const lb = c[lbField] as number;
    if (floorLtv < 1) v(k("FloorLtvBps"), ">=", 1, floorLtv, `${label}: LTV 0 has a special meaning on Aave`);
    if (floorLtv > baseLtv) v(k("FloorLtvBps"), `<= ${k("BaseLtvBps")}`, baseLtv, floorLtv);
    if (floorLt > baseLt) v(k("FloorLtBps"), `<= ${k("BaseLtBps")}`, baseLt, floorLt);
    if (baseLtv > baseLt) v(k("BaseLtvBps"), `<= ${k("BaseLtBps")} (LTV <= LT)`, baseLt, baseLtv);
    if (floorLtv > floorLt) v(k("FloorLtvBps"), `<= ${k("FloorLtBps")} (LTV <= LT)`, floorLt, floorLtv);
    if (lb <= BPS) v(lbField, ">", BPS, lb, "Aave encodes the bonus as 10000 + bonus");
    if (percentMulHalfUp(baseLt, lb) > BPS) v(k("BaseLtBps"), `LT * ${lbField} <= 100%`, `${BPS} (LT*LB/1e4)`, `${baseLt} * ${lb} / 1e4 = ${percentMulHalfUp(baseLt, lb)}`);
  };
  side("", "reserve");
  if (c.eModeCategoryId !== 0) {
    side("eMode", "eMode");
    if (c.baseLtBps > c.eModeBaseLtBps) v("eModeBaseLtBps", ">= baseLtBps", c.baseLtBps, c.eModeBaseLtBps, "Aave v3.0.2: eMode LT must not be below a member's LT");
  }
  if (c.ltRampBpsPerHour === 0) v("ltRampBpsPerHour", ">", 0, 0, "LT cuts could never apply");
  if (c.recoveryBpsPerHour === 0) v("recoveryBpsPerHour", ">", 0, 0, "values could never recover");
  return out;
}
