/**
 * `deployReplicaMarket`: a complete local Aave market (v3.6 by default, or v3.0.2) configured from a market file: test tokens,
 * ETH/USD and LRT/ETH feeds, exchange-rate providers, both price sources per asset (market-price and
 * exchange-rate/CAPO-like) with the chosen one set in AaveOracle, reserves, eMode categories and one DEX pool
 * per LRT against WETH. Network-agnostic: one ethers signer in, typed handles and an address book out.
 */
import { UserError } from "../../../spec/errors";
import type { Signer } from "ethers";
import type {
  ConstantProductPool,
  ExchangeRatePriceSource,
  MarketPriceSource,
  ReplicaFeed,
  ReplicaRateProvider,
  ReplicaToken,
  StableSwapPool,
} from "../../../typechain-types";
import {
  DEFAULT_AAVE_VERSION,
  aaveAddressBook,
  addressOf,
  configureReserve,
  deployAaveMarket,
  setAssetEModeMembership,
  type AaveVersion,
  deployArtifact,
  deployRateStrategy,
  initReserves,
  localArtifact,
  send,
  setAssetEModeCategory,
  setAssetSources,
  setEModeCategory,
  type AaveV3AddressBook,
  type AaveV3Admins,
  type AaveV3Deployment,
} from "../../aave";
import { constantProductReserveEth, stableSwapBalanceEth } from "../../../spec/dexMath";
import { loadMarketFile, type MarketConfig, type PriceRegime, type ReserveSpec } from "./marketFile";

import { WAD } from "../../../spec/units";
export { WAD };

/** Which price source AaveOracle uses, for every LRT/LST or per symbol. Default "exchange-rate" (as Aave Ethereum). */
export type PriceRegimeChoice = PriceRegime | Record<string, PriceRegime>;

export interface DeployReplicaRequest {
  deployer: Signer;
  /** Aave generation: "3.6" (default; compiled from aave-v3-origin source) or "3.0" (official v3.0.2 bytecode). */
  aave?: AaveVersion;
  /** An empty Aave core already deployed (e.g. at the address-book addresses, `scripts/markets/fork/mainnetShaped.ts`). */
  core?: AaveV3Deployment;
  /** Market config (default: `markets/aave-v3-ethereum-core.json`). */
  market?: MarketConfig;
  priceRegime?: PriceRegimeChoice;
  admins?: AaveV3Admins;
  /** Skip the DEX pools (faster when a test does not sell collateral). Default false. */
  withoutDex?: boolean;
  /** WETH the deployer supplies to the Pool as lender at deploy time (ETH). Default 0; openPositions tops up. */
  initialWethLiquidityEth?: number;
}

export type DexPool = ConstantProductPool | StableSwapPool;

/** One asset of the replica with everything that drives its price. */
export interface ReplicaAsset {
  symbol: string;
  spec: ReserveSpec;
  token: ReplicaToken;
  address: string;
  /** Undefined for WETH. */
  rateProvider?: ReplicaRateProvider;
  /** LRT/ETH market feed, 18 decimals (undefined for WETH). */
  marketFeed?: ReplicaFeed;
  marketPriceSource?: MarketPriceSource;
  exchangeRatePriceSource?: ExchangeRatePriceSource;
  /** The source AaveOracle reads now. */
  regime: PriceRegime | "eth-usd";
  dexPool?: DexPool;
  dexKind?: "constant-product" | "stableswap";
}

export interface ReplicaMarket {
  aave: AaveV3Deployment;
  market: MarketConfig;
  deployer: Signer;
  ethUsdFeed: ReplicaFeed;
  assets: Record<string, ReplicaAsset>;
  /** The ETH reserve (borrowed asset). */
  weth: ReplicaAsset;
}

/** Address book of a replica (what `replica:deploy` writes to `deployments/<network>.json`). */
export interface ReplicaAddressBook {
  aave: AaveV3AddressBook;
  ethUsdFeed: string;
  assets: Record<
    string,
    {
      token: string;
      aToken: string;
      variableDebtToken: string;
      stableDebtToken: string;
      interestRateStrategy: string;
      priceSource: string;
      regime: string;
      rateProvider?: string;
      marketFeed?: string;
      marketPriceSource?: string;
      exchangeRatePriceSource?: string;
      dexPool?: string;
      dexKind?: string;
      eModeCategoryId: number;
    }
  >;
  eModeCategories: Array<{ id: number; label: string; assets: string[]; borrowable?: string[] }>;
}

function regimeFor(choice: PriceRegimeChoice | undefined, symbol: string): PriceRegime {
  if (choice === undefined) return "exchange-rate";
  if (typeof choice === "string") return choice;
  return choice[symbol] ?? "exchange-rate";
}

const art = {
  token: () => localArtifact("mocks/tokens/ReplicaToken.sol", "ReplicaToken"),
  feed: () => localArtifact("mocks/replica/ReplicaFeed.sol", "ReplicaFeed"),
  rate: () => localArtifact("mocks/replica/ReplicaRateProvider.sol", "ReplicaRateProvider"),
  market: () => localArtifact("mocks/replica/MarketPriceSource.sol", "MarketPriceSource"),
  exchange: () => localArtifact("mocks/replica/ExchangeRatePriceSource.sol", "ExchangeRatePriceSource"),
  cp: () => localArtifact("mocks/dex/ConstantProductPool.sol", "ConstantProductPool"),
  ss: () => localArtifact("mocks/dex/StableSwapPool.sol", "StableSwapPool"),
};

/** Converts a float ETH amount to wei (rounded down to 1e-6 ETH). */
export function ethToWei(amountEth: number): bigint {
  return (BigInt(Math.floor(amountEth * 1e6)) * WAD) / 1_000_000n;
}

/** Deploys the whole replica market. Not idempotent (fresh contracts each call): a `loadFixture` body. */
export async function deployReplicaMarket(request: DeployReplicaRequest): Promise<ReplicaMarket> {
  const { deployer } = request;
  const market = request.market ?? loadMarketFile();
  const me = await deployer.getAddress();
  const provider = deployer.provider;
  if (!provider) throw new Error("deployReplicaMarket: the deployer signer has no provider");

  const version = request.core?.version ?? request.aave ?? DEFAULT_AAVE_VERSION;
  if (!market.aaveVersions.includes(version)) {
    throw new UserError(`market file ${market.file ?? market.name}: aaveVersions ${JSON.stringify(market.aaveVersions)} does not list "${version}" (field aaveVersions)`);
  }
  const aave = request.core ?? (await deployAaveMarket({ deployer, admins: request.admins, version, marketId: `Cascade Guard replica (Aave v${version})` }));

  const ethUsdFeed = await deployArtifact<ReplicaFeed>(art.feed(), deployer, [8, "ETH / USD", market.ethUsdPrice8, me]);
  const ethUsdAddress = await addressOf(ethUsdFeed);
  const now = (await provider.getBlock("latest"))?.timestamp ?? Math.floor(Date.now() / 1000);

  // 1. Tokens, rate providers, feeds and both price sources per asset.
  const assets: Record<string, ReplicaAsset> = {};
  for (const spec of market.reserves) {
    const token = await deployArtifact<ReplicaToken>(art.token(), deployer, [spec.name, spec.symbol, spec.decimals, me]);
    const asset: ReplicaAsset = { symbol: spec.symbol, spec, token, address: await addressOf(token), regime: "eth-usd" };
    if (spec.rate) {
      asset.rateProvider = await deployArtifact<ReplicaRateProvider>(art.rate(), deployer, [spec.rate.initialRateWad, me]);
      asset.marketFeed = await deployArtifact<ReplicaFeed>(art.feed(), deployer, [18, `${spec.symbol} / ETH`, spec.rate.initialRateWad, me]);
      asset.marketPriceSource = await deployArtifact<MarketPriceSource>(art.market(), deployer, [
        await addressOf(asset.marketFeed),
        ethUsdAddress,
      ]);
      asset.exchangeRatePriceSource = await deployArtifact<ExchangeRatePriceSource>(art.exchange(), deployer, [
        await addressOf(asset.rateProvider),
        ethUsdAddress,
        spec.rate.initialRateWad,
        now,
        spec.rate.capoMaxYearlyGrowthBps,
      ]);
      asset.regime = regimeFor(request.priceRegime, spec.symbol);
    }
    assets[spec.symbol] = asset;
  }
  const weth = Object.values(assets).find((a) => a.spec.kind === "eth");
  if (!weth) throw new Error(`market ${market.file ?? market.name}: no reserve of kind "eth"`);

  // 2. Reserves: rate strategies, listing, oracle sources, risk parameters, eMode.
  const strategies = new Map<string, string>();
  const listings = [];
  for (const a of Object.values(assets)) {
    const key = JSON.stringify(a.spec.rateStrategy);
    if (!strategies.has(key)) strategies.set(key, await addressOf(await deployRateStrategy(aave, deployer, a.spec.rateStrategy)));
    listings.push({
      asset: a.address,
      symbol: a.symbol,
      decimals: a.spec.decimals,
      interestRateStrategy: strategies.get(key)!,
      rateStrategyParams: a.spec.rateStrategy,
    });
  }
  await initReserves(aave, listings);
  const sources = await Promise.all(Object.values(assets).map((a) => priceSourceAddress(a, ethUsdAddress)));
  await setAssetSources(aave, Object.values(assets).map((a) => a.address), sources);

  for (const a of Object.values(assets)) {
    const s = a.spec;
    await configureReserve(aave, {
      asset: a.address,
      ltvBps: s.ltvBps,
      liquidationThresholdBps: s.liquidationThresholdBps,
      liquidationBonusBps: s.liquidationBonusBps,
      reserveFactorBps: s.reserveFactorBps,
      supplyCap: s.supplyCap,
      borrowCap: s.borrowCap,
      borrowingEnabled: s.borrowingEnabled,
    });
  }
  if (version === "3.0") {
    for (const c of market.eModeCategories) {
      await setEModeCategory(aave, c);
      for (const symbol of c.assets) await setAssetEModeCategory(aave, assets[symbol].address, c.id);
    }
  } else {
    // v3.2+ liquid eMode: one category per LRT, collateral / borrowable / ltvzero bits per member.
    for (const c of market.liquidEModeCategories) {
      await setEModeCategory(aave, c);
      for (const symbol of c.collateral) {
        await setAssetEModeMembership(aave, { asset: assets[symbol].address, categoryId: c.id, collateral: true, ...(c.ltvzero.includes(symbol) ? { ltvzero: true } : {}) });
      }
      for (const symbol of c.borrowable) await setAssetEModeMembership(aave, { asset: assets[symbol].address, categoryId: c.id, borrowable: true });
    }
  }
  for (const a of Object.values(assets)) {
    if (a.spec.frozen) await send(`setReserveFreeze(${a.symbol})`, aave.poolConfigurator.setReserveFreeze(a.address, true));
  }

  // 3. DEX pools, seeded at the exchange rate with the market file's depth.
  if (!request.withoutDex) {
    for (const a of Object.values(assets)) {
      if (!a.spec.dex || !a.spec.rate) continue;
      await deployDexPool(a, weth, deployer);
    }
  }

  const replica: ReplicaMarket = { aave, market, deployer, ethUsdFeed, assets, weth };
  if (request.initialWethLiquidityEth) await supplyWethLiquidity(replica, ethToWei(request.initialWethLiquidityEth));
  return replica;
}

async function priceSourceAddress(a: ReplicaAsset, ethUsd: string): Promise<string> {
  if (a.regime === "eth-usd") return ethUsd;
  return addressOf(a.regime === "market-price" ? a.marketPriceSource! : a.exchangeRatePriceSource!);
}

async function deployDexPool(a: ReplicaAsset, weth: ReplicaAsset, deployer: Signer): Promise<void> {
  const dex = a.spec.dex!;
  const me = await deployer.getAddress();
  const rateWad = a.spec.rate!.initialRateWad;
  // Pool sized so that selling depthEth worth of LRT moves the marginal price by depthImpactBps.
  const sideEth =
    dex.kind === "constant-product"
      ? constantProductReserveEth({ depthEth: dex.depthEth, impactBps: dex.depthImpactBps })
      : stableSwapBalanceEth(dex.depthEth, dex.depthImpactBps, dex.amplification);
  const wethAmount = ethToWei(sideEth);
  const lrtAmount = (wethAmount * WAD) / rateWad;
  const pool =
    dex.kind === "constant-product"
      ? await deployArtifact<ConstantProductPool>(art.cp(), deployer, [a.address, weth.address, dex.feeBps, me])
      : await deployArtifact<StableSwapPool>(art.ss(), deployer, [
          a.address,
          weth.address,
          dex.amplification,
          dex.feeBps,
          await addressOf(a.rateProvider!),
          me,
        ]);
  const poolAddress = await addressOf(pool);
  await send(`mint ${a.symbol} for pool`, a.token.mint(me, lrtAmount));
  await send(`mint WETH for ${a.symbol} pool`, weth.token.mint(me, wethAmount));
  await send(`approve ${a.symbol}`, a.token.approve(poolAddress, lrtAmount));
  await send(`approve WETH`, weth.token.approve(poolAddress, wethAmount));
  await send(`addLiquidity ${a.symbol}/WETH`, pool.addLiquidity(lrtAmount, wethAmount));
  a.dexPool = pool;
  a.dexKind = dex.kind;
}

/** One LRT/WETH pool of the replica's kind and depth, seeded at the exchange rate (the Morpho replica reuses it). */
export const deployReplicaDexPool = deployDexPool;

/** Mints WETH to the deployer and supplies it to the Pool (the market's lender). */
export async function supplyWethLiquidity(replica: ReplicaMarket, amountWei: bigint): Promise<void> {
  const me = await replica.deployer.getAddress();
  const pool = await addressOf(replica.aave.pool);
  await send("mint WETH liquidity", replica.weth.token.mint(me, amountWei));
  await send("approve WETH liquidity", replica.weth.token.approve(pool, amountWei));
  await send("supply WETH liquidity", replica.aave.pool.supply(replica.weth.address, amountWei, me, 0));
}

/** Switches the AaveOracle source of one asset between the two regimes (pool admin or asset listing admin). */
export async function setPriceRegime(replica: ReplicaMarket, symbol: string, regime: PriceRegime): Promise<void> {
  const a = replica.assets[symbol];
  if (!a?.spec.rate) throw new Error(`setPriceRegime: ${symbol} is not an LRT/LST reserve of this replica`);
  a.regime = regime;
  await setAssetSources(replica.aave, [a.address], [await priceSourceAddress(a, await addressOf(replica.ethUsdFeed))]);
}

/** The replica's address book. */
export async function replicaAddressBook(replica: ReplicaMarket): Promise<ReplicaAddressBook> {
  const ethUsd = await addressOf(replica.ethUsdFeed);
  const out: ReplicaAddressBook["assets"] = {};
  for (const a of Object.values(replica.assets)) {
    const tokens = await replica.aave.dataProvider.getReserveTokensAddresses(a.address);
    const reserveData = await replica.aave.pool.getReserveData(a.address);
    out[a.symbol] = {
      token: a.address,
      aToken: tokens.aTokenAddress,
      variableDebtToken: tokens.variableDebtTokenAddress,
      stableDebtToken: tokens.stableDebtTokenAddress,
      interestRateStrategy: reserveData.interestRateStrategyAddress,
      priceSource: await priceSourceAddress(a, ethUsd),
      regime: a.regime,
      ...(a.rateProvider ? { rateProvider: await addressOf(a.rateProvider) } : {}),
      ...(a.marketFeed ? { marketFeed: await addressOf(a.marketFeed) } : {}),
      ...(a.marketPriceSource ? { marketPriceSource: await addressOf(a.marketPriceSource) } : {}),
      ...(a.exchangeRatePriceSource ? { exchangeRatePriceSource: await addressOf(a.exchangeRatePriceSource) } : {}),
      ...(a.dexPool ? { dexPool: await addressOf(a.dexPool), dexKind: a.dexKind } : {}),
      eModeCategoryId: replica.aave.version === "3.6" ? a.spec.liquidEModeCategoryId : a.spec.eModeCategoryId,
    };
  }
  return {
    aave: await aaveAddressBook(replica.aave),
    ethUsdFeed: ethUsd,
    assets: out,
    eModeCategories:
      replica.aave.version === "3.6"
        ? replica.market.liquidEModeCategories.map((c) => ({ id: c.id, label: c.label, assets: c.collateral, borrowable: c.borrowable }))
        : replica.market.eModeCategories.map((c) => ({ id: c.id, label: c.label, assets: c.assets })),
  };
}
