import { CLOSE_FACTOR_HF_THRESHOLD, MAX_LIQUIDATION_ROUNDS } from "../core";
import { LiquidationDemand, LrtMarketSpec, MarketStepper } from "../market";
import { mix32 } from "../rng";
import { Accumulator, PathFlat } from "../stats";
import type { CompiledModel } from "./compile";

/**
 * Fast kernel: the same model and the same random draws as the reference engine, on flattened typed arrays with
 * all scratch memory allocated once per kernel. Liquidations use per-market positions sorted by debt/collateral
 * (rho) with prefix sums: for a given oracle price every position's fate is decided by which side of a few rho
 * thresholds it sits on, so a market costs O(k log n) (k = number of thresholds, usually <= 6) instead of O(n).
 */
export class FastKernel implements LiquidationDemand {
  private readonly flat: PathFlat;
  private readonly faulted: Uint8Array;
  private readonly queue: Int32Array;
  private readonly survive: Float64Array;
  private readonly allocTouched: Int32Array;
  private readonly allocFlag: Uint8Array;
  private nAllocTouched = 0;
  private readonly okLoss: Float64Array;
  private readonly okBeacon: Float64Array;
  private readonly okTouched: Int32Array;
  private readonly okFlag: Uint8Array;
  private nOkTouched = 0;
  private readonly lrtRestake: Float64Array;
  private readonly stepper: MarketStepper;
  private readonly specs: LrtMarketSpec[];
  // galloping hints per market: last boundary indices found
  private readonly hintHf1: Int32Array;
  private readonly hintUnder: Int32Array;
  private readonly hintIns: Int32Array;
  private readonly hintFull: Int32Array;
  // sfc32 state
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  // market outcome scratch
  private oRepaid = 0;
  private oSeized = 0;
  private oBad = 0;
  private oCount = 0;

  constructor(readonly cm: CompiledModel) {
    this.flat = new PathFlat(cm.dims);
    this.faulted = new Uint8Array(cm.dims.avss);
    this.queue = new Int32Array(cm.dims.avss);
    const nAlloc = cm.allocOk.length;
    this.survive = new Float64Array(nAlloc).fill(1);
    this.allocTouched = new Int32Array(nAlloc);
    this.allocFlag = new Uint8Array(nAlloc);
    this.okLoss = new Float64Array(cm.nOk);
    this.okBeacon = new Float64Array(cm.nOk);
    this.okTouched = new Int32Array(cm.nOk);
    this.okFlag = new Uint8Array(cm.nOk);
    this.lrtRestake = new Float64Array(cm.dims.lrts);
    this.stepper = new MarketStepper(Math.max(1, cm.maxMktPerLrt), cm.maxLiqPerLrt);
    this.specs = Array.from({ length: cm.dims.lrts }, (_, l) => ({
      reserveEth: cm.lrtReserve[l],
      arbitrageCapitalEth: cm.lrtArb[l],
      arbitrageArrivalHalfLifeHours: cm.lrtArbHalfLife[l],
      arbitrageCapitalMaxMultiple: cm.lrtArbMult[l],
      requiredAnnualReturn: cm.lrtY[l],
    }));
    this.hintHf1 = Int32Array.from(cm.mktPosStart.subarray(0, cm.dims.markets));
    this.hintUnder = Int32Array.from(this.hintHf1);
    this.hintIns = Int32Array.from(this.hintHf1);
    this.hintFull = Int32Array.from(this.hintHf1);
  }

  private seed(lo: number, hi: number, path: number): void {
    // identical to Sfc32.seedPath
    this.a = mix32(lo ^ 0x243f6a88);
    this.b = mix32(hi ^ 0x85a308d3);
    this.c = mix32((path >>> 0) ^ 0x13198a2e);
    this.d = mix32(Math.floor(path / 4294967296) ^ 0x03707344);
    for (let i = 0; i < 12; i++) this.u();
  }

  /** Next uniform in [0,1): sfc32 inlined. */
  private u(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  private touchAlloc(j: number, factor: number): void {
    if (this.allocFlag[j] === 0) {
      this.allocFlag[j] = 1;
      this.allocTouched[this.nAllocTouched++] = j;
    }
    this.survive[j] *= factor;
  }
  private touchOk(ok: number): void {
    if (this.okFlag[ok] === 0) {
      this.okFlag[ok] = 1;
      this.okTouched[this.nOkTouched++] = ok;
    }
  }

  /** Simulates paths [start, start+count) into `acc`; `trace`, if given, receives each path's flat record. */
  run(seedLo: number, seedHi: number, start: number, count: number, acc: Accumulator | null, trace?: (p: PathFlat, i: number) => void): void {
    for (let i = start; i < start + count; i++) {
      this.path(seedLo, seedHi, i);
      if (acc) acc.add(this.flat);
      if (trace) trace(this.flat, i);
    }
  }

  private path(seedLo: number, seedHi: number, pathIndex: number): void {
    const cm = this.cm;
    const f = this.flat;
    const nA = cm.dims.avss;
    this.seed(seedLo, seedHi, pathIndex);

    // 1-2. AVS faults and propagation (FIFO from roots in AVS order)
    const faulted = this.faulted;
    let qh = 0;
    let qt = 0;
    for (let s = 0; s < nA; s++) {
      const hit = this.u() < cm.avsFaultP[s] ? 1 : 0;
      faulted[s] = hit;
      if (hit) this.queue[qt++] = s;
    }
    while (qh < qt) {
      const s = this.queue[qh++];
      for (let e = cm.propStart[s]; e < cm.propStart[s + 1]; e++) {
        const t = cm.propTarget[e];
        if (faulted[t]) continue;
        if (this.u() < cm.propProb[e]) {
          faulted[t] = 1;
          this.queue[qt++] = t;
        }
      }
    }
    // 3-5. common shocks, compromises, backing shocks
    const nS = cm.shockP.length;
    for (let c = 0; c < nS; c++) f.shockFired[c] = this.u() < cm.shockP[c] ? 1 : 0;
    const nO = cm.opCompromiseP.length;
    for (let o = 0; o < nO; o++) {
      const p = cm.opCompromiseP[o];
      f.opCompromised[o] = p > 0 && this.u() < p ? 1 : 0;
    }
    const nL = cm.dims.lrts;
    for (let l = 0; l < nL; l++) {
      const p = cm.lrtBackingP[l];
      f.backingShocked[l] = p >= 0 && this.u() < p ? 1 : 0;
    }
    const nQ = cm.liqP.length;
    for (let q = 0; q < nQ; q++) f.liqShockFired[q] = this.u() < cm.liqP[q] ? 1 : 0;
    for (let o = 0; o < nO; o++) {
      const p = cm.opFaultP[o];
      f.opFaulted[o] = p > 0 && this.u() < p ? 1 : 0;
    }
    // 8. forged-collateral events (only the LRTs that have one)
    const nF = cm.forgedLrts.length;
    for (let k = 0; k < nF; k++) {
      const l = cm.forgedLrts[k];
      f.forgedMinted[l] = this.u() < cm.lrtForgedP[l] ? 1 : 0;
    }
    f.avsFaulted.set(faulted);

    // Slashing: survive_j = prod (1 - w) over the slashes on allocation j; loss_ok = sum_j a_j (1 - survive_j).
    for (let s = 0; s < nA; s++) {
      if (!faulted[s]) continue;
      for (let e = cm.avsAllocStart[s]; e < cm.avsAllocStart[s + 1]; e++) {
        const j = cm.avsAllocIdx[e];
        this.touchAlloc(j, 1 - cm.allocW[j]);
      }
    }
    for (let c = 0; c < nS; c++) {
      if (!f.shockFired[c]) continue;
      const beacon = cm.shockBeacon[c];
      for (let e = cm.shockOpStart[c]; e < cm.shockOpStart[c + 1]; e++) {
        const o = cm.shockOpIdx[e];
        for (let k = cm.opAllocStart[o]; k < cm.opAllocStart[o + 1]; k++) {
          const j = cm.opAllocIdx[k];
          this.touchAlloc(j, 1 - cm.allocW[j]);
        }
        const bok = cm.opBeaconOk[o];
        if (beacon > 0 && bok >= 0) {
          this.touchOk(bok);
          this.okBeacon[bok] = 1 - (1 - this.okBeacon[bok]) * (1 - beacon);
        }
      }
    }
    const comp = 1 - cm.compromiseSlash;
    for (let o = 0; o < nO; o++) {
      if (!f.opCompromised[o]) continue;
      for (let k = cm.opAllocStart[o]; k < cm.opAllocStart[o + 1]; k++) this.touchAlloc(cm.opAllocIdx[k], comp);
    }
    // single-operator faults: every allocation at its AVS's own fraction
    for (let o = 0; o < nO; o++) {
      if (!f.opFaulted[o]) continue;
      for (let k = cm.opAllocStart[o]; k < cm.opAllocStart[o + 1]; k++) {
        const j = cm.opAllocIdx[k];
        this.touchAlloc(j, 1 - cm.allocW[j]);
      }
    }
    for (let t = 0; t < this.nAllocTouched; t++) {
      const j = this.allocTouched[t];
      const ok = cm.allocOk[j];
      this.touchOk(ok);
      this.okLoss[ok] += cm.allocShare[j] * (1 - this.survive[j]);
      this.survive[j] = 1;
      this.allocFlag[j] = 0;
    }
    this.nAllocTouched = 0;
    this.lrtRestake.fill(0);
    for (let t = 0; t < this.nOkTouched; t++) {
      const ok = this.okTouched[t];
      const loss = 1 - (1 - this.okLoss[ok]) * (1 - this.okBeacon[ok]);
      for (let e = cm.okLrtStart[ok]; e < cm.okLrtStart[ok + 1]; e++) this.lrtRestake[cm.okLrtIdx[e]] += cm.okLrtH[e] * loss;
      this.okLoss[ok] = 0;
      this.okBeacon[ok] = 0;
      this.okFlag[ok] = 0;
    }
    this.nOkTouched = 0;

    // Market and lending layers per LRT.
    f.mktRepaid.fill(0);
    f.mktSeized.fill(0);
    f.mktBadDebt.fill(0);
    for (let l = 0; l < nL; l++) {
      const backing = f.backingShocked[l] ? cm.lrtBackingLoss[l] : 0;
      const forged = f.forgedMinted[l] ? cm.lrtForgedDilution[l] : 0;
      const navLoss = 1 - (1 - this.lrtRestake[l]) * (1 - backing) * (1 - forged);
      f.lrtNavLoss[l] = navLoss;
      let liq = false;
      for (let e = cm.lrtLiqStart[l]; e < cm.lrtLiqStart[l + 1]; e++) if (f.liqShockFired[cm.lrtLiqIdx[e]]) liq = true;
      if (navLoss <= 0 && !liq) {
        f.lrtPrice[l] = 1;
        f.lrtDepeg[l] = 0;
        f.lrtSold[l] = 0;
        f.lrtIterations[l] = 0;
        f.lrtConverged[l] = 1;
        continue;
      }
      this.market(l, navLoss);
    }
    // lender's loss on each fired forged position: max(0, D - recoverable (1 - NAV loss)) (core.forgedCollateralLossEth)
    for (let k = 0; k < nF; k++) {
      const l = cm.forgedLrts[k];
      if (!f.forgedMinted[l]) continue;
      const loss = cm.lrtForgedDebt[l] - cm.lrtForgedRecoverable[l] * (1 - f.lrtNavLoss[l]);
      if (loss > 0) f.mktBadDebt[cm.lrtForgedMkt[l]] += loss;
    }
  }

  /** Multi-period market (model/market.ts) for LRT l with this path's liquidity shocks. */
  private market(l: number, navLoss: number): void {
    const cm = this.cm;
    const f = this.flat;
    const st = this.stepper;
    const nav = 1 - navLoss;
    st.nav = nav;
    st.panicEth = cm.lrtPanicCoef[l] * navLoss;
    let exitDays = cm.lrtExitDays[l];
    let keep = 1;
    let halfLife = 0;
    let ns = 0;
    for (let e = cm.lrtLiqStart[l]; e < cm.lrtLiqStart[l + 1]; e++) {
      if (!f.liqShockFired[cm.lrtLiqIdx[e]]) continue;
      if (cm.liqSellEth[e] > 0) {
        st.sellEth[ns] = cm.liqSellEth[e];
        st.sellHours[ns] = cm.liqSellHours[e];
        ns++;
      }
      if (cm.liqLpW[e] > 0) {
        keep *= 1 - cm.liqLpW[e];
        if (cm.liqLpHalfLife[e] > halfLife) halfLife = cm.liqLpHalfLife[e];
      }
      exitDays += cm.liqExitDays[e];
    }
    st.nSellers = ns;
    st.exitDays = exitDays;
    st.lpWithdrawFrac = 1 - keep;
    st.lpHalfLifeHours = halfLife;
    const m0 = cm.lrtMktStart[l];
    const n = cm.lrtMktStart[l + 1] - m0;
    st.run(this.specs[l], cm.lrtMktIdx, m0, n, cm.mktLbNet, cm.mktSellShare, cm.mktRegimeMarket, this);
    for (let k = 0; k < n; k++) {
      const m = cm.lrtMktIdx[m0 + k];
      f.mktRepaid[m] = st.repaid[k];
      f.mktSeized[m] = st.seized[k];
      f.mktBadDebt[m] = st.bad[k];
    }
    f.lrtPrice[l] = st.minPrice;
    f.lrtDepeg[l] = 1 - st.minPrice / nav;
    f.lrtSold[l] = st.soldEth;
    f.lrtIterations[l] = st.steps;
    f.lrtConverged[l] = 1;
  }

  /** LiquidationDemand: market m's outcome at oracle price po from the sorted prefix sums. */
  outcome(m: number, po: number, poPrev: number, liquidate: boolean, out: Float64Array): void {
    const cm = this.cm;
    // positions already below HF 1 at poPrev (rho > LT poPrev) belong to an earlier tranche
    const eLim = poPrev < Infinity ? this.upper(cm.mktPosStart[m], cm.mktPosStart[m + 1], cm.mktLt[m] * poPrev) : cm.mktPosStart[m + 1];
    this.marketOutcome(m, po, liquidate, eLim);
    out[0] = this.oRepaid;
    out[1] = this.oSeized;
    out[2] = this.oBad;
    out[3] = this.oCount;
  }

  /**
   * Same result as `upper(lo, hi, x)`, searched outwards from `hint` (galloping): between fixed-point iterations the
   * price moves little, so the boundary is usually at or next to where it was.
   */
  private upperFrom(lo: number, hi: number, x: number, hint: number): number {
    const rho = this.cm.rho;
    let h = hint < lo ? lo : hint > hi ? hi : hint;
    if (h < hi && !(rho[h] > x)) {
      // answer in (h, hi]; invariant rho[h] <= x
      let step = 1;
      while (h + step < hi && !(rho[h + step] > x)) {
        h += step;
        step <<= 1;
      }
      return this.upper(h + 1, h + step < hi ? h + step : hi, x) ;
    }
    // answer in [lo, h]; invariant h == hi or rho[h] > x
    let step = 1;
    while (h - step >= lo && rho[h - step] > x) {
      h -= step;
      step <<= 1;
    }
    return this.upper(h - step >= lo ? h - step + 1 : lo, h, x);
  }
  /** Same result as `lower(lo, hi, x)`, galloping from `hint`. */
  private lowerFrom(lo: number, hi: number, x: number, hint: number): number {
    const rho = this.cm.rho;
    let h = hint < lo ? lo : hint > hi ? hi : hint;
    if (h < hi && !(rho[h] >= x)) {
      let step = 1;
      while (h + step < hi && !(rho[h + step] >= x)) {
        h += step;
        step <<= 1;
      }
      return this.lower(h + 1, h + step < hi ? h + step : hi, x);
    }
    let step = 1;
    while (h - step >= lo && rho[h - step] >= x) {
      h -= step;
      step <<= 1;
    }
    return this.lower(h - step >= lo ? h - step + 1 : lo, h, x);
  }

  /** First index in [lo, hi) with rho > x. */
  private upper(lo: number, hi: number, x: number): number {
    const rho = this.cm.rho;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rho[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
  /** First index in [lo, hi) with rho >= x. */
  private lower(lo: number, hi: number, x: number): number {
    const rho = this.cm.rho;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rho[mid] >= x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * Liquidation outcome of market m at oracle price po (fraction of pre-shock NAV). With u = po / rho the
   * collateral value per unit of debt and HF = LT u:
   *  - HF >= 1 (rho <= LT po): untouched;
   *  - not profitable: nobody liquidates; bad debt = sum over rho > po of (D - C po);
   *  - insolvent, u < 1 + LB (rho > po / (1 + LB)): all collateral seized, repaid C po / (1 + LB), rest is bad debt;
   *  - solvent, HF <= 0.95 or rule "full": whole debt repaid, D (1 + LB) / po seized;
   *  - solvent, 0.95 < HF < 1 (Aave): k rounds of 50%, u_k = (1 + LB) + 2^k (u - (1 + LB)) until LT u_k >= 1,
   *    i.e. k rounds for u in [U_k, U_{k-1}) with U_k = (1 + LB) + (1/LT - (1 + LB)) / 2^k; repaid D (1 - 2^-k).
   */
  private marketOutcome(m: number, po: number, profitable: boolean, eLim: number): void {
    const cm = this.cm;
    this.oRepaid = 0;
    this.oSeized = 0;
    this.oBad = 0;
    this.oCount = 0;
    const lt = cm.mktLt[m];
    if (cm.rhoMax[m] <= lt * po) return;
    const s = cm.mktPosStart[m];
    const e = cm.mktPosStart[m + 1];
    // cumulative arrays hold one leading 0 per market: position index a maps to a + m
    const cumC = cm.cumC;
    const cumD = cm.cumD;
    const i1 = (this.hintHf1[m] = this.upperFrom(s, e, lt * po, this.hintHf1[m]));
    if (!profitable) {
      const i0 = (this.hintUnder[m] = this.upperFrom(i1, e, po, this.hintUnder[m]));
      this.oBad = (cumD[e + m] - cumD[i0 + m]) - (cumC[e + m] - cumC[i0 + m]) * po;
      if (this.oBad < 0) this.oBad = 0;
      return;
    }
    // only positions up to eLim (not already below HF 1 at the previous oracle price)
    const E = eLim;
    if (i1 >= E) return;
    this.oCount = E - i1;
    const lb = cm.mktLb[m];
    const onePlus = 1 + lb;
    const iIns = Math.min(E, Math.max(i1, (this.hintIns[m] = this.upperFrom(s, e, po / onePlus, this.hintIns[m]))));
    if (iIns < E) {
      const c = (cumC[E + m] - cumC[iIns + m]);
      const rep = (c * po) / onePlus;
      this.oRepaid += rep;
      this.oSeized += c;
      const bad = (cumD[E + m] - cumD[iIns + m]) - rep;
      this.oBad += bad > 0 ? bad : 0;
    }
    if (i1 >= iIns) return;
    let iFull = i1;
    if (cm.mktRuleFull[m]) iFull = i1;
    else iFull = Math.min(iIns, Math.max(i1, (this.hintFull[m] = this.lowerFrom(s, e, (lt * po) / CLOSE_FACTOR_HF_THRESHOLD, this.hintFull[m]))));
    if (iFull < iIns) {
      const dd = (cumD[iIns + m] - cumD[iFull + m]);
      this.oRepaid += dd;
      this.oSeized += (dd * onePlus) / po;
    }
    // partial rounds on [i1, iFull)
    let lo = i1;
    const gap = 1 / lt - onePlus;
    let pow = 1;
    for (let k = 1; k <= MAX_LIQUIDATION_ROUNDS && lo < iFull; k++) {
      pow *= 0.5;
      const hi = k === MAX_LIQUIDATION_ROUNDS ? iFull : Math.min(iFull, this.upper(lo, iFull, po / (onePlus + gap * pow)));
      if (hi > lo) {
        const dd = (cumD[hi + m] - cumD[lo + m]) * (1 - pow);
        this.oRepaid += dd;
        this.oSeized += (dd * onePlus) / po;
        lo = hi;
      }
    }
  }
}
