import type { Ecosystem } from "../ecosystem/schema";
import { BPS, dexPriceFactor, dexReserveEth, modelMarkets, queueDiscount } from "../core";
import { compileModel } from "../fast/compile";
import { FastKernel } from "../fast/kernel";
import { hashCanonical } from "../hash";
import { seedWords } from "../rng";
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
  exceed: Float64Array; // per market: P(bad debt > K)
  stressedDepeg: number[][]; // per LRT: depeg on paths with NAV loss
  navLoss: number[][]; // per LRT: NAV loss on all paths
}

function runStats(eco: Ecosystem, policy: Policy, collect: boolean): RunStats {
  const cm = compileModel(eco);
  const kernel = new FastKernel(cm);
  const [lo, hi] = seedWords(policy.seed);
  const exceed = new Float64Array(cm.dims.markets);
  const stressedDepeg: number[][] = Array.from({ length: cm.dims.lrts }, () => []);
  const navLoss: number[][] = Array.from({ length: cm.dims.lrts }, () => []);
  kernel.run(lo, hi, 0, policy.paths, null, (p) => {
    for (let m = 0; m < cm.dims.markets; m++) if (p.mktBadDebt[m] > policy.badDebtThresholdEth) exceed[m]++;
    if (collect)
      for (let l = 0; l < cm.dims.lrts; l++) {
        navLoss[l].push(p.lrtNavLoss[l]);
        if (p.lrtNavLoss[l] > 0) stressedDepeg[l].push(p.lrtDepeg[l]);
      }
  });
  for (let m = 0; m < exceed.length; m++) exceed[m] /= policy.paths;
  return { exceed, stressedDepeg, navLoss };
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

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function computeParams(req: ComputeParamsRequest): ParamsFile {
  const { ecosystem: eco, policy } = req;
  const log = req.onProgress ?? (() => undefined);
  const markets = modelMarkets(eco);
  if (!eco.venues.some((v) => v.id === policy.protectedVenue))
    throw new Error(`policy: protectedVenue: unknown venue "${policy.protectedVenue}" (ecosystem has ${eco.venues.map((v) => v.id).join(", ")})`);
  const protectedRegime = eco.venues.find((v) => v.id === policy.protectedVenue)!.oracleRegime;
  log(`baseline: ${policy.paths} paths`);
  const base = runStats(eco, policy, true);

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
    const cache = new Map<number, number>();
    const exceedAt = (lt: number) => {
      if (!cache.has(lt)) {
        const e = runStats(withMarket(eco, mi, { ltvBps: Math.max(1, lt - gap), ltBps: lt, lbBps }), policy, false).exceed[mi];
        cache.set(lt, e);
      }
      return cache.get(lt)!;
    };
    let best = -1;
    let a = loLt;
    let b = hiLt;
    while (a <= b) {
      const mid = a + Math.floor((b - a) / step / 2) * step;
      if (exceedAt(mid) <= policy.maxExceedanceProbability) {
        best = mid;
        a = mid + step;
      } else b = mid - step;
    }
    const holds = best >= 0;
    const lt = holds ? best : loLt;
    const pRec = exceedAt(lt);
    log(`${m.id} (${mode} rules): LT ${lt} LB ${lbBps} P(bad>K) ${pRec.toFixed(4)} (current ${currentExceed.toFixed(4)})`);
    return {
      m,
      venue: m.venue,
      mode,
      // A morpho-blue market's bonus comes from its LLTV and can be fractional (model/venues.ts): whole bps here.
      current: { ltvBps: m.ltvBps, liquidationThresholdBps: m.liquidationThresholdBps, liquidationBonusBps: Math.round(m.liquidationBonusBps) },
      recommended: { ltvBps: Math.max(1, lt - gap), liquidationThresholdBps: lt, liquidationBonusBps: lbBps },
      pExceedCurrent: currentExceed,
      pExceedRecommended: pRec,
      policyHolds: holds && pRec <= policy.maxExceedanceProbability,
      ...(holds ? {} : { note: `no LT >= ${loLt} bps meets the policy; the grid minimum is reported` }),
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
        },
      },
    ];
  });

  const out: ParamsFile = {
    schema: PARAMS_SCHEMA_ID,
    format: PARAMS_SCHEMA_ID,
    provenance: {
      modelVersion: MODEL_VERSION,
      seed: policy.seed,
      paths: policy.paths,
      inputHash: hashCanonical(eco),
      policyHash: hashCanonical(policy),
      generatedAt: req.generatedAt ?? new Date().toISOString(),
      ecosystem: req.ecosystemLabel ?? eco.name,
      policy: policy.name,
    },
    policy: {
      badDebtThresholdEth: policy.badDebtThresholdEth,
      maxExceedanceProbability: policy.maxExceedanceProbability,
      protectedVenue: policy.protectedVenue,
    },
    assets,
  };
  // The file we write must pass the same schema consumers use.
  return validateParamsFile(out, "params (generated)");
}
