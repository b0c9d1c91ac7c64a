/**
 * Off-chain DEX port: a constant-product pool held in the replay process. Used when the market has no on-chain pool
 * for the collateral (always on a real mainnet fork: scenario flows cannot be pushed through real Uniswap/Curve
 * pools) and as the fallback on the replica. Sold tokens leave the liquidator's wallet (sent to a sink address) so
 * balances stay honest.
 */
import { Contract, formatUnits, type Signer } from "ethers";
import type { DexPort } from "./chainWorld";
import { ConstantProductPool } from "../../spec/dexMath";

export const SALE_SINK = "0x000000000000000000000000000000000000dEaD";

export class OffchainDexPort implements DexPort {
  readonly kind = "off-chain constant-product";
  private readonly pool: ConstantProductPool;

  constructor(
    private readonly collateral: string,
    private readonly collateralDecimals: number,
    depthTokens: number,
    priceEth: number,
    feeBps = 0,
  ) {
    this.pool = ConstantProductPool.fromDepth(depthTokens, priceEth, feeBps);
  }

  async priceEth(): Promise<number> {
    return this.pool.price();
  }

  async quoteSellEth(collateralTokens: number): Promise<number> {
    return this.pool.quoteSell(collateralTokens);
  }

  async quoter(): Promise<(collateralTokens: number) => number> {
    const pool = new ConstantProductPool({ ...this.pool.reserves }, this.pool.feeBps);
    return (x) => pool.quoteSell(x);
  }

  async sell(seller: Signer, amount: bigint): Promise<number> {
    const token = new Contract(this.collateral, ["function transfer(address,uint256) returns (bool)"], seller);
    await (await token.transfer(SALE_SINK, amount)).wait();
    return this.pool.sell(Number(formatUnits(amount, this.collateralDecimals)));
  }

  async moveTo(priceEth: number): Promise<void> {
    this.pool.moveToPrice(priceEth);
  }

  async setDepth(depthTokens: number): Promise<void> {
    this.pool.setDepth(depthTokens);
  }
}
