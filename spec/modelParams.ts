/**
 * `ICollateralRiskOracle.ModelParams` on the TypeScript side, and the exact rules `setModelParams` enforces,
 * checked off-chain before anything is sent (so a refused push names asset, field, bound and value and costs nothing).
 *
 * Rules (CollateralRiskOracle.setModelParams, in this order on-chain; we report all that fail):
 *   - governance has set bounds for the asset (bounds.minDelaySeconds or any max > 0)    OracleParamsBoundsNotSet
 *   - now >= lastUpdateAt + minDelaySeconds                                              OracleParamsUpdateTooSoon
 *   - per field i: min_i <= v_i <= max_i                                                 OracleParamOutOfBounds
 *   - per field i: |v_i - current_i| <= maxStep_i                                        OracleParamStepTooLarge
 *   - knots: discount strictly increasing, haircut non-decreasing, haircut <= 10_000    OracleInvalidHaircutCurve
 *   - tripDiscountBps > 0; stressDiscountBps > the asset config's elevatedDiscountBps     OracleInvalidConfig
 */

import { curveProblems, type Knots } from "./riskMath";
import { MODEL_PARAMS_FIELDS, type ModelParams, type ModelParamsBounds, type ModelParamsField } from "./contracts";

/**
 * Field order = the on-chain struct order = the `fieldIndex` in the oracle's bounds errors: spec/contracts.ts
 * `MODEL_PARAMS_FIELDS`, the one list, which a test checks against the Solidity interface.
 */
export { MODEL_PARAMS_FIELDS };
export type { ModelParams, ModelParamsBounds };
export type ModelParamField = ModelParamsField;

import { BPS } from "./units";
export { BPS };
/** Largest value a `uint16` field can hold. */
export const UINT16_MAX = 65_535;

/** One refused value, with everything an operator needs to see why. */
export interface BoundViolation {
  asset: string;
  contract: string;
  field: string;
  /** Which rule: "min", "max", "maxStep", "minDelay", "curve", "uint16", "boundsNotSet", "ltv<=lt", ... */
  bound: string;
  boundValue: string;
  value: string;
  message: string;
}

export function violation(v: Omit<BoundViolation, "message"> & { detail?: string }): BoundViolation {
  const { detail, ...rest } = v;
  return {
    ...rest,
    message: `${v.asset}: ${v.contract}.${v.field} = ${v.value} violates ${v.bound} ${v.boundValue}${detail ? ` (${detail})` : ""}`,
  };
}

/** Converts an ethers struct result (array-like with named keys) into plain numbers. */
export function modelParamsFromStruct(s: unknown): ModelParams {
  const rec = s as Record<string, unknown> & unknown[];
  const out = {} as ModelParams;
  MODEL_PARAMS_FIELDS.forEach((f, i) => {
    const v = rec[f] ?? rec[i];
    out[f] = Number(v as bigint | number);
  });
  return out;
}

export function modelParamsToStruct(p: ModelParams): number[] {
  return MODEL_PARAMS_FIELDS.map((f) => p[f]);
}

export function modelParamsEqual(a: ModelParams, b: ModelParams): boolean {
  return MODEL_PARAMS_FIELDS.every((f) => a[f] === b[f]);
}

/** Checks only the curve shape (the same rule the oracle applies to every params write). */
export function checkHaircutCurve(asset: string, p: ModelParams, contract = "CollateralRiskOracle"): BoundViolation[] {
  // The rule is spec/riskMath.ts `curveProblems` (the mirror of RiskMath.isValidCurve); this only names the fields.
  const knotsFlat = [0, 1, 2, 3].flatMap((k) => [p[`knot${k}DiscountBps` as ModelParamField], p[`knot${k}HaircutBps` as ModelParamField]]) as unknown as Knots;
  return curveProblems(knotsFlat).map((c) => {
    const value = String(knotsFlat[2 * c.knot + (c.coordinate === "haircut" ? 1 : 0)]);
    if (c.rule === "increasing") {
      return violation({ asset, contract, field: `knot${c.knot}DiscountBps`, bound: `curve: > knot${c.knot - 1}DiscountBps`, boundValue: String(c.boundBps), value, detail: "knot discounts must be strictly increasing" });
    }
    if (c.rule === "nonDecreasing") {
      return violation({ asset, contract, field: `knot${c.knot}HaircutBps`, bound: `curve: >= knot${c.knot - 1}HaircutBps`, boundValue: String(c.boundBps), value, detail: "knot haircuts must be non-decreasing" });
    }
    return violation({ asset, contract, field: `knot${c.knot}HaircutBps`, bound: "curve: haircut <=", boundValue: String(BPS), value, detail: "a haircut cannot exceed 100%" });
  });
}

/**
 * Every rule `setModelParams` enforces, evaluated off-chain. Returns all violations (empty = the write would pass).
 * `nowSeconds` is the timestamp the transaction is expected to land at (use the latest block's timestamp + 1 or more).
 */
export function checkModelParamsUpdate(req: {
  asset: string;
  current: ModelParams;
  lastUpdateAtSeconds: number;
  bounds: ModelParamsBounds;
  desired: ModelParams;
  nowSeconds: number;
  /** The asset config's `elevatedDiscountBps` (the stress threshold must lie above it). */
  elevatedDiscountBps?: number;
  contract?: string;
}): BoundViolation[] {
  const contract = req.contract ?? "CollateralRiskOracle";
  const { asset, current, bounds, desired } = req;
  const out: BoundViolation[] = [];
  for (const f of MODEL_PARAMS_FIELDS) {
    const v = desired[f];
    if (!Number.isInteger(v) || v < 0 || v > UINT16_MAX) {
      out.push(violation({ asset, contract, field: f, bound: "uint16 range", boundValue: `[0, ${UINT16_MAX}]`, value: String(v) }));
    }
  }
  const boundsSet = bounds.minDelaySeconds > 0 || MODEL_PARAMS_FIELDS.some((f) => bounds.max[f] > 0);
  if (!boundsSet) {
    out.push(violation({ asset, contract, field: "(all)", bound: "bounds set by governance", boundValue: "none", value: "-", detail: "governance must call setModelParamsBounds first" }));
    return out;
  }
  const earliest = req.lastUpdateAtSeconds + bounds.minDelaySeconds;
  if (req.nowSeconds < earliest) {
    out.push(
      violation({
        asset,
        contract,
        field: "(update)",
        bound: "minDelaySeconds",
        boundValue: `${bounds.minDelaySeconds}s after last update ${req.lastUpdateAtSeconds}`,
        value: `now ${req.nowSeconds}`,
        detail: `earliest allowed at ${earliest}, ${earliest - req.nowSeconds}s from now`,
      }),
    );
  }
  for (const f of MODEL_PARAMS_FIELDS) {
    const v = desired[f];
    if (v < bounds.min[f]) out.push(violation({ asset, contract, field: f, bound: "min", boundValue: String(bounds.min[f]), value: String(v) }));
    if (v > bounds.max[f]) out.push(violation({ asset, contract, field: f, bound: "max", boundValue: String(bounds.max[f]), value: String(v) }));
    const step = Math.abs(v - current[f]);
    if (step > bounds.maxStep[f]) {
      out.push(violation({ asset, contract, field: f, bound: "maxStep", boundValue: String(bounds.maxStep[f]), value: String(v), detail: `current ${current[f]}, step ${step}` }));
    }
  }
  out.push(...checkHaircutCurve(asset, desired, contract));
  if (desired.tripDiscountBps === 0) out.push(violation({ asset, contract, field: "tripDiscountBps", bound: ">", boundValue: "0", value: "0" }));
  if (req.elevatedDiscountBps !== undefined && desired.stressDiscountBps <= req.elevatedDiscountBps) {
    out.push(violation({ asset, contract, field: "stressDiscountBps", bound: "> asset config elevatedDiscountBps", boundValue: String(req.elevatedDiscountBps), value: String(desired.stressDiscountBps) }));
  }
  return out;
}

/**
 * The largest update toward `target` that the oracle's bounds allow now: each field moves by at most its maxStep.
 * Fields whose target lies outside [min, max] are not steppable (governance must widen the bounds first) and are
 * returned in `unreachable`. With equal maxSteps on the knot discounts (and on the knot haircuts), a step between two
 * valid curves is itself a valid curve (x -> c + clamp(t - c, -s, s) is monotone in c and t); the caller still
 * checks the result with `checkModelParamsUpdate`. `updatesLeft` counts the updates still needed after this one.
 */
export function stepToward(req: { current: ModelParams; target: ModelParams; bounds: ModelParamsBounds }): {
  next: ModelParams;
  unreachable: ModelParamField[];
  updatesLeft: number;
} {
  const next = { ...req.current };
  const unreachable: ModelParamField[] = [];
  let updatesLeft = 0;
  for (const f of MODEL_PARAMS_FIELDS) {
    const c = req.current[f];
    const t = req.target[f];
    if (t < req.bounds.min[f] || t > req.bounds.max[f]) {
      unreachable.push(f);
      continue;
    }
    const s = req.bounds.maxStep[f];
    const delta = Math.max(-s, Math.min(s, t - c));
    next[f] = c + delta;
    const remaining = Math.abs(t - next[f]);
    if (remaining > 0) updatesLeft = Math.max(updatesLeft, s > 0 ? Math.ceil(remaining / s) : Infinity);
  }
  return { next, unreachable, updatesLeft };
}
