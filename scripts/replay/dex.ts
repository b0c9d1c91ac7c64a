/**
 * Constant-product (x * y = k) pool math, in floating point ETH/token units. Used to quote sales, to compute the
 * external flow that moves a pool to a target price, and as the off-chain pool of a replay when the market has no
 * on-chain DEX. Pure functions; no chain.
 */

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
