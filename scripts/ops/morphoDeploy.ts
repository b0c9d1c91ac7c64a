/**
 * `replica:deploy --venue morpho` implementation: the Morpho Blue replica (real Morpho Blue, our IRM, the market
 * file's LLTVs enabled by the owner, one market per collateral with the replica's oracle, DEX pools), an optional
 * seeded population per market, and (unless --skip-guard) Cascade Guard's risk oracle and pause guard plus, per
 * collateral, a RiskAwareOracle and a second, risk-aware market created with it. Writes the `morpho` section (and
 * `riskAwareOracles`) of deployments/<network>.json; other sections are kept.
 */
import fs from "fs";
import path from "path";
import { ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { addressOf } from "../aave/artifacts";
import { DAY, deployCascadeGuard } from "../guard";
import { planScenarioPopulation } from "../markets/replica/population";
import { readAddressBook, writeBookSection } from "./morphoBook";
import { createMorphoMarket, deployMorphoReplica, openMorphoPositions, supplyMorphoWeth, type MorphoMarketParams } from "../markets/morpho/deploy";
import { DEFAULT_MORPHO_MARKET_FILE, loadMorphoMarketFile } from "../markets/morpho/marketFile";
import { runMorphoOracleDeploy } from "./morphoOracle";
import { ethToWei } from "../markets/replica/deployReplicaMarket";
import { MORPHO_BOOK_SCHEMA } from "../../spec/formats";


export interface MorphoBookMarket {
  collateral: string;
  lltvBps: number;
  regime: string;
  oracle: string;
  marketId: string;
  marketFeed: string;
  rateProvider: string;
  dexPool?: string;
  riskAware?: { oracle: string; marketId: string };
}

export interface MorphoBookSection {
  schema: typeof MORPHO_BOOK_SCHEMA;
  network: string;
  chainId: number;
  deployer: string;
  deployedAt: string;
  marketFile: string;
  morpho: string;
  irm: string;
  weth: string;
  markets: Record<string, MorphoBookMarket>;
  cascadeGuard?: { riskOracle: string; pauseGuard: string; rateAdapters: Record<string, string> };
  population?: { count: number; seed: number; accounts: Record<string, string[]> };
}

export interface MorphoReplicaDeployArgs {
  hre: HardhatRuntimeEnvironment;
  marketFile?: string;
  positions?: number;
  seed?: number;
  skipGuard?: boolean;
  out?: string;
  force?: boolean;
  log?: (line: string) => void;
}

const wad = (x: number) => BigInt(Math.round(x * 1e9)) * 10n ** 9n;

export async function runMorphoReplicaDeploy(args: MorphoReplicaDeployArgs): Promise<{ file: string; section: MorphoBookSection; skipped: boolean }> {
  const { hre } = args;
  const log = args.log ?? ((l: string) => console.log(l));
  const marketFile = path.resolve(args.marketFile ?? DEFAULT_MORPHO_MARKET_FILE);
  const file = loadMorphoMarketFile(marketFile); // validated before anything is sent
  const positions = args.positions ?? 0;
  const seed = args.seed ?? 7;
  if (!Number.isInteger(positions) || positions < 0) throw new Error(`--positions: expected a non-negative integer, found ${args.positions}`);
  const out = args.out ?? path.join(hre.config.paths.root, "deployments", `${hre.network.name}.json`);
  const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
  const existing = readAddressBook(out).morpho as MorphoBookSection | undefined;
  if (existing && !args.force && hre.network.name !== "hardhat" && existing.chainId === chainId && (await hre.ethers.provider.getCode(existing.morpho)) !== "0x") {
    log(`replica:deploy --venue morpho: the Morpho replica in ${path.relative(process.cwd(), out)} is live on ${hre.network.name} (Morpho ${existing.morpho}); nothing to do (--force deploys a new one)`);
    return { file: out, section: existing, skipped: true };
  }
  const [deployer] = await hre.ethers.getSigners();
  const me = await deployer.getAddress();
  const replica = await deployMorphoReplica({ deployer, marketFile });
  const section: MorphoBookSection = {
    schema: MORPHO_BOOK_SCHEMA,
    network: hre.network.name,
    chainId,
    deployer: me,
    deployedAt: new Date().toISOString(),
    marketFile: path.relative(hre.config.paths.root, marketFile),
    morpho: await addressOf(replica.morpho),
    irm: await addressOf(replica.irm),
    weth: replica.weth.address,
    markets: {},
  };
  for (const [symbol, m] of Object.entries(replica.markets)) {
    const a = replica.assets[symbol];
    section.markets[symbol] = {
      collateral: a.address,
      lltvBps: m.lltvBps,
      regime: m.regime,
      oracle: m.params.oracle,
      marketId: m.id,
      marketFeed: await addressOf(a.marketFeed),
      rateProvider: await addressOf(a.rateProvider),
      ...(a.dexPool ? { dexPool: await addressOf(a.dexPool) } : {}),
    };
  }
  if (positions > 0) {
    section.population = { count: positions, seed, accounts: {} };
    for (const [symbol, m] of Object.entries(replica.markets)) {
      const priceEth = Number(((await m.oracle.price()) as bigint) / 10n ** 18n) / 1e18;
      const plans = planScenarioPopulation({ count: positions, seed, totalCollateral: positions * 20, healthFactor: { min: 1.02, mode: 1.1, max: 1.8 } }).map((p) => ({
        collateralWei: wad(p.collateralTokens),
        borrowWei: wad((p.collateralTokens * priceEth * m.lltvBps) / 10_000 / p.healthFactor),
      }));
      section.population.accounts[symbol] = (await openMorphoPositions({ replica, params: m.params, plans })).accounts;
    }
  }
  if (!args.skipGuard) {
    const cascade = await deployCascadeGuard({
      deployer,
      addressesProvider: ZeroAddress,
      withoutHaircutModule: true,
      assets: await Promise.all(
        Object.keys(replica.markets).map(async (symbol) => ({
          symbol,
          asset: replica.assets[symbol].address,
          marketFeed: await addressOf(replica.assets[symbol].marketFeed),
          getRateSource: await addressOf(replica.assets[symbol].rateProvider),
          oracle: { marketHeartbeatSeconds: 7 * DAY },
        })),
      ),
    });
    section.cascadeGuard = { riskOracle: cascade.addresses.riskOracle, pauseGuard: cascade.addresses.pauseGuard, rateAdapters: cascade.addresses.rateAdapters };
  }
  writeBookSection(out, "morpho", section);
  if (!args.skipGuard) {
    // The curator's flow: deploy the oracle (cascade:deploy --morpho-oracle), then create the market with it.
    for (const [symbol, m] of Object.entries(replica.markets)) {
      const { record } = await runMorphoOracleDeploy({ signer: deployer, provider: hre.ethers.provider, bookFile: out, symbol, log });
      const params: MorphoMarketParams = { ...m.params, oracle: record.address };
      const id = await createMorphoMarket({ morpho: replica.morpho, signer: deployer, params, label: `${symbol}/WETH risk-aware` });
      section.markets[symbol].riskAware = { oracle: record.address, marketId: id };
      await supplyMorphoWeth(replica, params, ethToWei(100));
    }
    writeBookSection(out, "morpho", section);
  }
  log(`replica:deploy --venue morpho: Morpho ${section.morpho}, markets ${Object.entries(section.markets).map(([s, m]) => `${s}/WETH ${m.lltvBps / 100}%${m.riskAware ? " (+ risk-aware)" : ""}`).join(", ")}; address book ${out}`);
  if (!fs.existsSync(out)) throw new Error(`replica:deploy --venue morpho: ${out} was not written`);
  return { file: out, section, skipped: false };
}
