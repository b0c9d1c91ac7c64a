/**
 * The DEX maths, written once: the constant-product (x * y = k) pool and the stableswap (Curve) fit, in floating-point
 * ETH/token units. The model sizes its pools with it (model/core.ts), the replica sizes the on-chain pools from a
 * "depth" figure (X ETH of LRT sold moves the marginal price down by Y bps), and the replay quotes sales, moves pools
 * to a target price and runs the off-chain pool of a market without an on-chain DEX. On-chain amounts always come
 * from the contracts (contracts/mocks/dex); these are for sizing, quoting and calibration. Pure functions; no chain.
 */
import { BPS } from "./units";

/**
 * Constant product: the LRT reserve X (ETH at the pre-shock price) such that selling `depthEth` moves the marginal
 * price by `impactBps`. Selling q moves the marginal price to `(X / (X + q))^2` of its start, so
 * `X = d * s / (1 - s)` with `s = sqrt(1 - impact)`.
 */
export function constantProductReserveEth(req: { depthEth: number; impactBps: number }): number {
  const s = Math.sqrt(1 - req.impactBps / BPS);
  return (req.depthEth * s) / (1 - s);
}

/** Marginal price after selling `soldEth` into a constant-product pool of reserve `reserveEth`, as a factor of the start. */
export function constantProductPriceFactor(reserveEth: number, soldEth: number): number {
  const r = reserveEth / (reserveEth + soldEth);
  return r * r;
}

/** Reserves of a collateral/WETH constant-product pool. */
export interface CpReserves {
  /** Collateral-side reserve, tokens. */
  collateral: number;
  /** WETH-side reserve, ETH. */
  eth: number;
}

/** Marginal price, ETH per collateral token. */
export function cpPrice(r: CpReserves): number {
  return r.eth / r.collateral;
}

/** ETH out for selling `amountIn` collateral tokens, with a fee in bps taken from the input. */
export function cpSellCollateral(r: CpReserves, amountIn: number, feeBps = 0): { ethOut: number; after: CpReserves } {
  if (amountIn <= 0) return { ethOut: 0, after: { ...r } };
  const inAfterFee = amountIn * (1 - feeBps / 10_000);
  const k = r.collateral * r.eth;
  const collateral = r.collateral + inAfterFee;
  const eth = k / collateral;
  return { ethOut: r.eth - eth, after: { collateral: r.collateral + amountIn, eth } };
}

/**
 * Reserves after an (external) arbitrage trade that moves the marginal price to `targetPrice` with k unchanged:
 * x' = sqrt(k / p), y' = sqrt(k * p).
 */
export function cpMoveToPrice(r: CpReserves, targetPrice: number): CpReserves {
  const k = r.collateral * r.eth;
  return { collateral: Math.sqrt(k / targetPrice), eth: Math.sqrt(k * targetPrice) };
}

/** Reserves after liquidity is added or withdrawn at the current price so that the collateral side equals `depth`. */
export function cpSetDepth(r: CpReserves, depth: number): CpReserves {
  const p = cpPrice(r);
  return { collateral: depth, eth: depth * p };
}

/** A mutable off-chain constant-product pool. */
export class ConstantProductPool {
  constructor(
    public reserves: CpReserves,
    public readonly feeBps = 0,
  ) {}

  static fromDepth(depthTokens: number, priceEth: number, feeBps = 0): ConstantProductPool {
    return new ConstantProductPool({ collateral: depthTokens, eth: depthTokens * priceEth }, feeBps);
  }

  price(): number {
    return cpPrice(this.reserves);
  }

  quoteSell(amountIn: number): number {
    return cpSellCollateral(this.reserves, amountIn, this.feeBps).ethOut;
  }

  sell(amountIn: number): number {
    const { ethOut, after } = cpSellCollateral(this.reserves, amountIn, this.feeBps);
    this.reserves = after;
    return ethOut;
  }

  moveToPrice(targetPrice: number): void {
    this.reserves = cpMoveToPrice(this.reserves, targetPrice);
  }

  setDepth(depthTokens: number): void {
    this.reserves = cpSetDepth(this.reserves, depthTokens);
  }
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
