/**
 * Venue "morpho" (replica only): the Morpho Blue replica (`scripts/morpho`: real Morpho Blue, our IRM, the market
 * file's LLTV) for the scenario's collateral, with two markets that differ only by their oracle, because a Morpho
 * market's oracle is fixed at creation:
 *  - baseline: the replica's `ReplicaMorphoOracle` over the market-price source (`oracle: "market"`) or the
 *    exchange-rate source (`oracle: "exchange-rate"`);
 *  - protected: a `RiskAwareOracle` over Cascade Guard's risk oracle and pause guard (deployed here, before the
 *    market, as a curator would), reading the same market feed and rate provider.
 * The same seeded population is opened in both markets (through the real `supplyCollateral`/`borrow`), then one
 * snapshot is taken; each run drives its own market and ignores the other one. A proof-of-backing feed and a
 * constant-product DEX pool of the scenario's depth complete the world, as on the Aave venue.
 */
import { Contract, ZeroAddress, type Signer } from "ethers";
import { addressOf, deployArtifact, localArtifact, send } from "../aave";
import { DEFAULT_MODEL_PARAMS_BOUNDS, DAY, deployCascadeGuard, deployRiskAwareOracle, DEFAULT_RISK_AWARE_ORACLE, DEFAULT_GUARD_CONFIG } from "../guard";
import { deployMorphoReplica, openMorphoPositions, supplyMorphoWeth, createMorphoMarket, type MorphoMarketParams } from "../markets/morpho/deploy";
import { DEFAULT_MORPHO_MARKET_FILE, loadMorphoMarketFile } from "../markets/morpho/marketFile";
import { ethToWei } from "../markets/replica/deployReplicaMarket";
import type { FeedPorts } from "./chainWorld";
import { resolveRiskSettings, scenarioParamsSchema } from "./guardInstall";
import { ScenarioValidationError } from "./loader";
import { MorphoWorld, type MorphoRunMarket, type MorphoWorldContext } from "./morphoWorld";
import { OnchainDexPort } from "./onchainDex";
import { planScenarioPopulation } from "../markets/replica/population";
import type { MarketSetup, PreparedMarket } from "./marketSetup";

const wad = (x: number) => BigInt(Math.round(x * 1e9)) * 10n ** 9n;

export const morphoMarketSetup: MarketSetup = async ({ hre, scenario, scenarioFile }): Promise<PreparedMarket> => {
  if (process.env.FORK_URL) {
    throw new ScenarioValidationError(scenarioFile, [
      { pointer: "/venue", expected: '"aave" when FORK_URL is set (the Morpho venue runs on the local replica only)', found: '"morpho"' },
    ]);
  }
  const file = loadMorphoMarketFile(DEFAULT_MORPHO_MARKET_FILE);
  if (!file.markets.some((m) => m.collateral === scenario.collateral)) {
    throw new ScenarioValidationError(scenarioFile, [
      {
        pointer: "/collateral",
        expected: `a collateral with a Morpho market in ${file.file} (${file.markets.map((m) => m.collateral).join(", ")})`,
        found: JSON.stringify(scenario.collateral),
      },
    ]);
  }
  const { ethers } = hre;
  const [deployer, liquidator, attacker, keeper] = await ethers.getSigners();
  const me = await deployer.getAddress();
  const symbol = scenario.collateral;
  const replica = await deployMorphoReplica({
    deployer,
    symbols: [symbol],
    regime: { [symbol]: scenario.oracle === "market" ? "market-price" : "exchange-rate" },
    withoutDex: true,
  });
  const asset = replica.assets[symbol];
  const baseline = replica.markets[symbol];
  const collAddr = asset.address;
  const wethAddr = replica.weth.address;

  const backingFeed = await deployArtifact<Contract>(localArtifact("mocks/replica/ReplicaFeed.sol", "ReplicaFeed"), deployer, [
    18,
    `${symbol} backing per token`,
    asset.spec.rate!.initialRateWad,
    me,
  ]);
  const dexPool = await deployArtifact<Contract>(localArtifact("mocks/dex/ConstantProductPool.sol", "ConstantProductPool"), deployer, [
    collAddr,
    wethAddr,
    asset.spec.dex?.feeBps ?? 5,
    me,
  ]);
  const dex = new OnchainDexPort(await addressOf(dexPool), collAddr, wethAddr, deployer, asset.spec.decimals);

  // Cascade Guard for the protected market: risk oracle + pause guard (no haircut module: the LLTV is immutable),
  // configured with the scenario's own settings or the defaults now; `installGuard` applies a params file later.
  const parsedParams = scenario.params === undefined ? undefined : scenarioParamsSchema.safeParse(scenario.params);
  if (parsedParams && !parsedParams.success) {
    throw new ScenarioValidationError(
      scenarioFile,
      parsedParams.error.issues.map((i) => ({ pointer: `/params/${i.path.join("/")}`, expected: i.message, found: "see the scenario file" })),
    );
  }
  const initial = resolveRiskSettings({ params: undefined, scenario, scenarioFile, collateralSymbol: symbol });
  const cascade = await deployCascadeGuard({
    deployer,
    addressesProvider: ZeroAddress,
    withoutHaircutModule: true,
    assets: [
      {
        symbol,
        asset: collAddr,
        marketFeed: await addressOf(asset.marketFeed),
        getRateSource: await addressOf(asset.rateProvider),
        backingFeed: await addressOf(backingFeed),
        modelParams: initial.modelParams,
        guard: initial.guard,
        oracle: { marketHeartbeatSeconds: 7 * DAY, backingHeartbeatSeconds: 7 * DAY, ...initial.oracle },
      },
    ],
  });
  const riskAware = await deployRiskAwareOracle({
    deployer,
    asset: collAddr,
    riskOracle: cascade.addresses.riskOracle,
    guard: cascade.addresses.pauseGuard,
    marketFeed: await addressOf(asset.marketFeed),
    rateAdapter: cascade.addresses.rateAdapters[symbol],
    floorToleranceBps: initial.riskAwareOracle.floorToleranceBps ?? DEFAULT_RISK_AWARE_ORACLE.floorToleranceBps,
    maxFloorSeconds: initial.riskAwareOracle.maxFloorSeconds ?? initial.guard.maxPauseSeconds ?? DEFAULT_GUARD_CONFIG.maxPauseSeconds,
    marketHeartbeatSeconds: DAY,
    collateralDecimals: asset.spec.decimals,
    loanDecimals: replica.weth.spec.decimals,
  });
  const protectedParams: MorphoMarketParams = { ...baseline.params, oracle: await addressOf(riskAware) };
  const protectedId = await createMorphoMarket({ morpho: replica.morpho, signer: deployer, params: protectedParams, label: `${symbol}/WETH risk-aware` });
  const markets: Record<"baseline" | "protected", MorphoRunMarket> = {
    baseline: { params: baseline.params, id: baseline.id },
    protected: { params: protectedParams, id: protectedId },
  };

  const feeds: FeedPorts = {
    setAaveCollateralPrice: async () => undefined, // the Morpho oracles read the feeds themselves
    setMarketPrice: async (p) => {
      await send(`${symbol} market feed`, asset.marketFeed.setAnswer(wad(p)));
    },
    setExchangeRate: async (r) => {
      await send(`${symbol} rate`, asset.rateProvider.setRate(wad(r)));
    },
    setBackingPerToken: async (b) => {
      await send(`${symbol} backing`, backingFeed.getFunction("setAnswer")(wad(b)));
    },
  };
  const worldCtx: MorphoWorldContext = {
    rpc: (m, p) => hre.network.provider.send(m, p as unknown[]),
    latestTimestamp: async () => (await ethers.provider.getBlock("latest"))!.timestamp,
    morpho: await addressOf(replica.morpho),
    collateral: collAddr,
    collateralDecimals: asset.spec.decimals,
    weth: wethAddr,
    wethDecimals: replica.weth.spec.decimals,
    feeds,
    dex,
    fund: async (token, to, amount) => {
      await (await new Contract(token, ["function mint(address,uint256)"], deployer).mint(to, amount)).wait();
    },
    liquidator,
    attacker,
    keeper,
  };
  const borrowersOf: Record<"baseline" | "protected", string[]> = { baseline: [], protected: [] };

  return {
    mode: "replica",
    aaveVersion: "none", // Morpho Blue venue: no Aave market
    notes: [`venue morpho: real Morpho Blue, ${symbol}/WETH at LLTV ${baseline.lltvBps / 100}% (${file.file})`],
    // Only the generic fields are used by run.ts on this venue; the Aave handles stay undefined.
    ctx: {
      rpc: worldCtx.rpc,
      latestTimestamp: worldCtx.latestTimestamp,
      collateral: collAddr,
      collateralDecimals: asset.spec.decimals,
      weth: wethAddr,
      wethDecimals: replica.weth.spec.decimals,
      feeds,
      dex,
      fund: worldCtx.fund,
      liquidator,
      attacker,
      keeper,
    },
    openPopulation: async ({ extraWethLiquidity, onProgress }) => {
      // Sizes in tokens from the plan; debt = collateral x oracle price x LLTV / HF (Morpho's HF), in both markets.
      const lltv = baseline.lltvBps / 10_000;
      for (const run of ["baseline", "protected"] as const) {
        const m = markets[run];
        const oracle = new Contract(m.params.oracle, ["function price() view returns (uint256)"], deployer);
        const scale = 10n ** BigInt(36 + replica.weth.spec.decimals - asset.spec.decimals);
        const priceEth = Number(((await oracle.price()) as bigint) * 10n ** 18n / scale) / 1e18;
        const plans = planScenarioPopulation(scenario.positions).map((p) => ({
          collateralWei: wad(p.collateralTokens),
          borrowWei: wad((p.collateralTokens * priceEth * lltv) / p.healthFactor),
        }));
        const { accounts } = await openMorphoPositions({ replica, params: m.params, plans });
        borrowersOf[run] = accounts;
        if (extraWethLiquidity > 0) await supplyMorphoWeth(replica, m.params, ethToWei(extraWethLiquidity * 1.05));
        onProgress?.(plans.length, plans.length);
      }
      return borrowersOf.baseline;
    },
    installGuard: async ({ params }) => {
      // Apply the resolved settings (a params file, the scenario's own, or the defaults) to the deployed contracts.
      const s = resolveRiskSettings({ params, scenario, scenarioFile, collateralSymbol: symbol });
      const oracleC = cascade.riskOracle;
      const cfg = await oracleC.getAssetConfig(collAddr);
      await send(
        `oracle.configureAsset(${symbol})`,
        oracleC.configureAsset(collAddr, {
          marketFeed: cfg.marketFeed,
          marketHeartbeatSeconds: cfg.marketHeartbeatSeconds,
          emaHalfLifeSeconds: s.oracle.emaHalfLifeSeconds ?? cfg.emaHalfLifeSeconds,
          navHighWindowSeconds: s.oracle.navHighWindowSeconds ?? cfg.navHighWindowSeconds,
          rateAdapter: cfg.rateAdapter,
          navDropToleranceBps: s.oracle.navDropToleranceBps ?? cfg.navDropToleranceBps,
          backingShortfallToleranceBps: s.oracle.backingShortfallToleranceBps ?? cfg.backingShortfallToleranceBps,
          elevatedDiscountBps: s.oracle.elevatedDiscountBps ?? cfg.elevatedDiscountBps,
          hysteresisBps: s.oracle.hysteresisBps ?? cfg.hysteresisBps,
          backingFeed: cfg.backingFeed,
          backingHeartbeatSeconds: cfg.backingHeartbeatSeconds,
          minRateWad: cfg.minRateWad,
          maxRateWad: cfg.maxRateWad,
        }),
      );
      await send(`oracle.setModelParamsBounds(${symbol})`, oracleC.setModelParamsBounds(collAddr, DEFAULT_MODEL_PARAMS_BOUNDS, s.modelParams));
      await send(`guard.configureAsset(${symbol})`, cascade.pauseGuard.configureAsset(collAddr, { ...s.guard, pricing: 0 /* MARKET: a RiskAwareOracle prices at market */, pricingReference: ZeroAddress }));
      return { riskOracle: cascade.addresses.riskOracle, haircutModule: "", pauseGuard: cascade.addresses.pauseGuard, settingsSource: s.source };
    },
    createWorld: async ({ run, startTimestamp, cascade: installed }) => {
      const world = new MorphoWorld(worldCtx, scenario, run, markets[run], borrowersOf[run], startTimestamp, installed);
      await world.init();
      return world;
    },
  };
};
