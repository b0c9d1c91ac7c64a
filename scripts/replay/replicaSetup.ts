/**
 * Replica mode (default, offline): `deployReplicaMarket` from scripts/markets/replica (Aave v3.6 compiled from
 * `@aave-dao/aave-v3-origin` source by default, or v3.0.2 from the official artifacts with `--aave 3.0`, every reserve of `markets/aave-v3-ethereum-core.json`, feeds, rate providers, market-price and
 * CAPO-like exchange-rate price sources) on the Hardhat network, the population opened with its `openPositions`
 * (batched through `PositionOpener`, real Pool), and Cascade Guard installed by `scripts/guard` for the protected
 * run.
 *
 * What the replay adds for a scenario:
 *  - AaveOracle's source of the collateral is the replica's market-price source (`oracle: "market"`) or its
 *    exchange-rate source (`oracle: "exchange-rate"`), so the Aave price follows the feeds the scenario drives;
 *  - a proof-of-backing feed (ReplicaFeed, ETH per token) for the risk oracle;
 *  - a constant-product pool of the scenario's depth (replica's ConstantProductPool) that liquidators sell into;
 *  - v3.6: the collateral's own liquid eMode category (weETH 26, ezETH 22, ...); the protected run mirrors the guard
 *    into the reserve's liquidation grace period (`AaveGracePeriodAdapter`), not the market-wide sentinel;
 *  - v3.0 only: a reserve with LTV 0 outside eMode (ezETH, rsETH, osETH on Aave) is set to LTV 1 bp: Aave v3.0.2 refuses to
 *    enable an LTV-0 reserve as collateral (`ValidationLogic.validateUseAsCollateral`), even for eMode borrowers,
 *    whereas mainnet (v3.2+) lets eMode borrowers use it. Outside eMode 1 bp gives no borrowing power, as on mainnet.
 */
import { UserError } from "../../spec/errors";
import { Contract, Interface, type Signer } from "ethers";
import { addressOf, deployArtifact, localArtifact, readEModeCategory, send } from "../aave";
import {
  eModeCategoryFor,
  deployReplicaMarket,
  openPositions,
  planPosition,
  planScenarioPopulation,
  setPriceRegime,
  supplyWethLiquidity,
  ethToWei,
  type ReplicaMarket,
} from "../markets/replica";
import { GAS_LIMIT, type EModeValues, type FeedPorts } from "./chainWorld";
import { installGuardOnMarket } from "./guardInstall";
import { rawSetter } from "./bots";
import { OnchainDexPort } from "./onchainDex";
import { decodeStaticResult } from "./rawAbi";
import type { AaveVenueContext, MarketSetup, PreparedMarket } from "./marketSetup";

/** Aave v3.2+ eMode category collateral config (the reader `readEModeCategory` uses, without a Contract per call). */
const E_MODE_COLLATERAL_CONFIG = new Interface([
  "function getEModeCategoryCollateralConfig(uint8) view returns (tuple(uint16 ltv, uint16 liquidationThreshold, uint16 liquidationBonus))",
]);

/** LTV written for an LTV-0 collateral on the v3.0.2 replica (see above). */
export const MIN_COLLATERAL_LTV_BPS = 1;

const wad = (x: number) => BigInt(Math.round(x * 1e9)) * 10n ** 9n;

/** Aave v3 has no stETH reserve: stETH scenarios use wstETH (Aave's LTV/LT for it are the 2022 stETH listing's). */
export function replicaSymbol(collateral: string): string {
  return collateral === "stETH" ? "wstETH" : collateral;
}

export const replicaMarketSetup: MarketSetup = async ({ hre, scenario, scenarioFile, aave: version }): Promise<PreparedMarket> => {
  const { ethers } = hre;
  const [deployer, liquidator, attacker, keeper] = await ethers.getSigners();
  const me = await deployer.getAddress();
  const symbol = replicaSymbol(scenario.collateral);
  const replica: ReplicaMarket = await deployReplicaMarket({
    deployer,
    aave: version,
    priceRegime: { [symbol]: scenario.oracle === "market" ? "market-price" : "exchange-rate" },
    withoutDex: true,
  });
  const asset = replica.assets[symbol];
  if (!asset?.rateProvider || !asset.marketFeed) {
    throw new UserError(`replica: ${symbol} is not an LRT/LST reserve of ${replica.market.file ?? replica.market.name} (scenario field /collateral)`);
  }
  await setPriceRegime(replica, symbol, scenario.oracle === "market" ? "market-price" : "exchange-rate");
  const { aave } = replica;
  const collAddr = asset.address;
  const wethAddr = replica.weth.address;

  const feedArtifact = localArtifact("mocks/replica/ReplicaFeed.sol", "ReplicaFeed");
  const backingFeed = await deployArtifact<Contract>(feedArtifact, deployer, [18, `${symbol} backing per token`, 10n ** 18n, me]);
  const dexPool = await deployArtifact<Contract>(localArtifact("mocks/dex/ConstantProductPool.sol", "ConstantProductPool"), deployer, [
    collAddr,
    wethAddr,
    asset.spec.dex?.feeBps ?? 5,
    me,
  ]);
  // The in-process Hardhat network fails a reverted eth_sendTransaction by itself: transactions whose logs are not
  // needed (feed writes, the arbitrageur's trades, keeper batches) then skip the receipt request.
  const sendThrowsOnRevert = hre.network.name === "hardhat" && (hre.network.config as { throwOnTransactionFailures?: boolean }).throwOnTransactionFailures !== false;
  const dex = new OnchainDexPort(await addressOf(dexPool), collAddr, wethAddr, deployer, asset.spec.decimals, (m, p) => hre.network.provider.send(m, p as unknown[]), {
    receipts: !sendThrowsOnRevert,
  });

  const category = eModeCategoryFor(replica.market, symbol, version);
  const eModeCategoryId = scenario.emode ? (category?.id ?? 0) : 0;
  if (scenario.emode && eModeCategoryId === 0) {
    throw new UserError(`replica: ${symbol} is in no Aave v${version} eMode category of ${replica.market.file ?? replica.market.name} (scenario field /emode; market field ${version === "3.6" ? "liquidEModeCategories" : "eModeCategories"})`);
  }
  // Read after every keeper transaction of a protected run: on v3.6 one raw eth_call of
  // `getEModeCategoryCollateralConfig(uint8)` (three static words: ltv, liquidationThreshold, liquidationBonus).
  const poolAddress = await addressOf(aave.pool);
  const eModeConfig = async (id: number): Promise<EModeValues> => {
    if (version === "3.6") {
      const data = E_MODE_COLLATERAL_CONFIG.encodeFunctionData("getEModeCategoryCollateralConfig", [id]);
      const ret = (await hre.network.provider.send("eth_call", [{ to: poolAddress, data }, "latest"])) as string;
      const [ltv, lt, bonus] = decodeStaticResult(E_MODE_COLLATERAL_CONFIG.getFunction("getEModeCategoryCollateralConfig")!, ret)![0] as bigint[];
      return { ltvBps: Number(ltv), ltBps: Number(lt), bonusBps: Number(bonus) };
    }
    const e = await readEModeCategory(aave, id);
    return { ltvBps: e.ltvBps, ltBps: e.liquidationThresholdBps, bonusBps: e.liquidationBonus };
  };

  // Feed writes every step: raw JSON-RPC transactions from the feeds' owner (scripts/replay/bots.ts `rawSetter`).
  const rpc = (m: string, p: unknown[]) => hre.network.provider.send(m, p as unknown[]);
  const setter = async (contract: { getAddress(): Promise<string> }, signature: "setAnswer(int256)" | "setRate(uint256)") =>
    rawSetter({ rpc, from: me, to: await contract.getAddress(), signature, gasLimit: GAS_LIMIT.feed, receipt: !sendThrowsOnRevert });
  const [setMarket, setRate, setBacking] = [
    await setter(asset.marketFeed, "setAnswer(int256)"),
    await setter(asset.rateProvider, "setRate(uint256)"),
    await setter(backingFeed, "setAnswer(int256)"),
  ];
  const feeds: FeedPorts = {
    // AaveOracle reads the replica's price source, which follows the market feed or the rate provider.
    setAaveCollateralPrice: async () => undefined,
    setMarketPrice: (p) => setMarket(wad(p)),
    setExchangeRate: (r) => setRate(wad(r)),
    setBackingPerToken: (b) => setBacking(wad(b)),
  };
  const ctx: AaveVenueContext = {
    rpc: (m, p) => hre.network.provider.send(m, p as unknown[]),
    latestTimestamp: async () => Number(((await hre.network.provider.send("eth_getBlockByNumber", ["latest", false])) as { timestamp: string }).timestamp),
    pool: aave.pool,
    dataProvider: aave.dataProvider,
    aaveOracle: aave.aaveOracle,
    collateral: collAddr,
    collateralDecimals: asset.spec.decimals,
    weth: wethAddr,
    wethDecimals: replica.weth.spec.decimals,
    eModeCategoryId,
    eModeConfig,
    features: { gracePeriod: version === "3.6", deficit: version === "3.6" },
    sendThrowsOnRevert,
    feeds,
    dex,
    fund: async (token, to, amount) => {
      await (await new Contract(token, ["function mint(address,uint256)"], deployer).mint(to, amount)).wait();
    },
    liquidator,
    attacker,
    keeper,
  };
  const addrs = {
    addressesProvider: await addressOf(aave.addressesProvider),
    marketFeed: await addressOf(asset.marketFeed),
    rateProvider: await addressOf(asset.rateProvider),
    backingFeed: await addressOf(backingFeed),
  };

  return {
    mode: "replica",
    aaveVersion: version,
    ctx,
    openPopulation: async ({ extraWethLiquidity, onProgress }) => {
      // Sizes in ETH at the start price the Pool sees; HF targets from the scenario.
      const wethPrice = await aave.aaveOracle.getAssetPrice(wethAddr);
      const collPrice = await aave.aaveOracle.getAssetPrice(collAddr);
      const priceEth = Number(collPrice) / Number(wethPrice);
      const plans = planScenarioPopulation(scenario.positions).map((p) => {
        const lt = scenario.emode ? category!.liquidationThresholdBps : asset.spec.liquidationThresholdBps;
        const leverage = 1 / (1 - lt / 1e4 / p.healthFactor);
        return planPosition(replica.market, {
          index: p.index,
          symbol,
          inEMode: scenario.emode,
          targetHf: p.healthFactor,
          equityEth: (p.collateralTokens * priceEth) / leverage,
          aaveVersion: version,
        });
      });
      const opened = await openPositions({ replica, plans });
      onProgress?.(plans.length, plans.length);
      if (version === "3.0" && asset.spec.ltvBps === 0) {
        await send(
          `LTV ${MIN_COLLATERAL_LTV_BPS} bp for ${symbol} (v3.0.2 collateral rule)`,
          aave.poolConfigurator.configureReserveAsCollateral(
            collAddr,
            MIN_COLLATERAL_LTV_BPS,
            asset.spec.liquidationThresholdBps,
            10_000 + asset.spec.liquidationBonusBps,
          ),
        );
      }
      if (extraWethLiquidity > 0) await supplyWethLiquidity(replica, ethToWei(extraWethLiquidity * 1.05));
      return opened.positions.map((p) => p.account);
    },
    installGuard: ({ params }) =>
      installGuardOnMarket({
        hre,
        operator: deployer as Signer,
        addressesProvider: addrs.addressesProvider,
        collateral: collAddr,
        collateralSymbol: symbol,
        marketFeed: addrs.marketFeed,
        rateProvider: addrs.rateProvider,
        backingFeed: addrs.backingFeed,
        eModeCategoryId,
        eModeConfig: ctx.eModeConfig,
        generation: version === "3.0" ? "v3.0" : "v3.1+",
        params,
        scenario,
        scenarioFile,
      }),
  };
};
