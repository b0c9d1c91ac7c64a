import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { Contract } from "ethers";
import type { IWideningHaircutModule } from "../../typechain-types";
import { WAD, deployOracleFor } from "./fixtures";
import { deployAaveV36, initReservesV36, readEModeV36, readReserveV36 } from "./aaveV36";

export const CAT_ETH = 1; // WETH and weETH collateral (a shared category)
export const CAT_WEETH = 2; // weETH's own liquid eMode: weETH collateral, WETH borrowable
export const CAT_EZETH = 3; // ezETH's own liquid eMode: ezETH collateral, WETH borrowable

/** Haircut config of ezETH on v3.6: reserve 72/75/7.5, its own eMode category 3 at 93/95/1. */
export function ezEthHaircutConfig(): IWideningHaircutModule.HaircutConfigStruct {
  return {
    baseLtvBps: 72_00,
    baseLtBps: 75_00,
    liquidationBonusBps: 107_50,
    floorLtvBps: 1_00,
    floorLtBps: 65_00,
    eModeCategoryId: CAT_EZETH,
    eModeBaseLtvBps: 93_00,
    eModeBaseLtBps: 95_00,
    eModeLiquidationBonusBps: 101_00,
    eModeFloorLtvBps: 50_00,
    eModeFloorLtBps: 80_00,
    ltRampBpsPerHour: 50,
    recoveryBandBps: 50,
    recoveryBpsPerHour: 25,
    recoveryCooldownSeconds: 86_400,
    freezeOnImpaired: true,
  };
}

/**
 * Real Aave v3.6 (compiled from @aave-dao/aave-v3-origin) laid out like mainnet's liquid eMode: WETH 80.5/83/5,
 * weETH 72.5/75/7.5, ezETH 72/75/7.5; category 1 "ETH correlated" (WETH and weETH collateral, WETH borrowable),
 * category 2 "weETH/WETH" and category 3 "ezETH/WETH" (the LRT collateral, WETH borrowable), each 93/95/1.
 * Prices: USD 8 decimals, WETH 3000, LRTs at their exchange rate 1.05 (CAPO-like, fixed here). The risk oracle
 * watches ezETH; the haircut module holds RISK_ADMIN and manages ezETH and category 3. Three users hold positions
 * opened through the real Pool: `wethLooper` (WETH/WETH in category 1), `weethLooper` (weETH/WETH in category 2)
 * and `ezethLooper` (ezETH/WETH in category 3).
 */
export async function deployHaircutV36Fixture() {
  const signers = await ethers.getSigners();
  const [deployer] = signers;
  const [wethLooper, weethLooper, ezethLooper, lender] = signers.slice(10, 14);
  const aave = await deployAaveV36(deployer);
  const token = (name: string, symbol: string) =>
    ethers.deployContract("ReplicaToken", [name, symbol, 18, deployer.address]);
  const weth = await token("Wrapped Ether", "WETH");
  const weeth = await token("Wrapped eETH", "weETH");
  const ezeth = await token("Renzo Restaked ETH", "ezETH");
  const [wethAddr, weethAddr, ezethAddr] = await Promise.all([weth, weeth, ezeth].map((t) => t.getAddress()));
  await initReservesV36(aave, [
    { asset: wethAddr, symbol: "WETH" },
    { asset: weethAddr, symbol: "weETH" },
    { asset: ezethAddr, symbol: "ezETH" },
  ]);
  const cfg = aave.poolConfigurator;
  await cfg.configureReserveAsCollateral(wethAddr, 80_50, 83_00, 105_00);
  await cfg.configureReserveAsCollateral(weethAddr, 72_50, 75_00, 107_50);
  await cfg.configureReserveAsCollateral(ezethAddr, 72_00, 75_00, 107_50);
  await cfg.setEModeCategory(CAT_ETH, 93_00, 95_00, 101_00, "ETH correlated");
  await cfg.setEModeCategory(CAT_WEETH, 93_00, 95_00, 101_00, "weETH/WETH");
  await cfg.setEModeCategory(CAT_EZETH, 93_00, 95_00, 101_00, "ezETH/WETH");
  await cfg.setAssetCollateralInEMode(wethAddr, CAT_ETH, true);
  await cfg.setAssetCollateralInEMode(weethAddr, CAT_ETH, true);
  await cfg.setAssetCollateralInEMode(weethAddr, CAT_WEETH, true);
  await cfg.setAssetCollateralInEMode(ezethAddr, CAT_EZETH, true);
  for (const id of [CAT_ETH, CAT_WEETH, CAT_EZETH]) await cfg.setAssetBorrowableInEMode(wethAddr, id, true);

  const usd = (eth: bigint) =>
    ethers.deployContract("ReplicaFeed", [8, "USD", (eth * 3000n * 10n ** 8n) / WAD, deployer.address]);
  const rate = (WAD * 105n) / 100n;
  const [wethUsd, weethUsd, ezethUsd] = await Promise.all([usd(WAD), usd(rate), usd(rate)]);
  await aave.aaveOracle.setAssetSources(
    [wethAddr, weethAddr, ezethAddr],
    await Promise.all([wethUsd, weethUsd, ezethUsd].map((f) => f.getAddress())),
  );

  // Positions through the real Pool: a lender supplies WETH; each looper supplies 100 of its collateral in its
  // category and borrows WETH at 90% of the collateral's value.
  const pool = aave.pool;
  const supply = async (who: typeof deployer, t: typeof weth, amount: bigint) => {
    await t.mint(who.address, amount);
    await t.connect(who).approve(await pool.getAddress(), amount);
    await (pool.connect(who) as Contract).supply(await t.getAddress(), amount, who.address, 0);
  };
  await supply(lender, weth, 10_000n * WAD);
  const loops: [typeof deployer, typeof weth, number, bigint][] = [
    [wethLooper, weth, CAT_ETH, WAD],
    [weethLooper, weeth, CAT_WEETH, rate],
    [ezethLooper, ezeth, CAT_EZETH, rate],
  ];
  for (const [who, t, cat, priceEth] of loops) {
    await (pool.connect(who) as Contract).setUserEMode(cat);
    await supply(who, t, 100n * WAD);
    await (pool.connect(who) as Contract).borrow(wethAddr, (100n * priceEth * 90n) / 100n, 2, 0, who.address);
  }

  const base = await deployOracleFor(ezethAddr);
  const module = await ethers.deployContract("WideningHaircutModule", [
    await aave.addressesProvider.getAddress(),
    await base.oracle.getAddress(),
    base.governance.address,
  ]);
  await aave.aclManager.addRiskAdmin(await module.getAddress());
  await module.configureAsset(ezethAddr, ezEthHaircutConfig());

  async function refreshFeeds() {
    await base.marketFeed.setUpdatedAt(await time.latest());
    await base.backingFeed.setUpdatedAt(await time.latest());
  }
  const hf = async (who: { address: string }) => BigInt((await pool.getUserAccountData(who.address)).healthFactor);
  const readReserve = (asset: string) => readReserveV36(aave, asset);
  const readEMode = (id: number, asset: string) => readEModeV36(aave, id, asset);
  return {
    ...base,
    aave,
    module,
    weth,
    weeth,
    ezeth,
    wethAddr,
    weethAddr,
    ezethAddr,
    wethLooper,
    weethLooper,
    ezethLooper,
    refreshFeeds,
    hf,
    readReserve,
    readEMode,
  };
}
