import type { Ecosystem } from "../ecosystem/schema";
import { BPS, dexPriceFactor, dexReserveEth, modelMarkets, queueDiscount } from "../core";
import { compileModel } from "../fast/compile";
import { FastKernel } from "../fast/kernel";
import { hashCanonical } from "../hash";
import { seedWords } from "../rng";
import { quantileSorted } from "../../spec/stats";
import { UserError } from "../../spec/errors";
import { MODEL_VERSION } from "../version";
import type { Policy } from "./policy";
import { HaircutConfig, ModelParams, PARAMS_SCHEMA_ID, ParamsFile, validateParamsFile } from "./schema";

/**
 * Parameter engine. For each market (venue, LRT, mode):
 *  1. liquidation bonus: the smallest LB (policy step) with LB (1 - fee) >= DEX impact of one liquidation lot + margin,
 *     so a liquidator selling the seized collateral still profits;
 *  2. liquidation threshold: the largest LT on the policy grid, with LT (1 + LB) <= 100% (Aave's check), such that
 *     P(bad debt of the market > K) <= eps on the same random paths (common random numbers). Borrowers keep their
 *     health-factor distribution: a higher LT means proportionally more debt (banded books are re-levered, explicit
 *     positions scaled by LT'/LT). Markets are searched one at a time, the others held at their current values.
 *     Binary search assumes P(bad debt > K) is non-decreasing in LT; the chosen value is always re-checked;
 *  3. LTV = LT - gap.
 * Per LRT, from the market discount (depeg to NAV) on stressed paths of the current ecosystem:
 *  - haircut curve knots at policy quantiles of that discount (knot 0 at most the exit-queue discount; knots at
 *    least minKnotSpacingBps apart),
 *    haircut = (discount - knot0 discount) x haircutPerDiscount, capped: 0 at knot 0, continuous beyond;
 *  - on a protected venue priced by the market feed the curve is flat (the discount is already in its HFs);
 *  - tripDiscountBps = knot 0 (the normal stressed discount) + policy.guard.tripMarginBps, clamped to the policy
 *    range: a discount beyond what the exit queue explains, with NAV and backing intact, is a dislocation to pause on;
 *  - stressDiscountBps = knot 1, at most the trip (heuristics, documented);
 *    both kept above the oracle's ELEVATED threshold (`policy.oracle.elevatedDiscountBps`), as the oracle requires.
 */
export interface ComputeParamsRequest {
  ecosystem: Ecosystem;
  policy: Policy;
  /** ISO timestamp for provenance (default: now) */
  generatedAt?: string;
  ecosystemLabel?: string;
  onProgress?: (message: string) => void;
}

interface RunStats {
  exceed: Float64Array; // per market: share of paths with bad debt > K_m
  exceedCount: Float64Array; // per market: number of such paths
  stressedDepeg: number[][]; // per LRT: depeg on paths where the market layer ran (NAV loss or liquidity shock)
  navLoss: number[][]; // per LRT: NAV loss on all paths
  /** bad debt samples (> 0) of market `sampleMarket`, if asked */
  samples: number[];
}

function runStats(eco: Ecosystem, policy: Policy, collect: boolean, thresholds: Float64Array, seed = policy.seed, sampleMarket = -1): RunStats {
  const cm = compileModel(eco);
  const kernel = new FastKernel(cm);
  const [lo, hi] = seedWords(seed);
  const exceedCount = new Float64Array(cm.dims.markets);
  const stressedDepeg: number[][] = Array.from({ length: cm.dims.lrts }, () => []);
  const navLoss: number[][] = Array.from({ length: cm.dims.lrts }, () => []);
  const samples: number[] = [];
  kernel.run(lo, hi, 0, policy.paths, null, (p) => {
    for (let m = 0; m < cm.dims.markets; m++) if (p.mktBadDebt[m] > thresholds[m]) exceedCount[m]++;
    if (sampleMarket >= 0 && p.mktBadDebt[sampleMarket] > 0) samples.push(p.mktBadDebt[sampleMarket]);
    if (collect)
      for (let l = 0; l < cm.dims.lrts; l++) {
        navLoss[l].push(p.lrtNavLoss[l]);
        if (p.lrtIterations[l] > 0) stressedDepeg[l].push(p.lrtDepeg[l]);
      }
  });
  const exceed = exceedCount.map((x) => x / policy.paths);
  return { exceed, exceedCount, stressedDepeg, navLoss, samples };
}

/**
 * One-sided Clopper-Pearson upper confidence bound of a binomial proportion: the p with P(X <= k | n, p) = 1 - conf
 * (1 - (1 - conf)^(1/n) when k = 0). Bisection on the exact binomial CDF summed in log space.
 */
export function clopperPearsonUpper(k: number, n: number, confidence: number): number {
  if (k >= n) return 1;
  const alpha = 1 - confidence;
  if (k === 0) return 1 - Math.pow(alpha, 1 / n);
  const lgam = (x: number) => lnGamma(x);
  const lnChoose = Array.from({ length: k + 1 }, (_, i) => lgam(n + 1) - lgam(i + 1) - lgam(n - i + 1));
  const cdf = (p: number) => {
    const lp = Math.log(p);
    const lq = Math.log1p(-p);
    let max = -Infinity;
    const terms = lnChoose.map((c, i) => {
      const t = c + i * lp + (n - i) * lq;
      if (t > max) max = t;
      return t;
    });
    let sum = 0;
    for (const t of terms) sum += Math.exp(t - max);
    return Math.exp(max) * sum;
  };
  let lo = k / n;
  let hi = 1;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) > alpha) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** ln Gamma(x), Lanczos approximation (g = 7, 9 terms; relative error ~1e-15). */
function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Expected shortfall at `level` from the nonzero samples of n paths: mean of the ceil((1 - level) n) largest. */
export function expectedShortfall(nonzero: number[], n: number, level: number): number {
  const k = Math.max(1, Math.ceil((1 - level) * n));
  const sorted = [...nonzero].sort((a, b) => b - a);
  let s = 0;
  for (let i = 0; i < Math.min(k, sorted.length); i++) s += sorted[i];
  return s / k;
}

/** A copy of the ecosystem with market `mi` (global index) set to the given parameters. */
function withMarket(eco: Ecosystem, mi: number, p: { ltvBps: number; ltBps: number; lbBps: number }): Ecosystem {
  const copy = structuredClone(eco);
  let k = 0;
  for (const v of copy.venues)
    for (const m of v.markets) {
      if (k++ !== mi) continue;
      if (m.positions.kind === "explicit") {
        const scale = p.ltBps / m.liquidationThresholdBps;
        m.positions.list = m.positions.list.map((q) => ({ ...q, debtEth: q.debtEth * scale }));
      }
      m.ltvBps = Math.min(p.ltvBps, p.ltBps);
      m.liquidationThresholdBps = p.ltBps;
      m.liquidationBonusBps = p.lbBps;
    }
  return copy;
}

/** The lower-rule quantile of sorted samples (spec/stats.ts); 0 when there are none. */
function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? 0 : quantileSorted(sorted, q);
}

export function computeParams(req: ComputeParamsRequest): ParamsFile {
  const { ecosystem: eco, policy } = req;
  const log = req.onProgress ?? (() => undefined);
  const markets = modelMarkets(eco);
  if (!eco.venues.some((v) => v.id === policy.protectedVenue))
    throw new UserError(`policy: protectedVenue: unknown venue "${policy.protectedVenue}" (ecosystem has ${eco.venues.map((v) => v.id).join(", ")})`);
  const protectedRegime = eco.venues.find((v) => v.id === policy.protectedVenue)!.oracleRegime;
  // K per market: absolute, or relative to the market's collateral (ETH at pre-shock NAV) when the policy says so.
  const collateralEth = markets.map((m) => m.positions.reduce((t, p) => t + p.collateralEth, 0));
  const thresholds = Float64Array.from(collateralEth, (c) => Math.max(policy.badDebtThresholdEth, policy.badDebtThresholdFracOfCollateral * c));
  const recheckSeed = policy.seed + policy.recheckSeedOffset;
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  log(`baseline: ${policy.paths} paths`);
  const base = runStats(eco, policy, true, thresholds);

  /** Searches LB then LT for market `mi` under the rules of `mode` (reserve or eMode limits and LTV gap). */
  const searchMarket = (mi: number, mode: "base" | "emode", currentExceed: number) => {
    const m = markets[mi];
    const lrt = eco.lrts[m.lrtIndex];
    const fee = m.liquidationProtocolFeeBps / BPS;
    // 1. bonus
    const impact = 1 - dexPriceFactor(dexReserveEth(lrt.dex), policy.bonus.liquidationLotEth);
    const needBps = ((impact * BPS + policy.bonus.liquidatorMarginBps) / (1 - fee)) | 0;
    let lbBps = Math.ceil(needBps / policy.bonus.stepBps) * policy.bonus.stepBps;
    lbBps = Math.min(policy.bonus.maxBps, Math.max(mode === "emode" ? policy.bonus.minBps : policy.bonus.baseMinBps, lbBps));
    // 2. LT search on the grid, LT (1 + LB) <= 100%
    const step = policy.ltSearch.stepBps;
    const aaveMax = Math.floor(1e8 / (BPS + lbBps));
    const maxLt = mode === "emode" ? policy.ltSearch.maxBps : policy.ltSearch.baseMaxBps;
    const hiLt = Math.floor(Math.min(maxLt, aaveMax) / step) * step;
    const loLt = Math.ceil(policy.ltSearch.minBps / step) * step;
    const gap = mode === "emode" ? policy.eModeLtvGapBps : policy.ltvGapBps;
    const K = thresholds[mi];
    const esLimit = policy.expectedShortfall ? policy.expectedShortfall.maxFracOfCollateral * collateralEth[mi] : Infinity;
    const cache = new Map<string, { p: number; ucb: number; es: number; ok: boolean }>();
    const evalAt = (lt: number, seed = policy.seed) => {
      const key = `${lt}/${seed}`;
      if (!cache.has(key)) {
        const r = runStats(withMarket(eco, mi, { ltvBps: Math.max(1, lt - gap), ltBps: lt, lbBps }), policy, false, thresholds, seed, mi);
        const ucb = clopperPearsonUpper(r.exceedCount[mi], policy.paths, policy.confidence);
        const es = policy.expectedShortfall ? expectedShortfall(r.samples, policy.paths, policy.expectedShortfall.level) : 0;
        cache.set(key, { p: r.exceed[mi], ucb, es, ok: ucb <= policy.maxExceedanceProbability && es <= esLimit });
      }
      return cache.get(key)!;
    };
    let best = -1;
    let a = loLt;
    let b = hiLt;
    while (a <= b) {
      const mid = a + Math.floor((b - a) / step / 2) * step;
      if (evalAt(mid).ok) {
        best = mid;
        a = mid + step;
      } else b = mid - step;
    }
    // Out of sample: the chosen LT must also pass on an independent seed; step down until it does on both.
    while (best >= loLt && !(evalAt(best).ok && evalAt(best, recheckSeed).ok)) best -= step;
    const holds = best >= loLt;
    const lt = holds ? best : loLt;
    const rec = evalAt(lt);
    const recheck = evalAt(lt, recheckSeed);
    const gridCapBinds = holds && lt === hiLt;
    const next = lt + step <= hiLt ? evalAt(lt + step) : null;
    // The seed documents' ask: LTV 50-60% (seeds/001). Evaluate the market at LTV 60% for the explanation.
    const seedLt = Math.min(hiLt, Math.max(loLt, Math.round((6000 + gap) / step) * step));
    const atSeed = evalAt(seedLt);
    const cur = m.liquidationThresholdBps;
    const ucbTxt = `${Math.round(policy.confidence * 100)}% upper bound`;
    const rationale = [
      `LT ${(lt / 100).toFixed(2)}% vs Aave/venue live ${(cur / 100).toFixed(2)}% (${lt - cur >= 0 ? "+" : ""}${lt - cur} bp).`,
      holds
        ? `Accepted: P(bad debt > ${K.toFixed(0)} ETH) ${pct(rec.p)} (${ucbTxt} ${pct(rec.ucb)}), independent seed ${pct(recheck.p)} (bound ${pct(recheck.ucb)}) <= ${pct(policy.maxExceedanceProbability)}` +
          (policy.expectedShortfall ? `; ES${policy.expectedShortfall.level * 100} ${rec.es.toFixed(1)} ETH <= ${esLimit.toFixed(0)} ETH.` : ".")
        : `No LT on the grid meets the policy (at ${(loLt / 100).toFixed(2)}%: bound ${pct(rec.ucb)}).`,
      gridCapBinds
        ? `The grid cap (${(hiLt / 100).toFixed(2)}%${hiLt === aaveMax ? ", Aave's LT x (1 + LB) <= 100%" : ""}) binds: the model would allow more; this value is the cap, not a risk limit.`
        : holds && next
          ? `One step more (${((lt + step) / 100).toFixed(2)}%): bound ${pct(next.ucb)}` +
            (next.es > esLimit ? `, ES ${next.es.toFixed(1)} ETH above ${esLimit.toFixed(0)} ETH` : "") +
            (next.ok ? ", fails on the independent seed" : "") +
            ": rejected."
          : "",
      `Seed documents ask LTV 50-60% with 20-30% haircuts: at LTV 60% (LT ${(seedLt / 100).toFixed(2)}%) P = ${pct(atSeed.p)} (bound ${pct(atSeed.ucb)})` +
        (holds && lt > seedLt ? `; the model's risk does not require going that low for this market.` : holds ? "." : `; even that does not meet the policy.`),
    ]
      .filter((x) => x.length > 0)
      .join(" ");
    log(`${m.id} (${mode} rules): LT ${lt} LB ${lbBps} P(bad>K) ${rec.p.toFixed(4)} UCB ${rec.ucb.toFixed(4)} recheck ${recheck.p.toFixed(4)} (current ${currentExceed.toFixed(4)})${gridCapBinds ? " [grid cap binds]" : ""}`);
    return {
      m,
      venue: m.venue,
      mode,
      // A morpho-blue market's bonus comes from its LLTV and can be fractional (model/venues.ts): whole bps here.
      current: { ltvBps: m.ltvBps, liquidationThresholdBps: m.liquidationThresholdBps, liquidationBonusBps: Math.round(m.liquidationBonusBps) },
      recommended: { ltvBps: Math.max(1, lt - gap), liquidationThresholdBps: lt, liquidationBonusBps: lbBps },
      pExceedCurrent: currentExceed,
      pExceedRecommended: rec.p,
      policyHolds: holds && rec.ok && recheck.ok,
      ...(holds ? {} : { note: `no LT >= ${loLt} bps meets the policy; the grid minimum is reported` }),
      thresholdEth: K,
      pExceedUpperBound: rec.ucb,
      pExceedRecheck: recheck.p,
      pExceedRecheckUpperBound: recheck.ucb,
      ...(policy.expectedShortfall ? { esBadDebtEth: rec.es, esLimitEth: esLimit } : {}),
      gridCapBinds,
      rationale,
    };
  };
  const marketResults = markets.map((m, mi) => searchMarket(mi, m.mode, base.exceed[mi]));

  // eMode category per LRT: the policy's map, else 1, 2, 3, ... in ecosystem order (Aave v3.0.2: one category per reserve).
  const eModeIds = new Map<string, number>();
  let nextId = 1;
  const taken = new Set(Object.values(policy.haircutModule.eModeCategoryIds));
  for (const l of eco.lrts) {
    const has = marketResults.some((r) => r.m.lrt === l.id && r.venue === policy.protectedVenue && r.mode === "emode");
    if (!has) continue;
    const fixed = policy.haircutModule.eModeCategoryIds[l.id];
    if (fixed !== undefined) eModeIds.set(l.id, fixed);
    else {
      while (taken.has(nextId)) nextId++;
      eModeIds.set(l.id, nextId);
      taken.add(nextId);
    }
  }

  const assets = eco.lrts.flatMap((l, li) => {
    const own = marketResults.filter((r) => r.m.lrtIndex === li);
    const prot = own.filter((r) => r.venue === policy.protectedVenue);
    if (prot.length === 0) return [];
    const dep = [...base.stressedDepeg[li]].sort((x, y) => x - y);
    const nav = [...base.navLoss[li]].sort((x, y) => x - y);
    // haircut knots
    const knots: number[] = [];
    // Knot 0 is the "normal" stressed discount: the lower of its quantile and the exit-queue discount y T / 365 (where
    // arbitrage holds the price), so a bimodal discount distribution (collapse on most stressed paths) still gets a
    // curve that starts where stress starts.
    const queueBps = Math.round(queueDiscount(l) * BPS);
    policy.haircut.knotQuantiles.forEach((q, k) => {
      let d = Math.round(quantile(dep, q) * BPS);
      if (k === 0) d = Math.min(d, queueBps);
      d = Math.max(policy.haircut.minKnotDiscountBps, d);
      if (k > 0) d = Math.max(d, knots[k - 1] + policy.haircut.minKnotSpacingBps);
      knots.push(Math.min(d, BPS - 3 + k));
    });
    // Haircut grows with the discount beyond the first knot (the "normal" stressed discount): continuous curve.
    // A venue priced by the market feed already carries the discount in every health factor: a discount haircut on
    // top would count it twice (replays: stETH June 2022 liquidates ~40x more), so its curve is flat (NAV drops and
    // IMPAIRED still cut through navDropHaircutMultiplierBps and the floors).
    const discountPriced = protectedRegime === "market-price";
    const haircuts = knots.map((d) =>
      discountPriced ? 0 : Math.min(policy.haircut.maxHaircutBps, Math.ceil((d - knots[0]) * policy.haircut.haircutPerDiscount)),
    );
    for (let k = 1; k < 4; k++) haircuts[k] = Math.max(haircuts[k], haircuts[k - 1]);
    const minStress = policy.oracle.elevatedDiscountBps + 1;
    const trip = Math.max(minStress, Math.min(policy.guard.maxTripDiscountBps, Math.max(policy.guard.minTripDiscountBps, knots[0] + policy.guard.tripMarginBps)));
    const modelParams: ModelParams = {
      tripDiscountBps: trip,
      stressDiscountBps: Math.max(minStress, Math.min(knots[1], trip)),
      navDropHaircutMultiplierBps: policy.haircut.navDropHaircutMultiplierBps,
      knot0DiscountBps: knots[0],
      knot0HaircutBps: haircuts[0],
      knot1DiscountBps: knots[1],
      knot1HaircutBps: haircuts[1],
      knot2DiscountBps: knots[2],
      knot2HaircutBps: haircuts[2],
      knot3DiscountBps: knots[3],
      knot3HaircutBps: haircuts[3],
    };
    const baseM = prot.find((r) => r.mode === "base");
    const emodeM = prot.find((r) => r.mode === "emode");
    const maxCut = haircuts[3];
    // Without a base market in the protected venue, base values come from the eMode book searched at reserve rules.
    const baseRec = { ...(baseM ?? searchMarket(markets.indexOf(emodeM!.m), "base", emodeM!.pExceedCurrent)).recommended };
    const e = emodeM?.recommended;
    if (e && baseRec.liquidationThresholdBps >= e.liquidationThresholdBps) {
      // Aave v3.0.2: an eMode LT must stay above each member reserve's LT.
      baseRec.liquidationThresholdBps = e.liquidationThresholdBps - policy.ltSearch.stepBps;
      baseRec.ltvBps = Math.min(baseRec.ltvBps, baseRec.liquidationThresholdBps - policy.ltvGapBps);
    }
    const baseLtv = Math.max(1, baseRec.ltvBps);
    const baseLt = baseRec.liquidationThresholdBps;
    const floorLt = Math.max(1, baseLt - maxCut);
    const floorLtv = Math.max(1, Math.min(floorLt, baseLtv - maxCut));
    // eMode floors must stay above the reserve's base values (the module checks it when configuring).
    const eFloorLt = e ? Math.min(e.liquidationThresholdBps, Math.max(e.liquidationThresholdBps - maxCut, baseLt + 1)) : 0;
    const eFloorLtv = e ? Math.min(e.ltvBps, eFloorLt, Math.max(e.ltvBps - maxCut, baseLtv + 1)) : 0;
    const haircut: HaircutConfig = {
      baseLtvBps: baseLtv,
      baseLtBps: baseLt,
      liquidationBonusBps: BPS + baseRec.liquidationBonusBps,
      floorLtvBps: floorLtv,
      floorLtBps: floorLt,
      eModeCategoryId: e ? eModeIds.get(l.id)! : 0,
      eModeBaseLtvBps: e ? e.ltvBps : 0,
      eModeBaseLtBps: e ? e.liquidationThresholdBps : 0,
      eModeLiquidationBonusBps: e ? BPS + e.liquidationBonusBps : 0,
      eModeFloorLtvBps: eFloorLtv,
      eModeFloorLtBps: eFloorLt,
      ltRampBpsPerHour: policy.haircutModule.ltRampBpsPerHour,
      recoveryBandBps: policy.haircutModule.recoveryBandBps,
      recoveryBpsPerHour: policy.haircutModule.recoveryBpsPerHour,
      recoveryCooldownSeconds: policy.haircutModule.recoveryCooldownSeconds,
      freezeOnImpaired: policy.haircutModule.freezeOnImpaired,
    };
    return [
      {
        lrt: l.id,
        symbol: l.symbol,
        modelParams,
        haircut,
        markets: own.map(({ m: _m, ...rest }) => rest),
        evidence: {
          stressedPathShare: dep.length / policy.paths,
          depegQuantilesBps: [0.5, 0.9, 0.99, 0.999].map((q) => ({ q, discountBps: Math.round(quantile(dep, q) * BPS) })),
          navLossP99Bps: Math.round(quantile(nav, 0.99) * BPS),
          maxHaircutBps: maxCut,
          haircutRationale:
            `Largest haircut ${(maxCut / 100).toFixed(2)} pp at a ${(modelParams.knot3DiscountBps / 100).toFixed(2)}% discount ` +
            `(the ${policy.haircut.knotQuantiles[3] * 100}% quantile of the stressed discount). The seed documents ask 20-30% haircuts: ` +
            (maxCut >= 2000 ? "this curve reaches that range." : `the model's stressed discounts do not reach that range, so neither does the curve (haircut = discount beyond knot 0).`),
        },
      },
    ];
  });

  const out: ParamsFile = {
    schema: PARAMS_SCHEMA_ID,
    provenance: {
      modelVersion: MODEL_VERSION,
      seed: policy.seed,
      paths: policy.paths,
      inputHash: hashCanonical(eco),
      policyHash: hashCanonical(policy),
      generatedAt: req.generatedAt ?? new Date().toISOString(),
      ecosystem: req.ecosystemLabel ?? eco.name,
      policy: policy.name,
      recheckSeed,
    },
    policy: {
      badDebtThresholdEth: policy.badDebtThresholdEth,
      maxExceedanceProbability: policy.maxExceedanceProbability,
      protectedVenue: policy.protectedVenue,
      badDebtThresholdFracOfCollateral: policy.badDebtThresholdFracOfCollateral,
      confidence: policy.confidence,
      ...(policy.expectedShortfall ? { expectedShortfall: policy.expectedShortfall } : {}),
    },
    assets,
  };
  // The file we write must pass the same schema consumers use.
  return validateParamsFile(out, "params (generated)");
}
