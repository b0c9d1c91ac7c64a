/**
 * `replica:deploy` implementation: replica market (+ optional seeded population) + Cascade Guard installed, on the
 * selected network; writes the `replica` section of `deployments/<network>.json` (other sections are kept).
 */
import { UserError } from "../../spec/errors";
import crypto from "crypto";
import fs from "fs";
import path from "path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { addressOf } from "../aave/artifacts";
import { parseAaveVersion, type AaveVersion } from "../aave/deployAaveV3";
import {
  DEFAULT_MODEL_PARAMS_BOUNDS,
  cascadeAssetsFromReplica,
  deployCascadeGuard,
  installCascadeGuard,
  installGraceAdapter,
  type CascadeAddresses,
  type HaircutConfig,
  type ModelParams,
} from "../guard";
import { deployReplicaMarket, replicaAddressBook, type ReplicaAddressBook } from "../markets/replica/deployReplicaMarket";
import { DEFAULT_MARKET_FILE, loadMarketFile, type MarketConfig, type PriceRegime } from "../markets/replica/marketFile";
import { openPositions, planPopulation } from "../markets/replica/population";
import { loadParamsFile } from "../../model/params/schema";
import { checkHaircutCurve } from "../../spec/modelParams";
import { checkHaircutConfig } from "../../spec/haircutConfig";
import { REPLICA_BOOK_SCHEMA } from "../../spec/formats";


export interface ReplicaDeployArgs {
  hre: HardhatRuntimeEnvironment;
  /** `--aave`: "3.6" (default) or "3.0". */
  aave?: string;
  marketFile?: string;
  priceRegime?: PriceRegime;
  positions?: number;
  seed?: number;
  skipGuard?: boolean;
  /** Output file (default deployments/<network>.json). */
  out?: string;
  /** Deploy a new replica even if the address book's replica is live on this network. */
  force?: boolean;
  /** `cascade-guard/params@1` file: per-asset model params for Cascade Guard. */
  paramsFile?: string;
  /** Also use the params file's haircut configs (checked against the replica's constraints). */
  paramsHaircut?: boolean;
  log?: (line: string) => void;
}

export interface ReplicaBookSection extends ReplicaAddressBook {
  schema: typeof REPLICA_BOOK_SCHEMA;
  network: string;
  chainId: number;
  deployer: string;
  deployedAt: string;
  marketFile: string;
  marketFileSha256: string;
  priceRegime: PriceRegime;
  /** Aave generation deployed. */
  aaveVersion: AaveVersion;
  population?: { opener: string; count: number; seed: number; accounts: string[] };
  cascadeGuard?: CascadeAddresses & { graceAdapter?: string; sentinelInstalled?: boolean };
  elapsedSeconds: number;
}

/** Deploys everything and writes the address book; returns the section written and the file path. */
export async function runReplicaDeploy(args: ReplicaDeployArgs): Promise<{ file: string; section: ReplicaBookSection; skipped: boolean }> {
  const { hre } = args;
  const log = args.log ?? ((l: string) => console.log(l));
  const started = Date.now();
  const version = parseAaveVersion(args.aave); // validated before anything is sent
  const marketFile = path.resolve(args.marketFile ?? DEFAULT_MARKET_FILE);
  const market = loadMarketFile(marketFile); // validated before anything is sent
  if (!market.aaveVersions.includes(version)) {
    throw new UserError(`market file ${marketFile}: field aaveVersions ${JSON.stringify(market.aaveVersions)} does not list "${version}" (--aave ${version})`);
  }
  const positions = args.positions ?? 0;
  const seed = args.seed ?? 7;
  if (!Number.isInteger(positions) || positions < 0) {
    throw new UserError({ field: "--positions", problem: "expected a non-negative integer", value: args.positions, fix: "pass --positions 0 or more" });
  }
  const regime = args.priceRegime ?? "exchange-rate";
  if (regime !== "exchange-rate" && regime !== "market-price") {
    throw new UserError({ field: "--regime", problem: "expected exchange-rate or market-price", value: regime, fix: "pass --regime exchange-rate or --regime market-price" });
  }

  const params = args.paramsFile && !args.skipGuard ? await loadCascadeParams(args.paramsFile, market, args.paramsHaircut) : undefined;
  const file = args.out ?? path.join(hre.config.paths.root, "deployments", `${hre.network.name}.json`);
  const existing = readBook(file).replica as ReplicaBookSection | undefined;
  if (existing && !args.force && hre.network.name !== "hardhat") {
    const chainIdNow = Number((await hre.ethers.provider.getNetwork()).chainId);
    const pool = existing.aave?.Pool;
    if (existing.chainId === chainIdNow && pool && (await hre.ethers.provider.getCode(pool)) !== "0x") {
      log(`replica:deploy: the replica in ${path.relative(process.cwd(), file)} is live on ${hre.network.name} (Pool ${pool}); nothing to do (--force deploys a new one)`);
      return { file, section: existing, skipped: true };
    }
  }

  const [deployer] = await hre.ethers.getSigners();
  if (!deployer) {
    throw new UserError({ field: `--network ${hre.network.name}`, problem: "no signer (unlocked account or DEPLOYER_PRIVATE_KEY) available", fix: "npx hardhat vars set DEPLOYER_PRIVATE_KEY, or use a node with unlocked accounts" });
  }
  const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
  log(`replica:deploy on ${hre.network.name} (chain ${chainId}) from ${deployer.address}, market ${path.relative(process.cwd(), marketFile)}, regime ${regime}, Aave v${version}`);

  const replica = await deployReplicaMarket({ deployer, market, priceRegime: regime, aave: version });
  log(`  Aave v${version} market + ${market.reserves.length} reserves, feeds and DEX pools deployed (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  let population: ReplicaBookSection["population"];
  if (positions > 0) {
    const result = await openPositions({ replica, plans: planPopulation({ market, seed, count: positions, aaveVersion: version }) });
    population = { opener: await addressOf(result.opener), count: positions, seed, accounts: result.positions.map((p) => p.account) };
    log(`  ${positions} positions opened (seed ${seed}, ${(result.elapsedMs / 1000).toFixed(1)} s)`);
  }

  let cascadeGuard: ReplicaBookSection["cascadeGuard"];
  if (!args.skipGuard) {
    const addressesProvider = await addressOf(replica.aave.addressesProvider);
    const assets = await cascadeAssetsFromReplica(replica, { modelParams: params?.modelParams, haircut: params?.haircut });
    const cascade = await deployCascadeGuard({ deployer, addressesProvider, assets });
    // v3.6: the pause is the per-reserve grace period (adapter), not the market-wide sentinel.
    const report = await installCascadeGuard({ signer: deployer, addressesProvider, cascade, setSentinel: version === "3.0" });
    const graceAdapter =
      version === "3.6" ? (await installGraceAdapter({ signer: deployer, addressesProvider, pauseGuard: cascade.addresses.pauseGuard })).address : undefined;
    cascadeGuard = { ...cascade.addresses, sentinelInstalled: version === "3.0", ...(graceAdapter ? { graceAdapter } : {}) };
    log(
      `  Cascade Guard deployed and installed (sentinel ${report.sentinelSet ? "set" : "unchanged"}${graceAdapter ? `, grace-period adapter ${graceAdapter}` : ""}, ` +
        `haircut module ${cascade.addresses.haircutModule ? `configured for ${report.haircutAssetsConfigured.length} assets` : "not built yet"})`,
    );
  }

  const section: ReplicaBookSection = {
    schema: REPLICA_BOOK_SCHEMA,
    network: hre.network.name,
    chainId,
    deployer: deployer.address,
    deployedAt: new Date().toISOString(),
    marketFile: path.relative(hre.config.paths.root, marketFile),
    marketFileSha256: crypto.createHash("sha256").update(fs.readFileSync(marketFile)).digest("hex"),
    priceRegime: regime,
    aaveVersion: version,
    ...(await replicaAddressBook(replica)),
    ...(population ? { population } : {}),
    ...(cascadeGuard ? { cascadeGuard } : {}),
    elapsedSeconds: (Date.now() - started) / 1000,
  };
  writeSection(file, hre.network.name, chainId, section);
  log(`  wrote ${path.relative(process.cwd(), file)} (section "replica") in ${section.elapsedSeconds.toFixed(1)} s total`);
  return { file, section, skipped: false };
}

/**
 * Reads a params file with the one reader (`loadParamsFile`, model/params/schema.ts) and checks it against the market
 * and the installer's default keeper bounds before anything is sent; errors name the file, the asset and the field.
 * Haircut configs in the file are validated but used only with `includeHaircut` (`--params-haircut`): the model
 * writes one per LRT, while on the v3.0.2 replica only one asset may drive the shared eMode category and LTV-0
 * reserves must not be managed; by default the installer's replica defaults are used for the module.
 */
export async function loadCascadeParams(
  file: string,
  market: MarketConfig,
  includeHaircut = false,
): Promise<{ modelParams: Record<string, ModelParams>; haircut: Record<string, HaircutConfig> }> {
  const params = loadParamsFile(file);
  const modelParams: Record<string, ModelParams> = {};
  const haircut: Record<string, HaircutConfig> = {};
  const problems: string[] = [];
  params.assets.forEach((e, i) => {
    const reserve = market.reserves.find((r) => r.symbol === e.symbol);
    if (!reserve?.rate) {
      problems.push(`field assets[${i}].symbol: ${e.symbol} is not an LRT/LST reserve of market ${market.name}`);
      return;
    }
    const mp = e.modelParams as ModelParams;
    for (const [field, value] of Object.entries(mp)) {
      const min = DEFAULT_MODEL_PARAMS_BOUNDS.min[field as keyof ModelParams];
      const max = DEFAULT_MODEL_PARAMS_BOUNDS.max[field as keyof ModelParams];
      if (value < min || value > max) problems.push(`field assets[${i}] (${e.symbol}).modelParams.${field}: expected ${min}..${max}, found ${value}`);
    }
    for (const v of checkHaircutCurve(e.symbol, mp)) problems.push(`field assets[${i}] (${e.symbol}).modelParams.${v.field}: ${v.message}`);
    modelParams[e.symbol] = mp;
    if (e.haircut) {
      for (const v of checkHaircutConfig(e.symbol, e.haircut)) problems.push(`field assets[${i}] (${e.symbol}).haircut.${v.field}: ${v.message}`);
      if (includeHaircut) haircut[e.symbol] = e.haircut as HaircutConfig;
    }
  });
  if (includeHaircut) {
    // Aave v3.0.2 replica: one category for every ETH-like asset, so at most one asset may drive it.
    const drivers = Object.entries(haircut).filter(([, h]) => h.eModeCategoryId !== 0);
    const byCategory = new Map<number, string[]>();
    for (const [symbol, h] of drivers) byCategory.set(h.eModeCategoryId, [...(byCategory.get(h.eModeCategoryId) ?? []), symbol]);
    for (const [id, symbols] of byCategory) {
      if (symbols.length > 1) problems.push(`field assets[*].haircut.eModeCategoryId: ${symbols.join(", ")} all drive eMode category ${id}; only one asset may`);
    }
    for (const symbol of Object.keys(haircut)) {
      if (market.reserves.find((r) => r.symbol === symbol)!.ltvBps === 0) {
        problems.push(`field assets[*] (${symbol}).haircut: the market's LTV is 0; the module would raise it to floorLtvBps >= 1`);
      }
    }
  }
  if (problems.length > 0) {
    throw new UserError({
      file,
      problem: `invalid params for replica:deploy (${problems.length}): ${problems.join("; ")}`,
      fix: "correct those fields (params:compute writes a valid file) or deploy without --params",
    });
  }
  return { modelParams, haircut };
}

function readBook(file: string): Record<string, unknown> {
  if (!fs.existsSync(file)) return {};
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (err) {
    throw new UserError({ file, problem: `existing address book is not valid JSON (${(err as Error).message})`, fix: "repair it or remove it (or pass --out)" });
  }
}

/** Merges the `replica` section into an address book, keeping every other key. */
function writeSection(file: string, network: string, chainId: number, section: ReplicaBookSection): void {
  const book = readBook(file);
  book.network = network;
  book.chainId = chainId;
  book.replica = section;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(book, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n");
}
