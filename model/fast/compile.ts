import type { Ecosystem } from "../ecosystem/schema";
import { BPS, dexReserveEth, forgedMintModels, modelMarkets, queueDiscount } from "../core";
import type { Dims } from "../stats";

/**
 * The ecosystem flattened into typed arrays (CSR adjacency lists) for the fast kernel. Plain data: it can be sent
 * to worker threads by structured clone.
 */
export interface CompiledModel {
  dims: Dims;
  compromiseSlash: number;
  avsFaultP: Float64Array;
  /** propagation CSR by upstream AVS: dependents in AVS order, then dependency order */
  propStart: Int32Array;
  propTarget: Int32Array;
  propProb: Float64Array;
  avsAllocStart: Int32Array;
  avsAllocIdx: Int32Array;
  opAllocStart: Int32Array;
  opAllocIdx: Int32Array;
  allocOk: Int32Array;
  allocShare: Float64Array;
  allocW: Float64Array;
  nOk: number;
  shockP: Float64Array;
  shockBeacon: Float64Array;
  shockOpStart: Int32Array;
  shockOpIdx: Int32Array;
  opCompromiseP: Float64Array;
  opBeaconOk: Int32Array;
  okLrtStart: Int32Array;
  okLrtIdx: Int32Array;
  okLrtH: Float64Array;
  lrtBackingP: Float64Array;
  lrtBackingLoss: Float64Array;
  lrtDq: Float64Array;
  lrtStress: Float64Array;
  lrtReserve: Float64Array;
  lrtArb: Float64Array;
  lrtPanicCoef: Float64Array;
  lrtExitDays: Float64Array;
  lrtY: Float64Array;
  lrtArbHalfLife: Float64Array;
  lrtArbMult: Float64Array;
  /** LRTs with a forged-collateral event, ascending (draw order 8) */
  forgedLrts: Int32Array;
  /** per LRT (0 where none): forged event probability, NAV dilution, attacker debt, recoverable ETH, market index */
  lrtForgedP: Float64Array;
  lrtForgedDilution: Float64Array;
  lrtForgedDebt: Float64Array;
  lrtForgedRecoverable: Float64Array;
  lrtForgedMkt: Int32Array;
  /** single-operator fault probability per operator */
  opFaultP: Float64Array;
  liqP: Float64Array;
  /** liquidity shocks touching each LRT (CSR by LRT, shocks in input order) with their effect on that LRT */
  lrtLiqStart: Int32Array;
  lrtLiqIdx: Int32Array;
  liqSellEth: Float64Array;
  liqSellHours: Float64Array;
  liqLpW: Float64Array;
  liqLpHalfLife: Float64Array;
  liqExitDays: Float64Array;
  maxLiqPerLrt: number;
  maxMktPerLrt: number;
  lrtMktStart: Int32Array;
  lrtMktIdx: Int32Array;
  mktLt: Float64Array;
  mktLb: Float64Array;
  mktFee: Float64Array;
  mktRegimeMarket: Uint8Array;
  mktRuleFull: Uint8Array;
  /** LB (1 - fee) */
  mktLbNet: Float64Array;
  /** share of seized collateral the liquidator sells: 1 - fee LB / (1 + LB) */
  mktSellShare: Float64Array;
  mktPosStart: Int32Array;
  /** per market: debt / collateral (ETH at pre-shock NAV), ascending */
  rho: Float64Array;
  /** prefix sums with a leading 0 per market, at offset mktPosStart[m] + m */
  cumC: Float64Array;
  cumD: Float64Array;
  rhoMax: Float64Array;
}

function csr(n: number, lists: number[][]): { start: Int32Array; idx: Int32Array } {
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + lists[i].length;
  const idx = new Int32Array(start[n]);
  for (let i = 0; i < n; i++) idx.set(lists[i], start[i]);
  return { start, idx };
}

export function compileModel(eco: Ecosystem): CompiledModel {
  const avsIndex = new Map(eco.avss.map((a, i) => [a.id, i] as const));
  const opIndex = new Map(eco.operators.map((o, i) => [o.id, i] as const));
  const nA = eco.avss.length;
  const nO = eco.operators.length;
  const nL = eco.lrts.length;
  const markets = modelMarkets(eco);
  const nM = markets.length;

  // propagation
  const propLists: [number, number][][] = Array.from({ length: nA }, () => []);
  eco.avss.forEach((dep, di) => {
    for (const d of dep.dependencies) propLists[avsIndex.get(d.avs)!].push([di, d.propagationProbability]);
  });
  const prop = csr(nA, propLists.map((l) => l.map((x) => x[0])));
  const propProb = Float64Array.from(propLists.flat().map((x) => x[1]));

  // operator-strategies and allocations
  const okIndex = new Map<string, number>();
  const allocOk: number[] = [];
  const allocShare: number[] = [];
  const allocW: number[] = [];
  const avsAlloc: number[][] = Array.from({ length: nA }, () => []);
  const opAlloc: number[][] = Array.from({ length: nO }, () => []);
  const opBeaconOk = new Int32Array(nO).fill(-1);
  eco.operators.forEach((o, oi) => {
    for (const s of o.strategies) {
      const ok = okIndex.size;
      okIndex.set(`${o.id}/${s.strategy}`, ok);
      if (s.strategy === "beaconETH") opBeaconOk[oi] = ok;
      for (const a of s.allocations) {
        const j = allocOk.length;
        const ai = avsIndex.get(a.avs)!;
        allocOk.push(ok);
        allocShare.push(a.magnitude / s.maxMagnitude);
        allocW.push(eco.avss[ai].slashFraction);
        avsAlloc[ai].push(j);
        opAlloc[oi].push(j);
      }
    }
  });
  const nOk = okIndex.size;
  const okLrt: [number, number][][] = Array.from({ length: nOk }, () => []);
  eco.lrts.forEach((l, li) => {
    for (const a of l.allocations) okLrt[okIndex.get(`${a.operator}/${a.strategy}`)!].push([li, a.shareOfNav]);
  });
  const okL = csr(nOk, okLrt.map((x) => x.map((y) => y[0])));
  const avsA = csr(nA, avsAlloc);
  const opA = csr(nO, opAlloc);

  const shockOps = eco.commonShocks.map((c) =>
    eco.operators.flatMap((o, oi) => ((c.kind === "client" ? o.client === c.id : o.infrastructure.includes(c.id)) ? [oi] : [])),
  );
  const sh = csr(eco.commonShocks.length, shockOps);

  // markets
  const lrtMkt = csr(
    nL,
    Array.from({ length: nL }, (_, li) => markets.flatMap((m, mi) => (m.lrtIndex === li ? [mi] : []))),
  );
  const mktPosStart = new Int32Array(nM + 1);
  markets.forEach((m, i) => (mktPosStart[i + 1] = mktPosStart[i] + m.positions.length));
  const nP = mktPosStart[nM];
  const rho = new Float64Array(nP);
  const cumC = new Float64Array(nP + nM);
  const cumD = new Float64Array(nP + nM);
  const rhoMax = new Float64Array(nM);
  markets.forEach((m, mi) => {
    const ps = m.positions
      .map((p) => ({ r: p.debtEth / p.collateralEth, c: p.collateralEth, d: p.debtEth }))
      .sort((a, b) => a.r - b.r);
    const s = mktPosStart[mi];
    const off = s + mi;
    cumC[off] = 0;
    cumD[off] = 0;
    ps.forEach((p, k) => {
      rho[s + k] = p.r;
      cumC[off + k + 1] = cumC[off + k] + p.c;
      cumD[off + k + 1] = cumD[off + k] + p.d;
    });
    rhoMax[mi] = ps.length ? ps[ps.length - 1].r : 0;
  });

  const forged = forgedMintModels(eco, markets);

  const liqLists = eco.lrts.map((l) =>
    eco.liquidityShocks.flatMap((sh, si) => (sh.lrts.length === 0 || sh.lrts.includes(l.id) ? [si] : [])),
  );
  const liq = csr(nL, liqLists);
  const liqEntries = eco.lrts.flatMap((l, li) => liqLists[li].map((si) => ({ l, s: eco.liquidityShocks[si] })));

  return {
    dims: {
      liquidityShocks: eco.liquidityShocks.length,
      avss: nA,
      shocks: eco.commonShocks.length,
      operators: nO,
      lrts: nL,
      markets: nM,
      venues: eco.venues.length,
      marketVenue: markets.map((m) => m.venueIndex),
      marketLrt: markets.map((m) => m.lrtIndex),
    },
    compromiseSlash: eco.compromiseSlashFraction,
    avsFaultP: Float64Array.from(eco.avss.map((a) => a.faultProbability)),
    propStart: prop.start,
    propTarget: prop.idx,
    propProb,
    avsAllocStart: avsA.start,
    avsAllocIdx: avsA.idx,
    opAllocStart: opA.start,
    opAllocIdx: opA.idx,
    allocOk: Int32Array.from(allocOk),
    allocShare: Float64Array.from(allocShare),
    allocW: Float64Array.from(allocW),
    nOk,
    shockP: Float64Array.from(eco.commonShocks.map((c) => c.probability)),
    shockBeacon: Float64Array.from(eco.commonShocks.map((c) => c.beaconPenaltyFraction)),
    shockOpStart: sh.start,
    shockOpIdx: sh.idx,
    opCompromiseP: Float64Array.from(eco.operators.map((o) => o.compromiseProbability)),
    opBeaconOk,
    okLrtStart: okL.start,
    okLrtIdx: okL.idx,
    okLrtH: Float64Array.from(okLrt.flat().map((x) => x[1])),
    lrtBackingP: Float64Array.from(eco.lrts.map((l) => (l.backingShock ? l.backingShock.probability : -1))),
    lrtBackingLoss: Float64Array.from(eco.lrts.map((l) => (l.backingShock ? l.backingShock.lossFraction : 0))),
    lrtDq: Float64Array.from(eco.lrts.map((l) => queueDiscount(l))),
    lrtStress: Float64Array.from(eco.lrts.map((l) => l.stressNavLossFrac)),
    lrtReserve: Float64Array.from(eco.lrts.map((l) => dexReserveEth(l.dex))),
    lrtArb: Float64Array.from(eco.lrts.map((l) => l.dex.arbitrageCapitalEth)),
    lrtPanicCoef: Float64Array.from(eco.lrts.map((l) => l.panicSellElasticity * l.supplyTokens * l.exchangeRate)),
    lrtExitDays: Float64Array.from(eco.lrts.map((l) => l.exitDays)),
    lrtY: Float64Array.from(eco.lrts.map((l) => l.requiredAnnualReturn)),
    lrtArbHalfLife: Float64Array.from(eco.lrts.map((l) => l.dex.arbitrageArrivalHalfLifeHours)),
    lrtArbMult: Float64Array.from(eco.lrts.map((l) => l.dex.arbitrageCapitalMaxMultiple)),
    forgedLrts: Int32Array.from(forged.flatMap((x, li) => (x ? [li] : []))),
    lrtForgedP: Float64Array.from(forged.map((x) => (x ? x.probability : 0))),
    lrtForgedDilution: Float64Array.from(forged.map((x) => (x ? x.dilutionFrac : 0))),
    lrtForgedDebt: Float64Array.from(forged.map((x) => (x ? x.debtEth : 0))),
    lrtForgedRecoverable: Float64Array.from(forged.map((x) => (x ? x.recoverableEth : 0))),
    lrtForgedMkt: Int32Array.from(forged.map((x) => (x ? x.marketIndex : -1))),
    opFaultP: Float64Array.from(eco.operators.map((o) => o.faultProbability)),
    liqP: Float64Array.from(eco.liquidityShocks.map((x) => x.probability)),
    lrtLiqStart: liq.start,
    lrtLiqIdx: liq.idx,
    liqSellEth: Float64Array.from(liqEntries.map(({ l, s }) => s.sellFracOfSupply * l.supplyTokens * l.exchangeRate)),
    liqSellHours: Float64Array.from(liqEntries.map(({ s }) => s.sellDurationHours)),
    liqLpW: Float64Array.from(liqEntries.map(({ s }) => s.lpWithdrawFrac)),
    liqLpHalfLife: Float64Array.from(liqEntries.map(({ s }) => s.lpHalfLifeHours)),
    liqExitDays: Float64Array.from(liqEntries.map(({ s }) => s.exitDaysAdded)),
    maxLiqPerLrt: Math.max(0, ...liqLists.map((x) => x.length)),
    maxMktPerLrt: Math.max(0, ...Array.from({ length: nL }, (_, li) => lrtMkt.start[li + 1] - lrtMkt.start[li])),
    lrtMktStart: lrtMkt.start,
    lrtMktIdx: lrtMkt.idx,
    mktLt: Float64Array.from(markets.map((m) => m.liquidationThresholdBps / BPS)),
    mktLb: Float64Array.from(markets.map((m) => m.liquidationBonusBps / BPS)),
    mktFee: Float64Array.from(markets.map((m) => m.liquidationProtocolFeeBps / BPS)),
    mktRegimeMarket: Uint8Array.from(markets.map((m) => (m.oracleRegime === "market-price" ? 1 : 0))),
    mktRuleFull: Uint8Array.from(markets.map((m) => (m.liquidationRule === "full" ? 1 : 0))),
    mktLbNet: Float64Array.from(markets.map((m) => (m.liquidationBonusBps / BPS) * (1 - m.liquidationProtocolFeeBps / BPS))),
    mktSellShare: Float64Array.from(
      markets.map((m) => {
        const lb = m.liquidationBonusBps / BPS;
        const fee = m.liquidationProtocolFeeBps / BPS;
        return 1 - (fee * lb) / (1 + lb);
      }),
    ),
    mktPosStart,
    rho,
    cumC,
    cumD,
    rhoMax,
  };
}
