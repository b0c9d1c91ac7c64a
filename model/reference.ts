import type { Ecosystem } from "./ecosystem/schema";
import {
  BPS,
  CLOSE_FACTOR_HF_THRESHOLD,
  DEFAULT_CLOSE_FACTOR,
  MAX_LIQUIDATION_ROUNDS,
  ModelMarket,
  ModelPosition,
  ForgedMintModel,
  dexReserveEth,
  forgedCollateralLossEth,
  forgedMintModels,
  modelMarkets,
} from "./core";
import { LiquidationDemand, MarketStepper } from "./market";
import { OperatorStrategyLedger } from "./restaking";
import { Rng, pathRng } from "./rng";

/**
 * Reference engine: one path at a time, plain objects and loops, every step as the domain describes it.
 * It is slow on purpose and is the oracle the fast engine is tested against.
 *
 * Random draw protocol (shared with the fast engine; one uniform u per draw, "u < p" is an event):
 *   1. each AVS in input order: own fault;
 *   2. dependency propagation, FIFO from the root faults in AVS order: for each faulted upstream AVS, each
 *      not-yet-faulted dependent (dependents in AVS order, then dependency order) draws once;
 *   3. each common shock in input order;
 *   4. each operator with compromiseProbability > 0, in input order;
 *   5. each LRT with a backing shock, in input order;
 *   6. each liquidity shock, in input order;
 *   7. each operator with faultProbability > 0 (single-operator fault), in input order;
 *   8. each LRT with a forged-collateral (unbacked mint) event, in input order.
 */

export interface PathEvents {
  faultedAvs: boolean[];
  firedShocks: boolean[];
  compromisedOperators: boolean[];
  backingShocked: boolean[];
  liquidityShocksFired: boolean[];
  faultedOperators: boolean[];
  /** per LRT: its forged-collateral event fired */
  forgedMinted: boolean[];
}

export interface LrtPathResult {
  navLossFrac: number;
  /** Lowest market price over the event window, as a fraction of the pre-shock NAV. */
  marketPriceFrac: number;
  /** Discount of the market price to the post-shock NAV: 1 - marketPrice / NAV. */
  depegFrac: number;
  /** LRT sold into the market (panic sales, large sellers, liquidators), ETH at pre-shock NAV. */
  soldEth: number;
  /** market steps run (0 when the market layer did not run) */
  iterations: number;
  /** always true: the market layer is a closed-form step sequence (kept for the output's convergence report) */
  converged: boolean;
  /** false when liquidation demand was still unserved after the last step (liquidations did not pay) */
  settled?: boolean;
  /** steps that ended with liquidation demand unserved (see `MarketStepper.rationedSteps`) */
  rationedSteps?: number;
}

export interface MarketPathResult {
  repaidDebtEth: number;
  seizedCollateralEth: number;
  badDebtEth: number;
  /** positions liquidated (at least partly); reference engine only */
  liquidatedPositions?: number;
}

export interface PathResult {
  pathIndex: number;
  events: PathEvents;
  lrts: LrtPathResult[];
  markets: MarketPathResult[];
}

/** Samples the path's events following the draw protocol above. */
export function sampleEventsReference(eco: Ecosystem, rng: Rng): PathEvents {
  const faulted = eco.avss.map((a) => rng.next() < a.faultProbability);
  const queue: number[] = [];
  faulted.forEach((f, i) => f && queue.push(i));
  while (queue.length > 0) {
    const upstream = eco.avss[queue.shift()!].id;
    eco.avss.forEach((dep, di) => {
      for (const d of dep.dependencies) {
        if (d.avs !== upstream || faulted[di]) continue;
        if (rng.next() < d.propagationProbability) {
          faulted[di] = true;
          queue.push(di);
        }
      }
    });
  }
  const firedShocks = eco.commonShocks.map((c) => rng.next() < c.probability);
  const compromisedOperators = eco.operators.map((o) => o.compromiseProbability > 0 && rng.next() < o.compromiseProbability);
  const backingShocked = eco.lrts.map((l) => (l.backingShock ? rng.next() < l.backingShock.probability : false));
  const liquidityShocksFired = eco.liquidityShocks.map((s) => rng.next() < s.probability);
  const faultedOperators = eco.operators.map((o) => o.faultProbability > 0 && rng.next() < o.faultProbability);
  const forgedMinted = eco.lrts.map((l) => (l.forgedMint ? rng.next() < l.forgedMint.probability : false));
  return { faultedAvs: faulted, firedShocks, compromisedOperators, backingShocked, liquidityShocksFired, faultedOperators, forgedMinted };
}

/**
 * Restaking layer for one path: slashes applied to ELIP-002 ledgers in a fixed order (AVS faults, common shocks,
 * compromises), then LRT NAV loss = sum_{o,k} h_Lok * loss_ok (+ beacon penalty on native stake), then backing shocks
 * and forged mints: NAV factor = (1 - restaking loss) * (1 - backing loss) * (1 - forged dilution R / (S + R)).
 */
export function navLossReference(eco: Ecosystem, ev: PathEvents): number[] {
  const avsById = new Map(eco.avss.map((a) => [a.id, a] as const));
  const ledgers = new Map<string, OperatorStrategyLedger>();
  const beacon = new Map<string, number>();
  for (const o of eco.operators)
    for (const s of o.strategies)
      ledgers.set(`${o.id}/${s.strategy}`, new OperatorStrategyLedger(s.maxMagnitude, s.allocations.map((a) => [a.avs, a.magnitude])));

  const slashOperatorEverywhere = (oi: number, fraction: ((avs: string) => number) | null) => {
    const o = eco.operators[oi];
    for (const s of o.strategies) {
      const led = ledgers.get(`${o.id}/${s.strategy}`)!;
      for (const a of s.allocations) led.slash(a.avs, fraction ? fraction(a.avs) : avsById.get(a.avs)!.slashFraction);
    }
  };
  // 1. AVS faults: every operator allocated to the AVS is slashed w_S.
  eco.avss.forEach((avs, i) => {
    if (!ev.faultedAvs[i]) return;
    for (const o of eco.operators)
      for (const s of o.strategies)
        if (s.allocations.some((a) => a.avs === avs.id)) ledgers.get(`${o.id}/${s.strategy}`)!.slash(avs.id, avs.slashFraction);
  });
  // 2. Common shocks: every operator running the client / tagged with the infrastructure misbehaves on every AVS.
  eco.commonShocks.forEach((c, ci) => {
    if (!ev.firedShocks[ci]) return;
    eco.operators.forEach((o, oi) => {
      const hit = c.kind === "client" ? o.client === c.id : o.infrastructure.includes(c.id);
      if (!hit) return;
      slashOperatorEverywhere(oi, null);
      if (c.beaconPenaltyFraction > 0) {
        const key = `${o.id}/beaconETH`;
        beacon.set(key, 1 - (1 - (beacon.get(key) ?? 0)) * (1 - c.beaconPenaltyFraction));
      }
    });
  });
  // 3. Operator compromise: every allocation slashed by the compromise fraction (ELIP-006 redistribution worst case).
  eco.operators.forEach((_o, oi) => {
    if (ev.compromisedOperators[oi]) slashOperatorEverywhere(oi, () => eco.compromiseSlashFraction);
  });
  // 4. Single-operator faults: the operator is slashed on every AVS it is allocated to, at each AVS's own fraction.
  eco.operators.forEach((_o, oi) => {
    if (ev.faultedOperators[oi]) slashOperatorEverywhere(oi, null);
  });

  return eco.lrts.map((l, li) => {
    let restakeLoss = 0;
    for (const a of l.allocations) {
      const key = `${a.operator}/${a.strategy}`;
      const slashLoss = ledgers.get(key)!.lossFraction();
      const beaconLoss = a.strategy === "beaconETH" ? (beacon.get(key) ?? 0) : 0;
      restakeLoss += a.shareOfNav * (1 - (1 - slashLoss) * (1 - beaconLoss));
    }
    const backing = ev.backingShocked[li] ? l.backingShock!.lossFraction : 0;
    const fm = l.forgedMint;
    const dilution = ev.forgedMinted?.[li] && fm ? forgedDilution(fm) : 0;
    return 1 - (1 - restakeLoss) * (1 - backing) * (1 - dilution);
  });
}

/** Aave-style liquidation of one position at oracle price `po` (fraction of pre-shock NAV). */
export function liquidatePositionReference(
  p: ModelPosition,
  m: ModelMarket,
  po: number,
  profitable: boolean,
): MarketPathResult {
  const lt = m.liquidationThresholdBps / BPS;
  const lb = m.liquidationBonusBps / BPS;
  let coll = p.collateralEth;
  let debt = p.debtEth;
  let repaid = 0;
  let seized = 0;
  let hf = debt > 0 ? (lt * coll * po) / debt : Infinity;
  if (hf >= 1) return { repaidDebtEth: 0, seizedCollateralEth: 0, badDebtEth: 0 };
  if (!profitable) {
    // Nobody liquidates: the venue books the part of the debt its collateral (at the oracle price) cannot cover.
    return { repaidDebtEth: 0, seizedCollateralEth: 0, badDebtEth: Math.max(0, debt - coll * po) };
  }
  for (let round = 0; round < MAX_LIQUIDATION_ROUNDS && hf < 1 && debt > 0 && coll > 0; round++) {
    const closeFactor = m.liquidationRule === "full" || hf <= CLOSE_FACTOR_HF_THRESHOLD ? 1 : DEFAULT_CLOSE_FACTOR;
    let r = closeFactor * debt;
    let take = (r * (1 + lb)) / po;
    if (take >= coll) {
      // Not enough collateral for repay + bonus: seize all of it, repay what it covers.
      take = coll;
      r = (coll * po) / (1 + lb);
      coll = 0;
    } else {
      coll -= take;
    }
    debt -= r;
    repaid += r;
    seized += take;
    hf = debt > 0 ? (lt * coll * po) / debt : Infinity;
  }
  // Collateral exhausted with debt left: that debt is bad debt.
  const badDebt = coll === 0 && debt > 0 ? debt : 0;
  return { repaidDebtEth: repaid, seizedCollateralEth: seized, badDebtEth: badDebt };
}

/** NAV dilution of a forged mint: R / (S + R), R the forged tokens that stay claims (per unit of supply). */
function forgedDilution(fm: NonNullable<Ecosystem["lrts"][number]["forgedMint"]>): number {
  const r = fm.invalidated ? (1 - fm.postedShare) * fm.forgedFracOfSupply : fm.forgedFracOfSupply;
  return r / (1 + r);
}

export interface ReferenceModel {
  eco: Ecosystem;
  markets: ModelMarket[];
  /** per LRT: its forged-collateral event in model units, or null */
  forged: (ForgedMintModel | null)[];
}

export function prepareReference(eco: Ecosystem): ReferenceModel {
  const markets = modelMarkets(eco);
  return { eco, markets, forged: forgedMintModels(eco, markets) };
}

/**
 * Lender's loss on LRT li's forged position when its event fired on this path (after the market layer, at the path's
 * final NAV loss): the market it lands in and the loss, or null.
 */
export function forgedLossReference(model: ReferenceModel, li: number, ev: PathEvents, navLoss: number): { marketIndex: number; lossEth: number } | null {
  const f = model.forged[li];
  if (!f || !ev.forgedMinted[li]) return null;
  return { marketIndex: f.marketIndex, lossEth: forgedCollateralLossEth({ debtEth: f.debtEth, recoverableEth: f.recoverableEth, navLossFrac: navLoss }) };
}

/** Liquidation demand computed position by position (the reference for the fast engine's prefix sums). */
class ReferenceDemand implements LiquidationDemand {
  constructor(private readonly markets: ModelMarket[]) {}
  outcome(mi: number, po: number, poPrev: number, liquidate: boolean, out: Float64Array): void {
    const m = this.markets[mi];
    const lt = m.liquidationThresholdBps / BPS;
    out[0] = out[1] = out[2] = out[3] = 0;
    for (const p of m.positions) {
      // already below HF 1 at the previous (higher) oracle price: counted in an earlier tranche
      if (poPrev < Infinity && p.debtEth > 0 && (lt * p.collateralEth * poPrev) / p.debtEth < 1) continue;
      const r = liquidatePositionReference(p, m, po, liquidate);
      out[0] += r.repaidDebtEth;
      out[1] += r.seizedCollateralEth;
      out[2] += r.badDebtEth;
      if (r.repaidDebtEth > 0 || r.seizedCollateralEth > 0) out[3]++;
    }
  }
}

/** What the path's liquidity shocks do to one LRT's market (combined: withdrawals multiply, exit days add). */
export function liquidityInputsReference(eco: Ecosystem, li: number, fired: boolean[]) {
  const l = eco.lrts[li];
  const sellers: { eth: number; hours: number }[] = [];
  let keep = 1;
  let halfLife = 0;
  let exitDays = l.exitDays;
  let any = false;
  eco.liquidityShocks.forEach((s, si) => {
    if (!fired[si] || (s.lrts.length > 0 && !s.lrts.includes(l.id))) return;
    any = true;
    if (s.sellFracOfSupply > 0) sellers.push({ eth: s.sellFracOfSupply * l.supplyTokens * l.exchangeRate, hours: s.sellDurationHours });
    if (s.lpWithdrawFrac > 0) {
      keep *= 1 - s.lpWithdrawFrac;
      halfLife = Math.max(halfLife, s.lpHalfLifeHours);
    }
    exitDays += s.exitDaysAdded;
  });
  return { any, sellers, lpWithdrawFrac: 1 - keep, lpHalfLifeHours: halfLife, exitDays };
}

/**
 * Market + lending layers for one LRT: the multi-period market of `model/market.ts` with per-position liquidation
 * demand. Runs when the LRT lost NAV or a liquidity shock hit it.
 */
export function marketReference(
  model: ReferenceModel,
  li: number,
  navLoss: number,
  liquidityShocksFired: boolean[] = model.eco.liquidityShocks.map(() => false),
): { lrt: LrtPathResult; markets: Map<number, MarketPathResult> } {
  const l = model.eco.lrts[li];
  const mine = model.markets.map((m, i) => [m, i] as const).filter(([m]) => m.lrtIndex === li);
  const liq = liquidityInputsReference(model.eco, li, liquidityShocksFired);
  const zero = () => new Map(mine.map(([, i]) => [i, { repaidDebtEth: 0, seizedCollateralEth: 0, badDebtEth: 0, liquidatedPositions: 0 }]));
  if (navLoss <= 0 && !liq.any) {
    return {
      lrt: { navLossFrac: 0, marketPriceFrac: 1, depegFrac: 0, soldEth: 0, iterations: 0, converged: true },
      markets: zero(),
    };
  }
  const nav = 1 - navLoss;
  const stepper = new MarketStepper(mine.length, liq.sellers.length);
  stepper.nav = nav;
  stepper.panicEth = l.panicSellElasticity * navLoss * l.supplyTokens * l.exchangeRate;
  stepper.exitDays = liq.exitDays;
  stepper.lpWithdrawFrac = liq.lpWithdrawFrac;
  stepper.lpHalfLifeHours = liq.lpHalfLifeHours;
  stepper.nSellers = liq.sellers.length;
  liq.sellers.forEach((x, i) => {
    stepper.sellEth[i] = x.eth;
    stepper.sellHours[i] = x.hours;
  });
  const n = model.markets.length;
  const lbNet = new Float64Array(n);
  const sellShare = new Float64Array(n);
  const regime = new Uint8Array(n);
  model.markets.forEach((m, i) => {
    const lb = m.liquidationBonusBps / BPS;
    const fee = m.liquidationProtocolFeeBps / BPS;
    lbNet[i] = lb * (1 - fee);
    // the protocol keeps fee x bonus share of the seized collateral; the liquidator sells the rest
    sellShare[i] = 1 - (fee * lb) / (1 + lb);
    regime[i] = m.oracleRegime === "market-price" ? 1 : 0;
  });
  stepper.run(
    {
      reserveEth: dexReserveEth(l.dex),
      arbitrageCapitalEth: l.dex.arbitrageCapitalEth,
      arbitrageArrivalHalfLifeHours: l.dex.arbitrageArrivalHalfLifeHours,
      arbitrageCapitalMaxMultiple: l.dex.arbitrageCapitalMaxMultiple,
      requiredAnnualReturn: l.requiredAnnualReturn,
    },
    Int32Array.from(mine.map(([, i]) => i)),
    0,
    mine.length,
    lbNet,
    sellShare,
    regime,
    new ReferenceDemand(model.markets),
  );
  const markets = new Map<number, MarketPathResult>();
  mine.forEach(([, mi], k) =>
    markets.set(mi, {
      repaidDebtEth: stepper.repaid[k],
      seizedCollateralEth: stepper.seized[k],
      badDebtEth: stepper.bad[k],
      liquidatedPositions: stepper.count[k],
    }),
  );
  return {
    lrt: {
      navLossFrac: navLoss,
      marketPriceFrac: stepper.minPrice,
      depegFrac: 1 - stepper.minPrice / nav,
      soldEth: stepper.soldEth,
      iterations: stepper.steps,
      converged: true,
      settled: stepper.settled,
      rationedSteps: stepper.rationedSteps,
    },
    markets,
  };
}

/** Simulates one path with the reference engine. */
export function simulatePathReference(model: ReferenceModel, seed: number, pathIndex: number): PathResult {
  const rng = pathRng(seed, pathIndex);
  const events = sampleEventsReference(model.eco, rng);
  const navLoss = navLossReference(model.eco, events);
  const markets: MarketPathResult[] = model.markets.map(() => ({ repaidDebtEth: 0, seizedCollateralEth: 0, badDebtEth: 0 }));
  const lrts = navLoss.map((loss, li) => {
    const r = marketReference(model, li, loss, events.liquidityShocksFired);
    r.markets.forEach((v, mi) => (markets[mi] = v));
    return r.lrt;
  });
  navLoss.forEach((loss, li) => {
    const f = forgedLossReference(model, li, events, loss);
    if (f) markets[f.marketIndex] = { ...markets[f.marketIndex], badDebtEth: markets[f.marketIndex].badDebtEth + f.lossEth };
  });
  return { pathIndex, events, lrts, markets };
}
