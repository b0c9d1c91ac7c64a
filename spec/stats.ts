/**
 * Empirical quantiles, one rule for the whole project: the "lower" rule, i.e. the smallest sample x with
 * P(L <= x) >= alpha, at index ceil(alpha * n) - 1 of the ascending samples (clamped to the ends). VaR at level
 * alpha is this quantile of the loss.
 *
 * (model/stats.ts `tailMetrics` applies the same rule to a distribution stored as zeros + sorted nonzero values,
 * with a 1e-9 guard against floating-point `alpha * n` landing just above an integer.)
 */

/** Index of the alpha-quantile in `n` ascending samples under the lower rule. */
export function quantileIndex(n: number, alpha: number): number {
  return Math.min(n - 1, Math.max(0, Math.ceil(alpha * n) - 1));
}

/** The alpha-quantile of samples already sorted ascending (no copy); throws on an empty list or alpha outside [0, 1]. */
export function quantileSorted(sorted: ArrayLike<number>, alpha: number): number {
  if (sorted.length === 0) throw new RangeError("quantile: no samples");
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`quantile: alpha must be in [0, 1], got ${alpha}`);
  return sorted[quantileIndex(sorted.length, alpha)];
}

/** The alpha-quantile of unsorted samples (sorts a copy; the input is not mutated). */
export function quantile(samples: readonly number[], alpha: number): number {
  return quantileSorted([...samples].sort((a, b) => a - b), alpha);
}
