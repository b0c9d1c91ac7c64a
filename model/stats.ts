/**
 * Streaming aggregation of per-path results. Both engines feed the same `Accumulator` with the same flat per-path
 * record, one accumulator per block of paths; blocks are merged strictly in block order, so the aggregate is
 * bit-for-bit independent of how blocks were spread over workers.
 */

/** Fraction histograms: bin 0 = exactly 0, bin 1 = (0, 1e-6), then 10 log bins per decade up to 1 (last bin >= 1). */
export const FRAC_BINS = 62;
export const FRAC_EDGES: number[] = [0, 0, ...Array.from({ length: 61 }, (_, i) => Math.pow(10, -6 + i / 10))];
export function fracBin(v: number): number {
  if (!(v > 0)) return 0;
  if (v < 1e-6) return 1;
  const b = 2 + Math.floor((Math.log10(v) + 6) * 10);
  return b > FRAC_BINS - 1 ? FRAC_BINS - 1 : b;
}
/** ETH histograms: bin 0 = exactly 0, bin 1 = (0, 1e-3), then 10 log bins per decade up to 1e8 ETH. */
export const ETH_BINS = 112;
export const ETH_EDGES: number[] = [0, 0, ...Array.from({ length: 111 }, (_, i) => Math.pow(10, -3 + i / 10))];
export function ethBin(v: number): number {
  if (!(v > 0)) return 0;
  if (v < 1e-3) return 1;
  const b = 2 + Math.floor((Math.log10(v) + 3) * 10);
  return b > ETH_BINS - 1 ? ETH_BINS - 1 : b;
}
/** Cascade curve: depeg in 0.25% bins from 0 to 20%, last bin >= 20%. */
export const CURVE_BINS = 81;
export const CURVE_STEP = 0.0025;
export function curveBin(depeg: number): number {
  if (!(depeg > 0)) return 0;
  const b = Math.floor(depeg / CURVE_STEP);
  return b > CURVE_BINS - 1 ? CURVE_BINS - 1 : b;
}

/** One path's results in flat form (engines fill a reusable instance). */
export class PathFlat {
  readonly lrtNavLoss: Float64Array;
  readonly lrtPrice: Float64Array;
  readonly lrtDepeg: Float64Array;
  readonly lrtSold: Float64Array;
  readonly lrtIterations: Int32Array;
  readonly lrtConverged: Uint8Array;
  readonly mktRepaid: Float64Array;
  readonly mktSeized: Float64Array;
  readonly mktBadDebt: Float64Array;
  readonly avsFaulted: Uint8Array;
  readonly shockFired: Uint8Array;
  readonly opCompromised: Uint8Array;
  readonly backingShocked: Uint8Array;
  readonly liqShockFired: Uint8Array;
  readonly opFaulted: Uint8Array;
  /** per LRT: its forged-collateral event fired */
  readonly forgedMinted: Uint8Array;
  constructor(readonly dims: Dims) {
    this.lrtNavLoss = new Float64Array(dims.lrts);
    this.lrtPrice = new Float64Array(dims.lrts);
    this.lrtDepeg = new Float64Array(dims.lrts);
    this.lrtSold = new Float64Array(dims.lrts);
    this.lrtIterations = new Int32Array(dims.lrts);
    this.lrtConverged = new Uint8Array(dims.lrts);
    this.mktRepaid = new Float64Array(dims.markets);
    this.mktSeized = new Float64Array(dims.markets);
    this.mktBadDebt = new Float64Array(dims.markets);
    this.avsFaulted = new Uint8Array(dims.avss);
    this.shockFired = new Uint8Array(dims.shocks);
    this.opCompromised = new Uint8Array(dims.operators);
    this.backingShocked = new Uint8Array(dims.lrts);
    this.liqShockFired = new Uint8Array(dims.liquidityShocks);
    this.opFaulted = new Uint8Array(dims.operators);
    this.forgedMinted = new Uint8Array(dims.lrts);
  }
}

export interface Dims {
  avss: number;
  shocks: number;
  liquidityShocks: number;
  operators: number;
  lrts: number;
  markets: number;
  venues: number;
  /** venue index of each market */
  marketVenue: number[];
  /** LRT index of each market */
  marketLrt: number[];
}

/** Growable list of float64 values (nonzero tail samples), kept in path order. */
export class SparseList {
  data: Float64Array;
  length = 0;
  constructor(cap = 64) {
    this.data = new Float64Array(cap);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Float64Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
  append(o: { data: Float64Array; length: number }): void {
    for (let i = 0; i < o.length; i++) this.push(o.data[i]);
  }
  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** Plain, structured-clone-friendly snapshot of an accumulator (what workers send back). */
export type AccumulatorState = ReturnType<Accumulator["toState"]>;

export class Accumulator {
  paths = 0;
  pathsWithSlash = 0;
  pathsNotConverged = 0;
  readonly avsFaults: Float64Array;
  readonly shockFires: Float64Array;
  readonly compromises: Float64Array;
  readonly backingShocks: Float64Array;
  readonly liqShockFires: Float64Array;
  readonly opFaults: Float64Array;
  /** per LRT: paths on which the market layer ran (NAV loss or liquidity shock) */
  readonly stressedPaths: Float64Array;
  // per LRT
  readonly navHist: Float64Array;
  readonly depegHist: Float64Array;
  readonly priceDropHist: Float64Array;
  readonly navSum: Float64Array;
  readonly depegSum: Float64Array;
  readonly navMax: Float64Array;
  readonly dropSum: Float64Array;
  readonly dropMax: Float64Array;
  readonly depegMax: Float64Array;
  readonly navPositive: Float64Array;
  readonly iterSum: Float64Array;
  readonly iterMax: Float64Array;
  readonly notConverged: Float64Array;
  readonly soldSum: Float64Array;
  readonly curveLiq: Float64Array;
  readonly curveCount: Float64Array;
  readonly lrtRepaidSum: Float64Array;
  readonly lrtRepaidHist: Float64Array;
  readonly lrtBad: SparseList[];
  // per market
  readonly mktRepaidSum: Float64Array;
  readonly mktRepaidPositive: Float64Array;
  readonly mktRepaidMax: Float64Array;
  readonly mktBadSum: Float64Array;
  readonly mktBadPositive: Float64Array;
  readonly mktBadMax: Float64Array;
  readonly mktBadHist: Float64Array;
  // per venue
  readonly venueRepaidSum: Float64Array;
  readonly venueRepaidHist: Float64Array;
  readonly venueBad: SparseList[];
  // totals
  totalRepaidSum = 0;
  readonly totalRepaidHist: Float64Array;
  readonly totalBad: SparseList;
  readonly totalRepaid: SparseList;
  // scratch
  private readonly lrtBadScratch: Float64Array;
  private readonly lrtRepScratch: Float64Array;
  private readonly venueBadScratch: Float64Array;
  private readonly venueRepScratch: Float64Array;

  constructor(readonly dims: Dims) {
    const L = dims.lrts;
    const M = dims.markets;
    const V = dims.venues;
    this.avsFaults = new Float64Array(dims.avss);
    this.shockFires = new Float64Array(dims.shocks);
    this.compromises = new Float64Array(dims.operators);
    this.backingShocks = new Float64Array(L);
    this.liqShockFires = new Float64Array(dims.liquidityShocks);
    this.opFaults = new Float64Array(dims.operators);
    this.stressedPaths = new Float64Array(L);
    this.navHist = new Float64Array(L * FRAC_BINS);
    this.depegHist = new Float64Array(L * FRAC_BINS);
    this.priceDropHist = new Float64Array(L * FRAC_BINS);
    this.navSum = new Float64Array(L);
    this.depegSum = new Float64Array(L);
    this.navMax = new Float64Array(L);
    this.dropSum = new Float64Array(L);
    this.dropMax = new Float64Array(L);
    this.depegMax = new Float64Array(L);
    this.navPositive = new Float64Array(L);
    this.iterSum = new Float64Array(L);
    this.iterMax = new Float64Array(L);
    this.notConverged = new Float64Array(L);
    this.soldSum = new Float64Array(L);
    this.curveLiq = new Float64Array(L * CURVE_BINS);
    this.curveCount = new Float64Array(L * CURVE_BINS);
    this.lrtRepaidSum = new Float64Array(L);
    this.lrtRepaidHist = new Float64Array(L * ETH_BINS);
    this.lrtBad = Array.from({ length: L }, () => new SparseList());
    this.mktRepaidSum = new Float64Array(M);
    this.mktRepaidPositive = new Float64Array(M);
    this.mktRepaidMax = new Float64Array(M);
    this.mktBadSum = new Float64Array(M);
    this.mktBadPositive = new Float64Array(M);
    this.mktBadMax = new Float64Array(M);
    this.mktBadHist = new Float64Array(M * ETH_BINS);
    this.venueRepaidSum = new Float64Array(V);
    this.venueRepaidHist = new Float64Array(V * ETH_BINS);
    this.venueBad = Array.from({ length: V }, () => new SparseList());
    this.totalRepaidHist = new Float64Array(ETH_BINS);
    this.totalBad = new SparseList();
    this.totalRepaid = new SparseList();
    this.lrtBadScratch = new Float64Array(L);
    this.lrtRepScratch = new Float64Array(L);
    this.venueBadScratch = new Float64Array(V);
    this.venueRepScratch = new Float64Array(V);
  }

  /** Adds one path. Allocation-free except when a sparse list grows. */
  add(p: PathFlat): void {
    const d = this.dims;
    this.paths++;
    for (let i = 0; i < d.avss; i++) this.avsFaults[i] += p.avsFaulted[i];
    for (let i = 0; i < d.shocks; i++) this.shockFires[i] += p.shockFired[i];
    for (let i = 0; i < d.operators; i++) this.compromises[i] += p.opCompromised[i];
    for (let i = 0; i < d.liquidityShocks; i++) this.liqShockFires[i] += p.liqShockFired[i];
    for (let i = 0; i < d.operators; i++) this.opFaults[i] += p.opFaulted[i];
    let anySlash = false;
    let anyNc = false;
    this.lrtBadScratch.fill(0);
    this.lrtRepScratch.fill(0);
    this.venueBadScratch.fill(0);
    this.venueRepScratch.fill(0);
    let totalBad = 0;
    let totalRep = 0;
    for (let m = 0; m < d.markets; m++) {
      const rep = p.mktRepaid[m];
      const bad = p.mktBadDebt[m];
      const l = d.marketLrt[m];
      const v = d.marketVenue[m];
      if (rep > 0) {
        this.mktRepaidSum[m] += rep;
        this.mktRepaidPositive[m]++;
        if (rep > this.mktRepaidMax[m]) this.mktRepaidMax[m] = rep;
        this.lrtRepScratch[l] += rep;
        this.venueRepScratch[v] += rep;
        totalRep += rep;
      }
      if (bad > 0) {
        this.mktBadSum[m] += bad;
        this.mktBadPositive[m]++;
        if (bad > this.mktBadMax[m]) this.mktBadMax[m] = bad;
        this.mktBadHist[m * ETH_BINS + ethBin(bad)]++;
        this.lrtBadScratch[l] += bad;
        this.venueBadScratch[v] += bad;
        totalBad += bad;
      } else {
        this.mktBadHist[m * ETH_BINS]++;
      }
    }
    for (let l = 0; l < d.lrts; l++) {
      const nav = p.lrtNavLoss[l];
      const dep = p.lrtDepeg[l];
      this.backingShocks[l] += p.backingShocked[l];
      this.navHist[l * FRAC_BINS + fracBin(nav)]++;
      this.depegHist[l * FRAC_BINS + fracBin(dep)]++;
      const drop = 1 - p.lrtPrice[l];
      this.priceDropHist[l * FRAC_BINS + fracBin(drop)]++;
      this.dropSum[l] += drop;
      if (drop > this.dropMax[l]) this.dropMax[l] = drop;
      this.navSum[l] += nav;
      this.depegSum[l] += dep;
      if (nav > this.navMax[l]) this.navMax[l] = nav;
      if (dep > this.depegMax[l]) this.depegMax[l] = dep;
      if (nav > 0) {
        anySlash = true;
        this.navPositive[l]++;
      }
      // stressed: the market layer ran (NAV loss or a liquidity shock)
      if (p.lrtIterations[l] > 0) {
        this.stressedPaths[l]++;
        const cb = l * CURVE_BINS + curveBin(dep);
        this.curveLiq[cb] += this.lrtRepScratch[l];
        this.curveCount[cb]++;
      }
      const it = p.lrtIterations[l];
      this.iterSum[l] += it;
      if (it > this.iterMax[l]) this.iterMax[l] = it;
      if (!p.lrtConverged[l]) {
        this.notConverged[l]++;
        anyNc = true;
      }
      this.soldSum[l] += p.lrtSold[l];
      const rep = this.lrtRepScratch[l];
      this.lrtRepaidSum[l] += rep;
      this.lrtRepaidHist[l * ETH_BINS + ethBin(rep)]++;
      if (this.lrtBadScratch[l] > 0) this.lrtBad[l].push(this.lrtBadScratch[l]);
    }
    for (let v = 0; v < d.venues; v++) {
      const rep = this.venueRepScratch[v];
      this.venueRepaidSum[v] += rep;
      this.venueRepaidHist[v * ETH_BINS + ethBin(rep)]++;
      if (this.venueBadScratch[v] > 0) this.venueBad[v].push(this.venueBadScratch[v]);
    }
    if (anySlash) this.pathsWithSlash++;
    if (anyNc) this.pathsNotConverged++;
    this.totalRepaidSum += totalRep;
    this.totalRepaidHist[ethBin(totalRep)]++;
    if (totalRep > 0) this.totalRepaid.push(totalRep);
    if (totalBad > 0) this.totalBad.push(totalBad);
  }

  /** Merges `o` (the next block in path order) into this accumulator. */
  merge(o: AccumulatorState): void {
    this.paths += o.paths;
    this.pathsWithSlash += o.pathsWithSlash;
    this.pathsNotConverged += o.pathsNotConverged;
    this.totalRepaidSum += o.totalRepaidSum;
    for (const k of SUM_FIELDS) addInto(this[k], o.arrays[k]);
    for (const k of MAX_FIELDS) maxInto(this[k], o.arrays[k]);
    this.lrtBad.forEach((s, i) => s.append(o.lrtBad[i]));
    this.venueBad.forEach((s, i) => s.append(o.venueBad[i]));
    this.totalBad.append(o.totalBad);
    this.totalRepaid.append(o.totalRepaid);
  }

  toState() {
    const arrays = {} as Record<SumField | MaxField, Float64Array>;
    for (const k of [...SUM_FIELDS, ...MAX_FIELDS]) arrays[k] = this[k];
    const sl = (s: SparseList) => ({ data: s.values().slice(), length: s.length });
    return {
      paths: this.paths,
      pathsWithSlash: this.pathsWithSlash,
      pathsNotConverged: this.pathsNotConverged,
      totalRepaidSum: this.totalRepaidSum,
      arrays,
      lrtBad: this.lrtBad.map(sl),
      venueBad: this.venueBad.map(sl),
      totalBad: sl(this.totalBad),
      totalRepaid: sl(this.totalRepaid),
    };
  }
}

const SUM_FIELDS = [
  "avsFaults",
  "shockFires",
  "compromises",
  "backingShocks",
  "liqShockFires",
  "opFaults",
  "stressedPaths",
  "navHist",
  "depegHist",
  "priceDropHist",
  "navSum",
  "dropSum",
  "depegSum",
  "navPositive",
  "iterSum",
  "notConverged",
  "soldSum",
  "curveLiq",
  "curveCount",
  "lrtRepaidSum",
  "lrtRepaidHist",
  "mktRepaidSum",
  "mktRepaidPositive",
  "mktBadSum",
  "mktBadPositive",
  "mktBadHist",
  "venueRepaidSum",
  "venueRepaidHist",
  "totalRepaidHist",
] as const;
const MAX_FIELDS = ["navMax", "dropMax", "depegMax", "iterMax", "mktRepaidMax", "mktBadMax"] as const;
type SumField = (typeof SUM_FIELDS)[number];
type MaxField = (typeof MAX_FIELDS)[number];

function addInto(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
}
function maxInto(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) if (b[i] > a[i]) a[i] = b[i];
}

/** Tail metrics of a loss distribution given its nonzero samples and the total number of paths. */
export interface TailMetrics {
  mean: number;
  pPositive: number;
  var95: number;
  var99: number;
  es95: number;
  es99: number;
  max: number;
  /** Exact quantiles (q in [0,1]) of the full distribution (zeros included). */
  quantiles: { q: number; value: number }[];
}

export const TAIL_QUANTILES = [0.5, 0.9, 0.95, 0.975, 0.99, 0.995, 0.999, 0.9999];

/**
 * VaR_a = the smallest x with P(L <= x) >= a, i.e. the ceil(a n)-th smallest of n losses (zeros included): the
 * lower empirical quantile of spec/stats.ts `quantileSorted`, computed here in streaming form on the sorted nonzero
 * losses with the zeros counted, not stored (the 1e-9 guard keeps ceil(a n) exact for a n integral in floating point).
 * ES_a  = the mean of the ceil((1 - a) n) largest losses.
 */
export function tailMetrics(nonzero: Float64Array, paths: number): TailMetrics {
  const v = Float64Array.from(nonzero).sort();
  const zeros = paths - v.length;
  const at = (k: number) => (k <= zeros ? 0 : v[k - zeros - 1]); // k-th smallest, 1-based
  const quant = (a: number) => (paths === 0 ? 0 : at(Math.min(paths, Math.max(1, Math.ceil(a * paths - 1e-9)))));
  const es = (a: number) => {
    if (paths === 0) return 0;
    const m = Math.max(1, Math.ceil((1 - a) * paths - 1e-9));
    let s = 0;
    for (let i = 0; i < Math.min(m, v.length); i++) s += v[v.length - 1 - i];
    return s / m;
  };
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i];
  return {
    mean: paths === 0 ? 0 : sum / paths,
    pPositive: paths === 0 ? 0 : v.length / paths,
    var95: quant(0.95),
    var99: quant(0.99),
    es95: es(0.95),
    es99: es(0.99),
    max: v.length ? v[v.length - 1] : 0,
    quantiles: TAIL_QUANTILES.map((q) => ({ q, value: quant(q) })),
  };
}

/** Approximate quantile from a histogram: the upper edge of the bin holding the q-th mass (conservative). */
export function histQuantile(counts: ArrayLike<number>, edges: number[], q: number, offset = 0, bins = edges.length): number {
  let total = 0;
  for (let i = 0; i < bins; i++) total += counts[offset + i];
  if (total === 0) return 0;
  const target = q * total;
  let c = 0;
  for (let i = 0; i < bins; i++) {
    c += counts[offset + i];
    if (c >= target - 1e-9) return i + 1 < bins ? edges[i + 1] : Infinity;
  }
  return Infinity;
}
