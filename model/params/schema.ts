import { z } from "zod";
import { readJsonFile, validateWith } from "../input";
import { PARAMS_SCHEMA } from "../../spec/formats";
import { curveProblems, type Knots } from "../../spec/riskMath";

/**
 * Params file `cascade-guard/params@1` (written by params:compute, read by params:push and the protected replay).
 *
 * Per asset:
 *  - `modelParams` mirrors `ICollateralRiskOracle.ModelParams` field by field (names, order, units: bps), the
 *    struct the keeper pushes with `setModelParams(asset, params)`;
 *  - `haircut` mirrors `IWideningHaircutModule.HaircutConfig` field by field (a governance call): the model decides
 *    base / floor LTV and LT and the liquidation bonus (Aave encoding 10_000 + bonus), for the reserve and the eMode
 *    category; ramp, recovery, freezeOnImpaired and eModeCategoryId are copied from the policy;
 *  - `markets`: for every venue market of the LRT, the current and the recommended LTV / LT / LB and the policy check.
 */
export const PARAMS_SCHEMA_ID = PARAMS_SCHEMA;

const bps = z.number().int().min(0).max(10_000);
/** uint16 basis points in the contract; the model never exceeds 100%. */
const u16bps = bps;
const aaveBonus = z.number().int().min(10_000).max(20_000);

export const modelParamsSchema = z
  .object({
    tripDiscountBps: u16bps,
    stressDiscountBps: u16bps,
    navDropHaircutMultiplierBps: z.number().int().min(0).max(65_535),
    knot0DiscountBps: u16bps,
    knot0HaircutBps: u16bps,
    knot1DiscountBps: u16bps,
    knot1HaircutBps: u16bps,
    knot2DiscountBps: u16bps,
    knot2HaircutBps: u16bps,
    knot3DiscountBps: u16bps,
    knot3HaircutBps: u16bps,
  })
  .strict()
  .superRefine((p, ctx) => {
    // The oracle's OracleInvalidHaircutCurve rule, written once in spec/riskMath.ts.
    const knots: Knots = [
      p.knot0DiscountBps, p.knot0HaircutBps, p.knot1DiscountBps, p.knot1HaircutBps,
      p.knot2DiscountBps, p.knot2HaircutBps, p.knot3DiscountBps, p.knot3HaircutBps,
    ];
    for (const problem of curveProblems(knots)) {
      const field = `knot${problem.knot}${problem.coordinate === "discount" ? "Discount" : "Haircut"}Bps`;
      const found = knots[2 * problem.knot + (problem.coordinate === "discount" ? 0 : 1)];
      const message =
        problem.rule === "increasing"
          ? `must be above knot${problem.knot - 1}DiscountBps (${problem.boundBps}), found ${found}`
          : problem.rule === "nonDecreasing"
            ? `must be at least knot${problem.knot - 1}HaircutBps (${problem.boundBps}), found ${found}`
            : `must be at most ${problem.boundBps}, found ${found}`;
      ctx.addIssue({ code: "custom", path: [field], message });
    }
    if (p.stressDiscountBps > p.tripDiscountBps)
      ctx.addIssue({ code: "custom", path: ["stressDiscountBps"], message: `above tripDiscountBps (${p.tripDiscountBps})` });
  });

/** Mirrors IWideningHaircutModule.HaircutConfig field by field (same names, order and units). */
export const haircutConfigSchema = z
  .object({
    baseLtvBps: u16bps,
    baseLtBps: u16bps,
    liquidationBonusBps: aaveBonus,
    floorLtvBps: u16bps,
    floorLtBps: u16bps,
    eModeCategoryId: z.number().int().min(0).max(255),
    eModeBaseLtvBps: u16bps,
    eModeBaseLtBps: u16bps,
    eModeLiquidationBonusBps: z.union([aaveBonus, z.literal(0)]),
    eModeFloorLtvBps: u16bps,
    eModeFloorLtBps: u16bps,
    ltRampBpsPerHour: z.number().int().min(0).max(65_535),
    recoveryBandBps: u16bps,
    recoveryBpsPerHour: z.number().int().min(0).max(65_535),
    recoveryCooldownSeconds: z.number().int().min(0).max(2 ** 32 - 1),
    freezeOnImpaired: z.boolean(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const check = (ok: boolean, field: string, msg: string) => ok || ctx.addIssue({ code: "custom", path: [field], message: msg });
    check(c.floorLtvBps >= 1 && c.floorLtvBps <= c.baseLtvBps, "floorLtvBps", `must be in [1, baseLtvBps ${c.baseLtvBps}], found ${c.floorLtvBps}`);
    check(c.floorLtBps <= c.baseLtBps, "floorLtBps", `above baseLtBps ${c.baseLtBps}`);
    check(c.baseLtvBps <= c.baseLtBps, "baseLtvBps", `above baseLtBps ${c.baseLtBps}`);
    check(c.floorLtvBps <= c.floorLtBps, "floorLtvBps", `above floorLtBps ${c.floorLtBps}`);
    // Aave: LT * LB <= 100% (percentMul, half up)
    check(Math.floor((c.baseLtBps * c.liquidationBonusBps + 5_000) / 10_000) <= 10_000, "liquidationBonusBps", `LT ${c.baseLtBps} x bonus ${c.liquidationBonusBps} exceeds 100%`);
    if (c.eModeCategoryId !== 0) {
      check(c.eModeBaseLtvBps <= c.eModeBaseLtBps, "eModeBaseLtvBps", `above eModeBaseLtBps ${c.eModeBaseLtBps}`);
      check(c.baseLtBps <= c.eModeBaseLtBps, "eModeBaseLtBps", `below the reserve's baseLtBps ${c.baseLtBps}`);
      check(c.eModeFloorLtBps <= c.eModeBaseLtBps, "eModeFloorLtBps", `above eModeBaseLtBps ${c.eModeBaseLtBps}`);
      check(c.eModeFloorLtvBps >= 1 && c.eModeFloorLtvBps <= c.eModeBaseLtvBps, "eModeFloorLtvBps", `must be in [1, eModeBaseLtvBps ${c.eModeBaseLtvBps}]`);
      check(c.eModeFloorLtvBps <= c.eModeFloorLtBps, "eModeFloorLtvBps", `above eModeFloorLtBps ${c.eModeFloorLtBps}`);
      check(
        c.eModeLiquidationBonusBps > 10_000 && Math.floor((c.eModeBaseLtBps * c.eModeLiquidationBonusBps + 5_000) / 10_000) <= 10_000,
        "eModeLiquidationBonusBps",
        "LT x bonus exceeds 100% or bonus missing",
      );
    }
  });

const lendingParams = z.object({ ltvBps: bps, liquidationThresholdBps: bps, liquidationBonusBps: bps }).strict();

export const paramsFileSchema = z
  .object({
    schema: z.literal(PARAMS_SCHEMA_ID),
    /**
     * Same value as `schema`, written by params:compute until the writers put the id under `schema` only; readers
     * accept a file without it (docs/ARCHITECTURE.md, issue 12 item 2).
     */
    format: z.literal(PARAMS_SCHEMA_ID).optional(),
    provenance: z
      .object({
        modelVersion: z.string(),
        seed: z.number().int().nonnegative(),
        paths: z.number().int().positive(),
        inputHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
        policyHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
        generatedAt: z.string().datetime(),
        ecosystem: z.string(),
        policy: z.string(),
        /** independent seed the accepted LTs were re-checked on */
        recheckSeed: z.number().int().nonnegative().optional(),
      })
      .strict(),
    policy: z
      .object({
        badDebtThresholdEth: z.number().nonnegative(),
        maxExceedanceProbability: z.number().min(0).max(1),
        protectedVenue: z.string(),
        badDebtThresholdFracOfCollateral: z.number().min(0).max(1).optional(),
        confidence: z.number().gt(0).lt(1).optional(),
        expectedShortfall: z.object({ level: z.number(), maxFracOfCollateral: z.number() }).strict().optional(),
      })
      .strict(),
    assets: z.array(
      z
        .object({
          lrt: z.string(),
          symbol: z.string(),
          modelParams: modelParamsSchema,
          haircut: haircutConfigSchema,
          markets: z.array(
            z
              .object({
                venue: z.string(),
                mode: z.enum(["base", "emode"]),
                current: lendingParams,
                recommended: lendingParams,
                /** P(bad debt of this market > K) under current and recommended parameters (same random paths). */
                pExceedCurrent: z.number().min(0).max(1),
                pExceedRecommended: z.number().min(0).max(1),
                policyHolds: z.boolean(),
                note: z.string().optional(),
                /** extensions (params@1 stays readable by older readers: all optional) */
                thresholdEth: z.number().nonnegative().optional(),
                pExceedUpperBound: z.number().min(0).max(1).optional(),
                pExceedRecheck: z.number().min(0).max(1).optional(),
                pExceedRecheckUpperBound: z.number().min(0).max(1).optional(),
                esBadDebtEth: z.number().nonnegative().optional(),
                esLimitEth: z.number().nonnegative().optional(),
                gridCapBinds: z.boolean().optional(),
                /** why this value, against the venue's live value and the seed documents' asks */
                rationale: z.string().optional(),
              })
              .strict(),
          ),
          evidence: z
            .object({
              stressedPathShare: z.number(),
              depegQuantilesBps: z.array(z.object({ q: z.number(), discountBps: z.number() }).strict()),
              navLossP99Bps: z.number(),
              /** largest haircut the curve applies vs the seed documents' 20-30% ask */
              maxHaircutBps: z.number().optional(),
              haircutRationale: z.string().optional(),
            })
            .strict(),
        })
        .strict(),
    ),
  })
  .strict();

export type ParamsFile = z.infer<typeof paramsFileSchema>;
export type ModelParams = z.infer<typeof modelParamsSchema>;
export type HaircutConfig = z.infer<typeof haircutConfigSchema>;

/** The structs' field lists live in spec/contracts.ts (one list each, checked against the Solidity interfaces). */
export { HAIRCUT_CONFIG_FIELDS, MODEL_PARAMS_FIELDS } from "../../spec/contracts";

/**
 * THE reader of `cascade-guard/params@1` (params:push, the protected replay, replica:deploy and the report all read
 * through it). Validates a params object; throws `<file>: <field path>: <problem>` as an `InputError` (a
 * `UserError`), or as the caller's own `UserError` subclass when `makeError` is given (the report's).
 */
export function validateParamsFile(raw: unknown, file = "params", makeError?: (file: string, fieldPath: string, detail: string) => Error): ParamsFile {
  return validateWith(paramsFileSchema, raw, file, makeError);
}

export function loadParamsFile(file: string): ParamsFile {
  const { name, raw } = readJsonFile(file);
  return validateParamsFile(raw, name);
}
