/**
 * Floating-point mirrors of the replica's DEX curves (contracts/mocks/dex), used to size pools from a
 * "depth" figure (X ETH of LRT sold moves the marginal price down by Y bps) and to predict swaps in reports.
 * On-chain amounts always come from the contracts; these are for calibration only.
 */

/** Constant product: LRT reserve (ETH value) such that selling `depthEth` moves the marginal price by `impactBps`.
 *  Marginal price after selling dx into (x, y): P' = P (x / (x + dx))^2, so x = dx / (1 / sqrt(1 - p) - 1). */
export function constantProductReserveEth(depthEth: number, impactBps: number): number {
  const p = impactBps / 1e4;
  return depthEth / (1 / Math.sqrt(1 - p) - 1);
}

/** Curve invariant D for scaled balances x, y with Ann = A * 2 (Curve contract convention). */
export function stableSwapD(x: number, y: number, amplification: number): number {
  const ann = amplification * 2;
  const s = x + y;
  let d = s;
  for (let i = 0; i < 255; i++) {
    const dP = (d * d * d) / (4 * x * y);
    const prev = d;
    d = ((ann * s + 2 * dP) * d) / ((ann - 1) * d + 3 * dP);
    if (Math.abs(d - prev) <= 1e-12 * d) break;
  }
  return d;
}

/** The other balance given one balance `x` and D. */
export function stableSwapY(x: number, d: number, amplification: number): number {
  const ann = amplification * 2;
  const c = (d * d * d) / (4 * x * ann);
  const b = x + d / ann;
  let y = d;
  for (let i = 0; i < 255; i++) {
    const prev = y;
    y = (y * y + c) / (2 * y + b - d);
    if (Math.abs(y - prev) <= 1e-12 * y) break;
  }
  return y;
}

/** Marginal price of scaled coin 0 in coin 1: (Ann x y + Dr y) / (Ann x y + Dr x), Dr = D^3 / (4 x y). */
export function stableSwapSpot(x: number, y: number, amplification: number): number {
  const ann = amplification * 2;
  const d = stableSwapD(x, y, amplification);
  const dr = (d * d * d) / (4 * x * y);
  return (ann * x * y + dr * y) / (ann * x * y + dr * x);
}

/** Balanced stableswap pool (each side `b` ETH of value) such that selling `depthEth` moves the marginal price
 *  by `impactBps`; found by bisection on b (impact falls monotonically as b grows). */
export function stableSwapBalanceEth(depthEth: number, impactBps: number, amplification: number): number {
  const target = impactBps / 1e4;
  const impact = (b: number) => {
    const d = stableSwapD(b, b, amplification);
    const x = b + depthEth;
    const y = stableSwapY(x, d, amplification);
    return 1 - stableSwapSpot(x, y, amplification);
  };
  let lo = depthEth * 1e-3;
  let hi = depthEth * 1e4;
  for (let i = 0; i < 200; i++) {
    const mid = Math.sqrt(lo * hi);
    if (impact(mid) > target) lo = mid;
    else hi = mid;
  }
  return hi;
}
