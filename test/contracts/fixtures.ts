import { ethers } from "hardhat";
import type { ICollateralRiskOracle } from "../../typechain-types";

export const WAD = 10n ** 18n;
export const HOUR = 3600;
export const DAY = 86_400;

export const RiskLevel = { NORMAL: 0n, ELEVATED: 1n, STRESSED: 2n, IMPAIRED: 3n } as const;

/** Default keeper-pushed params of the test LRT (discount bps -> haircut bps knots). */
export function defaultParams(): ICollateralRiskOracle.ModelParamsStruct {
  return {
    tripDiscountBps: 300,
    stressDiscountBps: 500,
    navDropHaircutMultiplierBps: 10_000,
    knot0DiscountBps: 50,
    knot0HaircutBps: 0,
    knot1DiscountBps: 200,
    knot1HaircutBps: 150,
    knot2DiscountBps: 500,
    knot2HaircutBps: 600,
    knot3DiscountBps: 1500,
    knot3HaircutBps: 2500,
  };
}

function uniform(v: number): ICollateralRiskOracle.ModelParamsStruct {
  return {
    tripDiscountBps: v,
    stressDiscountBps: v,
    navDropHaircutMultiplierBps: v,
    knot0DiscountBps: v,
    knot0HaircutBps: v,
    knot1DiscountBps: v,
    knot1HaircutBps: v,
    knot2DiscountBps: v,
    knot2HaircutBps: v,
    knot3DiscountBps: v,
    knot3HaircutBps: v,
  };
}

export function defaultBounds(): ICollateralRiskOracle.ModelParamsBoundsStruct {
  return {
    min: uniform(0),
    max: { ...uniform(10_000), navDropHaircutMultiplierBps: 30_000 },
    maxStep: uniform(100),
    minDelaySeconds: DAY,
  };
}

/**
 * Oracle with one weETH-like asset: 18-decimals LRT/ETH market feed at par, exchange rate 1.05, backing feed
 * (8 decimals) at 1.05 ETH per token, default params and bounds. Accounts: governance, keeper, alice.
 */
export async function deployOracleFixture() {
  const [governance, keeper, alice, guardian] = await ethers.getSigners();
  const oracle = await ethers.deployContract("CollateralRiskOracle", [governance.address]);
  await oracle.grantRole(await oracle.RISK_KEEPER_ROLE(), keeper.address);

  const rate = (WAD * 105n) / 100n;
  const asset = ethers.Wallet.createRandom().address;
  const marketFeed = await ethers.deployContract("MockAggregator", [18, "weETH / ETH", rate]);
  const backingFeed = await ethers.deployContract("MockAggregator", [8, "weETH PoR per token", 105_000_000n]);
  const weEth = await ethers.deployContract("MockWeEth", [rate]);
  const adapter = await ethers.deployContract("GetRateAdapter", [await weEth.getAddress(), "weETH getRate()"]);

  const config: ICollateralRiskOracle.AssetConfigStruct = {
    marketFeed: await marketFeed.getAddress(),
    marketHeartbeatSeconds: DAY,
    emaHalfLifeSeconds: HOUR,
    navHighWindowSeconds: 7 * DAY,
    rateAdapter: await adapter.getAddress(),
    navDropToleranceBps: 50,
    backingShortfallToleranceBps: 100,
    elevatedDiscountBps: 100,
    hysteresisBps: 25,
    backingFeed: await backingFeed.getAddress(),
    backingHeartbeatSeconds: DAY,
    minRateWad: WAD / 2n,
    maxRateWad: 2n * WAD,
  };
  await oracle.configureAsset(asset, config);
  await oracle.setModelParamsBounds(asset, defaultBounds(), defaultParams());

  /** Sets the market price as a discount (bps) below the current exchange rate. */
  async function setDiscount(bps: number) {
    const r = await weEth.getRate();
    await marketFeed.setAnswer((r * BigInt(10_000 - bps)) / 10_000n);
  }

  return { oracle, governance, keeper, alice, guardian, asset, marketFeed, backingFeed, weEth, adapter, config, rate, setDiscount };
}
