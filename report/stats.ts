/**
 * Small, pure statistics helpers used when an input carries raw samples instead of ready-made
 * tail metrics. Conventions: losses are positive numbers; VaR at level `alpha` is the empirical
 * `alpha`-quantile of the loss (lower interpolation, i.e. the smallest sample x with
 * P(L <= x) >= alpha); expected shortfall is the mean of the samples at or above that VaR.
 */

import { quantileIndex } from "../spec/stats";

/** Empirical quantile by the "lower" rule on a copy of the samples: the project's one quantile (spec/stats.ts). */
export { quantile } from "../spec/stats";

export interface TailMetrics {
  mean: number;
  var95: number;
  var99: number;
  es95: number;
  es99: number;
  /** Share of samples strictly above zero (e.g. P(any bad debt)). */
  probabilityPositive: number;
  count: number;
}

/** Mean, VaR and expected shortfall at 95% and 99% from loss samples. */
export function tailMetrics(samples: readonly number[]): TailMetrics {
  if (samples.length === 0) throw new Error("tailMetrics: no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const at = (alpha: number) => sorted[quantileIndex(n, alpha)];
  const esAt = (alpha: number) => {
    const v = at(alpha);
    let sum = 0;
    let count = 0;
    for (const x of sorted) if (x >= v) { sum += x; count += 1; }
    return sum / count;
  };
  let total = 0;
  let positive = 0;
  for (const x of sorted) { total += x; if (x > 0) positive += 1; }
  return {
    mean: total / n,
    var95: at(0.95),
    var99: at(0.99),
    es95: esAt(0.95),
    es99: esAt(0.99),
    probabilityPositive: positive / n,
    count: n,
  };
}

export interface Histogram {
  /** Bin edges, length = counts.length + 1, ascending. */
  binEdges: number[];
  /** Number of samples per bin (last bin closed on the right). */
  counts: number[];
}

/** Fixed-width histogram over [min, max] of the samples with `bins` bins. */
export function histogram(samples: readonly number[], bins = 40): Histogram {
  if (samples.length === 0) throw new Error("histogram: no samples");
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`histogram: bins must be a positive integer, got ${bins}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of samples) { if (x < lo) lo = x; if (x > hi) hi = x; }
  if (hi === lo) hi = lo + (lo === 0 ? 1 : Math.abs(lo) * 1e-6);
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const x of samples) counts[Math.min(bins - 1, Math.floor((x - lo) / width))] += 1;
  const binEdges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  return { binEdges, counts };
}
