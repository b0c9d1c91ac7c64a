import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { ICollateralRiskOracle, ILiquidationPauseGuard, IWideningHaircutModule } from "../../typechain-types";
import { deployAaveAcl } from "./aaveAcl";
import { FIXTURE_WETH, deployAavePricing } from "./aavePricing";
import { DEFAULT_MODEL_PARAMS, DEFAULT_MODEL_PARAMS_BOUNDS } from "../../spec/contracts";
import { WAD } from "../../spec/units";

export { WAD };
export const HOUR = 3600;
export const DAY = 86_400;

export const RiskLevel = { NORMAL: 0n, ELEVATED: 1n, STRESSED: 2n, IMPAIRED: 3n } as const;

/** Default keeper-pushed params of the test LRT: the deploy defaults (spec/contracts.ts), a fresh copy. */
export function defaultParams(): ICollateralRiskOracle.ModelParamsStruct {
  return { ...DEFAULT_MODEL_PARAMS };
}

/** Default keeper bounds: the deploy defaults (spec/contracts.ts), a fresh copy. */
export function defaultBounds(): ICollateralRiskOracle.ModelParamsBoundsStruct {
  const b = DEFAULT_MODEL_PARAMS_BOUNDS;
  return { min: { ...b.min }, max: { ...b.max }, maxStep: { ...b.maxStep }, minDelaySeconds: b.minDelaySeconds };
}

/**
 * The tests' oracle asset config: the given feeds and adapter, 1-day heartbeats (the backing feed's only when there
 * is one), 1 h EMA half-life, 7-day high window, 50 bp NAV-drop and 100 bp shortfall tolerances, ELEVATED at 100 bp
 * with a 25 bp band, plausible rates 0.5-2; any field can be overridden.
 */
export function oracleAssetConfig(
  req: { marketFeed: string; rateAdapter: string; backingFeed?: string } & Partial<ICollateralRiskOracle.AssetConfigStruct>,
): ICollateralRiskOracle.AssetConfigStruct {
  const backingFeed = req.backingFeed ?? ethers.ZeroAddress;
  // In the struct's field order (tests compare the values in order).
  return {
    marketFeed: req.marketFeed,
    marketHeartbeatSeconds: req.marketHeartbeatSeconds ?? DAY,
    emaHalfLifeSeconds: req.emaHalfLifeSeconds ?? HOUR,
    navHighWindowSeconds: req.navHighWindowSeconds ?? 7 * DAY,
    rateAdapter: req.rateAdapter,
    navDropToleranceBps: req.navDropToleranceBps ?? 50,
    backingShortfallToleranceBps: req.backingShortfallToleranceBps ?? 100,
    elevatedDiscountBps: req.elevatedDiscountBps ?? 100,
    hysteresisBps: req.hysteresisBps ?? 25,
    backingFeed,
    backingHeartbeatSeconds: req.backingHeartbeatSeconds ?? (backingFeed === ethers.ZeroAddress ? 0 : DAY),
    minRateWad: req.minRateWad ?? WAD / 2n,
    maxRateWad: req.maxRateWad ?? 2n * WAD,
  };
}

/**
 * Oracle with one weETH-like asset: 18-decimals LRT/ETH market feed at par, exchange rate 1.05, backing feed
 * (8 decimals) at 1.05 ETH per token, default params and bounds. Accounts: governance, keeper, alice.
 */
export async function deployOracleFixture() {
  return deployOracleFor(ethers.Wallet.createRandom().address);
}

/** The oracle fixture for a given asset address (e.g. a real Aave reserve's token). */
export async function deployOracleFor(asset: string) {
  const [governance, keeper, alice, guardian] = await ethers.getSigners();
  const oracle = await ethers.deployContract("CollateralRiskOracle", [governance.address]);
  await oracle.grantRole(await oracle.RISK_KEEPER_ROLE(), keeper.address);

  const rate = (WAD * 105n) / 100n;
  const marketFeed = await ethers.deployContract("MockAggregator", [18, "weETH / ETH", rate]);
  const backingFeed = await ethers.deployContract("MockAggregator", [8, "weETH PoR per token", 105_000_000n]);
  const weEth = await ethers.deployContract("MockWeEth", [rate]);
  const adapter = await ethers.deployContract("GetRateAdapter", [await weEth.getAddress(), "weETH getRate()"]);

  const config = oracleAssetConfig({
    marketFeed: await marketFeed.getAddress(),
    rateAdapter: await adapter.getAddress(),
    backingFeed: await backingFeed.getAddress(),
  });
  await oracle.configureAsset(asset, config);
  await oracle.setModelParamsBounds(asset, defaultBounds(), defaultParams());

  /** Sets the market price as a discount (bps) below the current exchange rate. */
  async function setDiscount(bps: number) {
    const r = await weEth.getRate();
    await marketFeed.setAnswer((r * BigInt(10_000 - bps)) / 10_000n);
  }

  return { oracle, governance, keeper, alice, guardian, asset, marketFeed, backingFeed, weEth, adapter, config, rate, setDiscount };
}

export function defaultGuardConfig(): ILiquidationPauseGuard.GuardConfigStruct {
  return {
    maxPauseSeconds: 6 * HOUR,
    cooldownSeconds: DAY,
    windowSeconds: 7 * DAY,
    maxPausedSecondsPerWindow: 13 * HOUR,
    postPauseGraceSeconds: HOUR / 2,
    enabled: true,
    pricing: Pricing.MARKET,
    pricingReference: FIXTURE_WETH, // the guard fixture's WETH reference reserve on its Aave oracle
  };
}

/** ILiquidationPauseGuard.CollateralPricing */
export const Pricing = { MARKET: 0n, EXCHANGE_RATE: 1n } as const;

export async function deployGuardFixture() {
  const base = await deployOracleFixture();
  const { oracle, governance, guardian, asset } = base;
  const [, , , , riskAdmin, poolAdmin] = await ethers.getSigners();
  const { provider, acl } = await deployAaveAcl(governance);
  await acl.addRiskAdmin(riskAdmin.address);
  await acl.addPoolAdmin(poolAdmin.address);
  const guard = await ethers.deployContract("LiquidationPauseGuard", [
    provider.target as string,
    await oracle.getAddress(),
    governance.address,
    ethers.ZeroAddress,
    HOUR,
  ]);
  await guard.grantRole(await guard.GUARDIAN_ROLE(), guardian.address);
  // The market's price oracle: Aave's AaveOracle pricing the LRT by its market feed (a market-priced venue).
  const aavePricing = await deployAavePricing({
    provider: provider.target as string,
    listingAdmin: poolAdmin,
    asset,
    marketFeed: await base.marketFeed.getAddress(),
    rateProvider: await base.weEth.getAddress(),
    rateWad: base.rate,
    pricing: "MARKET",
    riskOracle: await oracle.getAddress(),
  });
  const guardConfig = (): ILiquidationPauseGuard.GuardConfigStruct => ({
    ...defaultGuardConfig(),
    pricingReference: aavePricing.weth,
  });
  await guard.configureAsset(asset, guardConfig());
  /** Refresh both feeds after time travel (they have a one-day heartbeat). */
  async function refreshFeeds() {
    await base.marketFeed.setUpdatedAt(await time.latest());
    await base.backingFeed.setUpdatedAt(await time.latest());
  }
  return { ...base, guard, provider, acl, riskAdmin, poolAdmin, refreshFeeds, aavePricing, guardConfig };
}


/** Haircut config of the weETH-like test reserve: 77.5/80/7 outside eMode, eMode 1 (shared with WETH) at 93/95/1. */
export function defaultHaircutConfig(): IWideningHaircutModule.HaircutConfigStruct {
  return {
    baseLtvBps: 77_50,
    baseLtBps: 80_00,
    liquidationBonusBps: 107_00,
    floorLtvBps: 1_00,
    floorLtBps: 70_00,
    eModeCategoryId: 1,
    eModeBaseLtvBps: 93_00,
    eModeBaseLtBps: 95_00,
    eModeLiquidationBonusBps: 101_00,
    eModeFloorLtvBps: 85_00,
    eModeFloorLtBps: 88_00,
    ltRampBpsPerHour: 50,
    recoveryBandBps: 50,
    recoveryBpsPerHour: 25,
    recoveryCooldownSeconds: DAY,
    freezeOnImpaired: true,
  };
}

/** `defaultHaircutConfig` managing the reserve only (the eMode category left to governance). */
export function reserveOnlyHaircutConfig(): IWideningHaircutModule.HaircutConfigStruct {
  return {
    ...defaultHaircutConfig(),
    eModeCategoryId: 0,
    eModeBaseLtvBps: 0,
    eModeBaseLtBps: 0,
    eModeLiquidationBonusBps: 0,
    eModeFloorLtvBps: 0,
    eModeFloorLtBps: 0,
  };
}

/**
 * Real Aave v3.0.2 (scripts/aave, official artifacts) with WETH (80.5/83/5) and weETH (77.5/80/7) in eMode 1
 * (93/95/1); the oracle watches weETH; the haircut module holds RISK_ADMIN and manages weETH and eMode 1.
 */
export async function deployHaircutFixture() {
  const aaveLib = await import("../../scripts/aave");
  const [deployer] = await ethers.getSigners();
  const aave = await aaveLib.deployAaveV3({ deployer });
  const weth = await ethers.deployContract("ReplicaToken", ["Wrapped Ether", "WETH", 18, deployer.address]);
  const weeth = await ethers.deployContract("ReplicaToken", ["Wrapped eETH", "weETH", 18, deployer.address]);
  const strategy = await aaveLib.deployRateStrategy(aave, deployer, {
    optimalUsageRatioBps: 90_00,
    baseVariableBorrowRateBps: 0,
    variableRateSlope1Bps: 2_70,
    variableRateSlope2Bps: 80_00,
  });
  const wethAddr = await weth.getAddress();
  const weethAddr = await weeth.getAddress();
  await aaveLib.initReserves(aave, [
    { asset: wethAddr, symbol: "WETH", decimals: 18, interestRateStrategy: await strategy.getAddress() },
    { asset: weethAddr, symbol: "weETH", decimals: 18, interestRateStrategy: await strategy.getAddress() },
  ]);
  await aaveLib.configureReserve(aave, { asset: wethAddr, ltvBps: 80_50, liquidationThresholdBps: 83_00, liquidationBonusBps: 5_00 });
  await aaveLib.configureReserve(aave, { asset: weethAddr, ltvBps: 77_50, liquidationThresholdBps: 80_00, liquidationBonusBps: 7_00 });
  await aaveLib.setEModeCategory(aave, { id: 1, ltvBps: 93_00, liquidationThresholdBps: 95_00, liquidationBonusBps: 1_00, label: "ETH correlated" });
  await aaveLib.setAssetEModeCategory(aave, wethAddr, 1);
  await aaveLib.setAssetEModeCategory(aave, weethAddr, 1);

  const base = await deployOracleFor(weethAddr);
  const module = await ethers.deployContract("WideningHaircutModule", [
    aave.addressesProvider.target as string,
    await base.oracle.getAddress(),
    base.governance.address,
  ]);
  await aave.aclManager.addRiskAdmin(await module.getAddress());
  await module.configureAsset(weethAddr, defaultHaircutConfig());
  async function refreshFeeds() {
    await base.marketFeed.setUpdatedAt(await time.latest());
    await base.backingFeed.setUpdatedAt(await time.latest());
  }
  async function readAave() {
    const r = await aaveLib.readReserveConfig(aave, weethAddr);
    const e = await aave.pool.getEModeCategoryData(1);
    return { ltv: r.ltvBps, lt: r.liquidationThresholdBps, lb: r.liquidationBonusBps, frozen: r.frozen, eLtv: Number(e.ltv), eLt: Number(e.liquidationThreshold), eLb: Number(e.liquidationBonus), eLabel: e.label };
  }
  return { ...base, aave, aaveLib, module, weth, weeth, wethAddr, weethAddr, refreshFeeds, readAave };
}
