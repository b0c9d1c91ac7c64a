import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { CollateralRiskOracle } from "../../typechain-types";
import { WAD, defaultBounds, defaultParams, oracleAssetConfig } from "./fixtures";

/**
 * Test helper (from the contract review's reproductions).
 * Adds one more LRT-like asset to an existing oracle: 18-dec market feed at par with the rate (1.05), a getRate()
 * source, no backing feed. `withParams` = whether governance also sets bounds + params.
 */
export async function addOracleAsset(oracle: CollateralRiskOracle, opts: { asset?: string; withParams?: boolean } = {}) {
  const asset = opts.asset ?? ethers.Wallet.createRandom().address;
  const rate = (WAD * 105n) / 100n;
  const marketFeed = await ethers.deployContract("MockAggregator", [18, "LRT / ETH", rate]);
  const src = await ethers.deployContract("MockWeEth", [rate]);
  const adapter = await ethers.deployContract("GetRateAdapter", [await src.getAddress(), "getRate()"]);
  await oracle.configureAsset(
    asset,
    oracleAssetConfig({ marketFeed: await marketFeed.getAddress(), rateAdapter: await adapter.getAddress() }),
  );
  if (opts.withParams ?? true) await oracle.setModelParamsBounds(asset, defaultBounds(), defaultParams());
  async function setDiscount(bps: number) {
    const r = await src.getRate();
    await marketFeed.setAnswer((r * BigInt(10_000 - bps)) / 10_000n);
  }
  async function refresh() {
    await marketFeed.setUpdatedAt(await time.latest());
  }
  return { asset, marketFeed, src, adapter, setDiscount, refresh };
}
