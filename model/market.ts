/**
 * Multi-period market layer with a rationed liquidation equilibrium, shared by both engines (they differ only in how
 * a market's liquidation demand at an oracle price is computed: per position in the reference engine, from sorted
 * prefix sums in the fast one).
 *
 * Per LRT on a path with a NAV loss or a liquidity shock, time runs over the fixed grid `MARKET_STEP_HOURS`
 * (0, 5 min, 15 min, ... 256 h). Everything sold so far (`Q`, ETH at pre-shock NAV) sits either in the DEX pool or
 * with arbitrageurs who buy the discount and redeem it through the exit queue:
 *
 *   Q = q(d) + B(d)
 *   q(d) = X_t (1 / sqrt(1 - d) - 1)                      constant-product pool: inventory at discount d
 *   B(d) = A a_t min(m, d 365 / (T y))                    arbitrage capital responding to the annualised return
 *   X_t  = X (1 - w 2^(-t / h_lp))                        LP withdrawal w returning with half-life h_lp
 *   a_t  = 1 - 2^(-t / h_arb)                             arbitrage capital arriving with half-life h_arb
 *
 * Both terms increase in d, so the discount d(Q) is unique (solved in closed form or by a monotone Newton iteration
 * on z = 1 / sqrt(1 - d)); the price is NAV (1 - d).
 *
 * Each step: exogenous sales due by the end of the step (panic sales at t = 0, large sellers spread over their
 * duration) are added; the market-price oracle reads the price; positions that crossed HF 1 since the market's
 * lowest oracle price so far join its liquidation demand, each liquidated (in full, Aave or Morpho rules) at the
 * oracle price it crossed at; liquidators then sell seized collateral **only while the marginal sale pays**:
 * the price after their sale must stay at or above P_oracle / (1 + LB (1 - fee)). That caps the sales at
 * `Qcap(d*) - Q` with d* = 1 - P_oracle / ((1 + LB') NAV), a closed form (no fixed point, so no 2-cycle). Markets
 * are served least tolerant first (highest pay threshold). Unserved demand waits for the next step (arbitrage
 * capital and LPs return, the market oracle moves). The layer stops when no sales are due, no demand is pending and
 * no market-price oracle can fall further; the step count is reported as `iterations`.
 *
 * At the end, per market with served share phi = executed / demanded seized collateral:
 *   repaid = phi R, seized = executed, bad debt = phi B_liq + (1 - phi) B_none(po_end)
 * (R, B_liq: the demand tranches' repaid debt and bad debt, each at the price its positions crossed HF 1)
 * where B_none counts positions nobody liquidated that are under water at the final oracle price.
 */

/** Step start times in hours after the shock. */
export const MARKET_STEP_HOURS: readonly number[] = [0, 1 / 12, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256];
export const MARKET_STEPS = MARKET_STEP_HOURS.length;
const NEWTON_MAX = 200;

/** Pool + arbitrage parameters at one step. */
export interface StepState {
  /** DEX reserve X_t (ETH at pre-shock NAV) */
  reserveEth: number;
  /** arbitrage capital A a_t available at this step */
  capitalEth: number;
  /** 365 / (T y), Infinity when T y = 0 */
  returnPerDiscount: number;
  /** cap multiple m */
  maxMultiple: number;
}

/** Cumulative sales the market absorbs at discount d: q(d) + B(d). */
export function absorbedAt(d: number, s: StepState): number {
  if (d <= 0) return 0;
  const pool = d >= 1 ? Infinity : s.reserveEth * (1 / Math.sqrt(1 - d) - 1);
  const r = s.returnPerDiscount * d;
  return pool + s.capitalEth * (r < s.maxMultiple ? r : s.maxMultiple);
}

/** Discount d solving q(d) + B(d) = soldEth (see the file comment). */
export function discountFor(soldEth: number, s: StepState): number {
  const z = zFor(soldEth, s, 1);
  return 1 - 1 / (z * z);
}

/**
 * z = 1 / sqrt(1 - d) for `discountFor`. `zStart` is a warm start (a previous solution): used when it lies left of
 * the root (phi(zStart) <= 0), where the Newton iteration climbs monotonically; otherwise the iteration starts at 1.
 */
export function zFor(soldEth: number, s: StepState, zStart: number): number {
  if (soldEth <= 0) return 1;
  const X = s.reserveEth;
  const c = s.capitalEth;
  const g = s.returnPerDiscount;
  const cm = c * s.maxMultiple;
  let z: number;
  if (c <= 0 || s.maxMultiple <= 0) {
    z = 1 + soldEth / X;
  } else if (!(g < Infinity)) {
    if (soldEth <= cm) return 1;
    z = 1 + (soldEth - cm) / X;
  } else {
    const dc = s.maxMultiple / g;
    if (dc < 1 && soldEth >= X * (1 / Math.sqrt(1 - dc) - 1) + cm) {
      z = 1 + (soldEth - cm) / X;
    } else {
      // phi(z) = X (z - 1) + K (1 - z^-2) - Q, K = c g: increasing and concave on z >= 1, phi(1) = -Q < 0, so Newton
      // from z = 1 climbs monotonically to the root.
      const K = c * g;
      z = 1;
      if (zStart > 1 && X * (zStart - 1) + K * (1 - 1 / (zStart * zStart)) - soldEth <= 0) z = zStart;
      for (let i = 0; i < NEWTON_MAX; i++) {
        const z2 = z * z;
        const f = X * (z - 1) + K * (1 - 1 / z2) - soldEth;
        const dz = -f / (X + (2 * K) / (z2 * z));
        z += dz;
        if (!(dz > 1e-15 * z)) break;
      }
    }
  }
  return z;
}

/** Static per-LRT market parameters. */
export interface LrtMarketSpec {
  reserveEth: number;
  arbitrageCapitalEth: number;
  arbitrageArrivalHalfLifeHours: number;
  arbitrageCapitalMaxMultiple: number;
  requiredAnnualReturn: number;
}

/** How an engine computes a market's liquidation outcome at oracle price po (fraction of pre-shock NAV). */
export interface LiquidationDemand {
  /**
   * Writes into `out`: [0] repaid debt, [1] seized collateral (ETH at pre-shock NAV), [2] bad debt, [3] positions
   * touched, for the positions below HF 1 at `po` but not at `poPrev` (Infinity: all below HF 1 at po), liquidated in
   * full at po (liquidate = true); or [2] the debt not covered by collateral at po when nobody liquidates
   * (liquidate = false, poPrev = Infinity).
   */
  outcome(market: number, po: number, poPrev: number, liquidate: boolean, out: Float64Array): void;
}

/** Allocation-free multi-period market for one LRT; inputs set on the fields, then `run`. */
export class MarketStepper {
  // per-run inputs
  nav = 1;
  panicEth = 0;
  exitDays = 0;
  lpWithdrawFrac = 0;
  lpHalfLifeHours = 0;
  nSellers = 0;
  readonly sellEth: Float64Array;
  readonly sellHours: Float64Array;
  // outputs
  minPrice = 1;
  soldEth = 0;
  steps = 0;
  /** false when liquidation demand was still unserved after the last step (reported as "not converged") */
  settled = true;
  /**
   * Steps that ended with liquidation demand unserved (the exit rationed liquidators; the rest waits for a later
   * step). 0: every position was liquidated in the step it crossed HF 1, in one tranche.
   */
  rationedSteps = 0;
  readonly repaid: Float64Array;
  readonly seized: Float64Array;
  readonly bad: Float64Array;
  readonly count: Float64Array;
  // scratch
  private readonly poMin: Float64Array;
  private readonly demR: Float64Array;
  private readonly demS: Float64Array;
  private readonly demB: Float64Array;
  private readonly demN: Float64Array;
  private readonly exec: Float64Array;
  private readonly order: Int32Array;
  private readonly pay: Float64Array;
  private readonly out = new Float64Array(4);
  private readonly st: StepState = { reserveEth: 0, capitalEth: 0, returnPerDiscount: 0, maxMultiple: 0 };

  constructor(maxMarkets: number, maxSellers: number) {
    this.sellEth = new Float64Array(maxSellers + 1);
    this.sellHours = new Float64Array(maxSellers + 1);
    const n = maxMarkets;
    this.repaid = new Float64Array(n);
    this.seized = new Float64Array(n);
    this.bad = new Float64Array(n);
    this.count = new Float64Array(n);
    this.poMin = new Float64Array(n);
    this.demR = new Float64Array(n);
    this.demS = new Float64Array(n);
    this.demB = new Float64Array(n);
    this.demN = new Float64Array(n);
    this.exec = new Float64Array(n);
    this.order = new Int32Array(n);
    this.pay = new Float64Array(n);
  }

  /**
   * Runs the market for the markets `ids[0..n)` (global indices; `lbNet[m] = LB (1 - fee)`, `sellShare[m]` = share
   * of seized collateral the liquidator sells, `regimeMarket[m]` = 1 for a market-price oracle). Results for the
   * k-th market land in `repaid[k]`, `seized[k]`, `bad[k]`, `count[k]`.
   */
  run(
    spec: LrtMarketSpec,
    ids: Int32Array,
    idStart: number,
    n: number,
    lbNet: Float64Array,
    sellShare: Float64Array,
    regimeMarket: Uint8Array,
    demand: LiquidationDemand,
  ): void {
    const nav = this.nav;
    const st = this.st;
    const ty = this.exitDays * spec.requiredAnnualReturn;
    st.returnPerDiscount = ty > 0 ? 365 / ty : Infinity;
    st.maxMultiple = spec.arbitrageCapitalMaxMultiple;
    const out = this.out;
    let eTotal = this.panicEth;
    for (let i = 0; i < this.nSellers; i++) eTotal += this.sellEth[i];
    for (let k = 0; k < n; k++) {
      this.poMin[k] = Infinity;
      this.demR[k] = 0;
      this.demS[k] = 0;
      this.demB[k] = 0;
      this.demN[k] = 0;
      this.exec[k] = 0;
    }
    let liqSold = 0;
    let minPrice = nav;
    let price = nav;
    let q = 0;
    let steps = 0;
    let pending = false;
    this.rationedSteps = 0;
    let zPrev = 1;
    for (let s = 0; s < MARKET_STEPS; s++) {
      const t = MARKET_STEP_HOURS[s];
      const tEnd = s + 1 < MARKET_STEPS ? MARKET_STEP_HOURS[s + 1] : Infinity;
      st.reserveEth = this.lpWithdrawFrac > 0 ? spec.reserveEth * (1 - this.lpWithdrawFrac * Math.pow(2, -t / this.lpHalfLifeHours)) : spec.reserveEth;
      const h = spec.arbitrageArrivalHalfLifeHours;
      st.capitalEth = spec.arbitrageCapitalEth * (h > 0 ? 1 - Math.pow(2, -t / h) : 1);
      // exogenous sales due by the end of this step
      let e = this.panicEth;
      let due = true;
      for (let i = 0; i < this.nSellers; i++) {
        const dur = this.sellHours[i];
        if (dur <= 0 || tEnd >= dur) e += this.sellEth[i];
        else {
          e += (this.sellEth[i] * tEnd) / dur;
          due = false;
        }
      }
      q = e + liqSold;
      let z = zFor(q, st, zPrev);
      const pPre = nav / (z * z);
      const qPre = q;
      // demand at the lowest oracle price each market has seen
      for (let k = 0; k < n; k++) {
        const m = ids[idStart + k];
        const po = regimeMarket[m] ? pPre : nav;
        if (po < this.poMin[k]) {
          // positions crossing HF 1 since the last evaluation are liquidated at the price they crossed at
          demand.outcome(m, po, this.poMin[k], true, out);
          this.poMin[k] = po;
          this.demR[k] += out[0];
          this.demS[k] += out[1];
          this.demB[k] += out[2];
          this.demN[k] += out[3];
        }
        // a sale pays while the price after it is >= P_oracle / (1 + LB (1 - fee))
        this.pay[k] = po / (1 + lbNet[m]);
        this.order[k] = k;
      }
      // least tolerant first (highest pay threshold), ties by position: insertion sort, n is small
      for (let i = 1; i < n; i++) {
        const k = this.order[i];
        let j = i - 1;
        while (j >= 0 && this.pay[this.order[j]] < this.pay[k]) {
          this.order[j + 1] = this.order[j];
          j--;
        }
        this.order[j + 1] = k;
      }
      pending = false;
      for (let i = 0; i < n; i++) {
        const k = this.order[i];
        if (!(this.exec[k] < this.demS[k])) continue;
        const m = ids[idStart + k];
        const share = sellShare[m];
        const left = (this.demS[k] - this.exec[k]) * share;
        const dStar = 1 - this.pay[k] / nav;
        const room = dStar > 0 ? absorbedAt(dStar, st) - q : 0;
        if (room >= left) {
          q += left;
          liqSold += left;
          this.exec[k] = this.demS[k];
        } else {
          pending = true;
          if (room > 0) {
            q += room;
            liqSold += room;
            this.exec[k] += room / share;
          }
        }
      }
      if (pending) this.rationedSteps++;
      if (q > qPre) z = zFor(q, st, z);
      zPrev = z;
      price = nav / (z * z);
      if (price < minPrice) minPrice = price;
      steps = s + 1;
      if (!due || pending) continue;
      // nothing due, nothing pending: later prices only rise; stop unless a market oracle can still fall below
      // the lowest price its demand was evaluated at.
      let fall = false;
      for (let k = 0; k < n; k++) if (regimeMarket[ids[idStart + k]] && price < this.poMin[k]) fall = true;
      if (!fall) break;
    }
    this.minPrice = minPrice;
    this.soldEth = q;
    this.steps = steps;
    this.settled = !pending;
    for (let k = 0; k < n; k++) {
      const m = ids[idStart + k];
      const dS = this.demS[k];
      const phi = dS > 0 ? this.exec[k] / dS : 0;
      this.repaid[k] = phi * this.demR[k];
      this.seized[k] = this.exec[k];
      this.count[k] = phi > 0 ? this.demN[k] : 0;
      let bad = phi * this.demB[k];
      if (phi < 1 && dS > 0) {
        demand.outcome(m, regimeMarket[m] ? price : nav, Infinity, false, out);
        bad += (1 - phi) * out[2];
      }
      this.bad[k] = bad;
    }
  }
}
