import { z } from "zod";
import { POLICY_SCHEMA } from "../../spec/formats";
import { readJsonFile, validateWith } from "../input";

/**
 * Policy file `cascade-guard/policy@1`: what the parameter engine must guarantee and how it searches.
 * Core rule: for every market, P(bad debt of the market > badDebtThresholdEth over the horizon) <= maxExceedanceProbability.
 */
export const POLICY_SCHEMA_ID = POLICY_SCHEMA;
const bps = z.number().int().min(0).max(10_000);

export const policySchema = z
  .object({
    schema: z.literal(POLICY_SCHEMA_ID),
    name: z.string(),
    description: z.string().optional(),
    badDebtThresholdEth: z.number().nonnegative(),
    maxExceedanceProbability: z.number().min(0).max(1),
    /**
     * K relative to market size: a market's threshold is max(badDebtThresholdEth, this x the market's collateral in
     * ETH). 0 = the absolute K for every market.
     */
    badDebtThresholdFracOfCollateral: z.number().min(0).max(1).default(0),
    /**
     * An LT is accepted only if the one-sided Clopper-Pearson upper bound, at this confidence, of P(bad debt > K) is
     * at most maxExceedanceProbability, on the search seed and again on an independent seed (seed + recheckSeedOffset).
     */
    confidence: z.number().gt(0).lt(1).default(0.95),
    recheckSeedOffset: z.number().int().positive().default(1_000_003),
    /**
     * Expected-shortfall constraint: ES at `level` of the market's bad debt (mean of the worst (1 - level) share of
     * paths) at most `maxFracOfCollateral` of the market's collateral. Omit to disable.
     */
    expectedShortfall: z.object({ level: z.number().gt(0).lt(1), maxFracOfCollateral: z.number().min(0) }).strict().optional(),
    paths: z.number().int().positive().max(10_000_000),
    seed: z.number().int().nonnegative(),
    /** Venue whose Aave reserve the haircut module and guard protect (its markets give haircutConfig). */
    protectedVenue: z.string(),
    /** LT grid; `baseMaxBps` caps reserve (non-eMode) markets, `maxBps` eMode ones. */
    ltSearch: z.object({ minBps: bps, maxBps: bps, baseMaxBps: bps, stepBps: z.number().int().positive() }).strict(),
    /** LTV = LT - gap (base reserve, eMode). */
    ltvGapBps: bps,
    eModeLtvGapBps: bps,
    bonus: z
      .object({
        minBps: bps,
        /** Floor for reserve (non-eMode) markets, whose collateral is less correlated with the debt in practice. */
        baseMinBps: bps,
        maxBps: bps,
        /** Liquidators need bonus * (1 - fee) >= DEX impact of one lot + margin. */
        liquidationLotEth: z.number().positive(),
        liquidatorMarginBps: bps,
        stepBps: z.number().int().positive(),
      })
      .strict(),
    haircut: z
      .object({
        /** Knot discounts = these quantiles of the market discount on stressed paths. */
        knotQuantiles: z.tuple([z.number(), z.number(), z.number(), z.number()]),
        minKnotDiscountBps: bps,
        /** Knots are at least this far apart (a curve with a cliff between two adjacent knots helps nobody). */
        minKnotSpacingBps: z.number().int().min(1).max(2_000),
        /** Haircut at a knot = (discount - knot0 discount) * this (bps per bp); knot 0 is 0. */
        haircutPerDiscount: z.number().nonnegative(),
        maxHaircutBps: bps,
        navDropHaircutMultiplierBps: z.number().int().min(0).max(65_535),
      })
      .strict(),
    /**
     * Guard trip = the "normal" stressed discount (knot 0: at most the exit-queue discount, where arbitrage holds the
     * price) + `tripMarginBps`, clamped to [min, max]. Beyond that, with NAV and backing intact, the price says
     * liquidity, not value; the pause itself is bounded by the guard's own caps.
     */
    guard: z.object({ minTripDiscountBps: bps, maxTripDiscountBps: bps, tripMarginBps: bps.default(150) }).strict(),
    /**
     * The oracle's ELEVATED threshold that governance sets per asset (`ICollateralRiskOracle.AssetConfig
     * .elevatedDiscountBps`, 100 bps in the bundled deploy configs). The oracle refuses model params whose
     * `stressDiscountBps` is not above it, so the engine keeps the stress discount (and the trip) above it.
     */
    oracle: z.object({ elevatedDiscountBps: bps }).strict().default({ elevatedDiscountBps: 100 }),
    /**
     * Deployment choices copied into the params file's `haircut` (IWideningHaircutModule.HaircutConfig) unchanged:
     * the model does not derive them. `eModeCategoryIds` maps LRT id -> Aave eMode category; LRTs with an eMode
     * market in the protected venue and no entry get 1, 2, 3, ... in ecosystem order.
     */
    haircutModule: z
      .object({
        ltRampBpsPerHour: z.number().int().min(0).max(65_535),
        recoveryBandBps: bps,
        recoveryBpsPerHour: z.number().int().min(0).max(65_535),
        recoveryCooldownSeconds: z.number().int().min(0).max(2 ** 32 - 1),
        freezeOnImpaired: z.boolean(),
        eModeCategoryIds: z.record(z.string(), z.number().int().min(1).max(255)).default({}),
      })
      .strict(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.ltSearch.minBps > p.ltSearch.maxBps) ctx.addIssue({ code: "custom", path: ["ltSearch", "minBps"], message: "above maxBps" });
    if (p.bonus.minBps > p.bonus.maxBps) ctx.addIssue({ code: "custom", path: ["bonus", "minBps"], message: "above maxBps" });
    if (p.oracle.elevatedDiscountBps >= p.guard.maxTripDiscountBps)
      ctx.addIssue({ code: "custom", path: ["oracle", "elevatedDiscountBps"], message: "must be below guard.maxTripDiscountBps" });
    if (p.guard.minTripDiscountBps > p.guard.maxTripDiscountBps)
      ctx.addIssue({ code: "custom", path: ["guard", "minTripDiscountBps"], message: "above maxTripDiscountBps" });
    const q = p.haircut.knotQuantiles;
    for (let i = 0; i < 4; i++)
      if (!(q[i] > 0 && q[i] < 1) || (i > 0 && q[i] <= q[i - 1]))
        ctx.addIssue({ code: "custom", path: ["haircut", "knotQuantiles", i], message: "quantiles must be increasing, in (0, 1)" });
  });

export type Policy = z.infer<typeof policySchema>;

export function validatePolicy(raw: unknown, file = "policy"): Policy {
  return validateWith(policySchema, raw, file);
}

export function loadPolicy(file: string): Policy {
  const { name, raw } = readJsonFile(file);
  return validatePolicy(raw, name);
}
