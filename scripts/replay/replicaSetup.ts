/**
 * Replica mode (default, offline): a fresh Aave v3.0.2 market on the Hardhat network, deployed with the replica
 * area's `scripts/aave` deployer from the official artifacts, with the two reserves a scenario needs (WETH and the
 * collateral) configured from the replica's market file (`markets/aave-v3-ethereum-core.json`: LTV/LT/bonus, caps,
 * rate strategy, eMode category), the replica's mocks for the outside world (ReplicaToken, ReplicaFeed,
 * ReplicaRateProvider, ConstantProductPool), and Cascade Guard installed by the replica area's installer for the
 * protected run.
 *
 * The collateral's AaveOracle source is a scenario feed (USD, 8 decimals) set each step to the price of the
 * scenario's oracle regime times ETH/USD: the same mechanism fork mode uses, so one replay drives both.
 */
import { Contract, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import {
  configureReserve,
  deployAaveV3,
  deployRateStrategy,
  initReserves,
  setAssetEModeCategory,
  setAssetSources,
  setEModeCategory,
} from "../aave";
import { loadMarketFile } from "../replica/market";
import { eModeReaderV30, type FeedPorts } from "./chainWorld";
import { installGuardOnMarket } from "./guardInstall";
import { OnchainDexPort } from "./onchainDex";
import type { MarketSetup, PreparedMarket } from "./run";

/** LTV used for an LTV-0 collateral on the v3.0.2 replica (see below). */
export const MIN_COLLATERAL_LTV_BPS = 1;

const wad = (x: number) => BigInt(Math.round(x * 1e9)) * 10n ** 9n;

/** Aave v3 has no stETH reserve: stETH scenarios use wstETH (its LTV/LT are the ones of the 2022 stETH listing). */
export function replicaSymbol(collateral: string): string {
  return collateral === "stETH" ? "wstETH" : collateral;
}

export const replicaMarketSetup: MarketSetup = async ({ hre, scenario }): Promise<PreparedMarket> => {
  const { ethers } = hre;
  const [deployer, liquidator, attacker, keeper] = await ethers.getSigners();
  const me = await deployer.getAddress();
  const market = loadMarketFile();
  const symbol = replicaSymbol(scenario.collateral);
  const collSpec = market.reserves.find((r) => r.symbol === symbol);
  const wethSpec = market.reserves.find((r) => r.kind === "eth");
  if (!collSpec) throw new Error(`replica: the market file ${market.file} has no reserve ${symbol} (scenario field /collateral)`);
  if (!wethSpec) throw new Error(`replica: the market file ${market.file} has no ETH reserve`);

  const aave = await deployAaveV3({ deployer });
  const weth = await ethers.deployContract("ReplicaToken", ["Wrapped Ether", "WETH", 18, me]);
  const coll = await ethers.deployContract("ReplicaToken", [collSpec.name, symbol, collSpec.decimals, me]);
  const ethUsd = await ethers.deployContract("ReplicaFeed", [8, "ETH / USD", market.ethUsdPrice8, me]);
  const collUsd = await ethers.deployContract("ReplicaFeed", [8, `${symbol} / USD (scenario)`, market.ethUsdPrice8, me]);
  const marketFeed = await ethers.deployContract("ReplicaFeed", [18, `${symbol} / ETH market`, 10n ** 18n, me]);
  const backingFeed = await ethers.deployContract("ReplicaFeed", [18, `${symbol} backing per token`, 10n ** 18n, me]);
  const rateProvider = await ethers.deployContract("ReplicaRateProvider", [10n ** 18n, me]);
  const wethAddr = await weth.getAddress();
  const collAddr = await coll.getAddress();

  const wethStrategy = await deployRateStrategy(aave, deployer, wethSpec.rateStrategy);
  const collStrategy = await deployRateStrategy(aave, deployer, collSpec.rateStrategy);
  await initReserves(aave, [
    { asset: wethAddr, symbol: "WETH", decimals: 18, interestRateStrategy: await wethStrategy.getAddress() },
    { asset: collAddr, symbol, decimals: collSpec.decimals, interestRateStrategy: await collStrategy.getAddress() },
  ]);
  await setAssetSources(aave, [wethAddr, collAddr], [await ethUsd.getAddress(), await collUsd.getAddress()]);
  await configureReserve(aave, {
    asset: wethAddr,
    ltvBps: wethSpec.ltvBps,
    liquidationThresholdBps: wethSpec.liquidationThresholdBps,
    liquidationBonusBps: wethSpec.liquidationBonusBps,
    reserveFactorBps: wethSpec.reserveFactorBps,
    borrowingEnabled: true,
    supplyCap: 0,
    borrowCap: 0,
  });
  // Aave v3.0.2 refuses to enable a reserve with LTV 0 as collateral (ValidationLogic.validateUseAsCollateral), even
  // for eMode users; mainnet's LTV-0 LRTs (ezETH, rsETH) rely on v3.2+ eMode bitmaps. The replica therefore lists
  // them with LTV 1 bp outside eMode (the haircut module's floor too): no borrowing power outside eMode, as on mainnet.
  await configureReserve(aave, {
    asset: collAddr,
    ltvBps: Math.max(collSpec.ltvBps, MIN_COLLATERAL_LTV_BPS),
    liquidationThresholdBps: collSpec.liquidationThresholdBps,
    liquidationBonusBps: collSpec.liquidationBonusBps,
    reserveFactorBps: collSpec.reserveFactorBps,
    borrowingEnabled: false,
    supplyCap: collSpec.supplyCap,
  });
  let eModeCategoryId = 0;
  const category = market.eModeCategories.find((c) => c.assets.includes(symbol));
  if (scenario.emode) {
    if (!category) throw new Error(`replica: ${symbol} is in no eMode category of ${market.file} (scenario field /emode)`);
    await setEModeCategory(aave, {
      id: category.id,
      ltvBps: category.ltvBps,
      liquidationThresholdBps: category.liquidationThresholdBps,
      liquidationBonusBps: category.liquidationBonusBps,
      label: category.label,
    });
    await setAssetEModeCategory(aave, wethAddr, category.id);
    await setAssetEModeCategory(aave, collAddr, category.id);
    eModeCategoryId = category.id;
  }

  const dexPool = await ethers.deployContract("ConstantProductPool", [collAddr, wethAddr, collSpec.dex?.feeBps ?? 5, me]);
  const dex = new OnchainDexPort(await dexPool.getAddress(), collAddr, wethAddr, deployer, collSpec.decimals);

  const ethUsd8 = market.ethUsdPrice8;
  const send = async (c: Contract, fn: string, ...args: unknown[]) => {
    await (await c.getFunction(fn)(...args)).wait();
  };
  const feeds: FeedPorts = {
    setAaveCollateralPrice: (p) => send(collUsd as unknown as Contract, "setAnswer", (wad(p) * ethUsd8) / 10n ** 18n),
    setMarketPrice: (p) => send(marketFeed as unknown as Contract, "setAnswer", wad(p)),
    setExchangeRate: (r) => send(rateProvider as unknown as Contract, "setRate", wad(r)),
    setBackingPerToken: (b) => send(backingFeed as unknown as Contract, "setAnswer", wad(b)),
  };
  const tokenAbi = ["function mint(address,uint256)"];
  const addrs = {
    marketFeed: await marketFeed.getAddress(),
    rateProvider: await rateProvider.getAddress(),
    backingFeed: await backingFeed.getAddress(),
    addressesProvider: String(aave.addressesProvider.target),
  };
  return {
    mode: "replica",
    ctx: {
      rpc: (m, p) => hre.network.provider.send(m, p as unknown[]),
      latestTimestamp: async () => (await ethers.provider.getBlock("latest"))!.timestamp,
      pool: aave.pool,
      dataProvider: aave.dataProvider,
      aaveOracle: aave.aaveOracle,
      collateral: collAddr,
      collateralDecimals: collSpec.decimals,
      weth: wethAddr,
      wethDecimals: 18,
      eModeCategoryId,
      eModeConfig: eModeReaderV30(aave.pool),
      feeds,
      dex,
      fund: async (token, to, amount) => {
        await (await new Contract(token, tokenAbi, deployer).mint(to, amount)).wait();
      },
      liquidator,
      attacker,
      keeper,
    },
    signerFor: async (address: string): Promise<Signer> => {
      await hre.network.provider.send("hardhat_impersonateAccount", [address]);
      await hre.network.provider.send("hardhat_setBalance", [address, "0x3635C9ADC5DEA00000"]);
      return ethers.getSigner(address);
    },
    installGuard: ({ params }) =>
      installGuardOnMarket({
        hre,
        operator: deployer,
        addressesProvider: addrs.addressesProvider,
        collateral: collAddr,
        marketFeed: addrs.marketFeed,
        rateProvider: addrs.rateProvider,
        backingFeed: addrs.backingFeed,
        eModeCategoryId,
        generation: "v3.0",
        params,
        scenario,
      }),
  };
};
