/**
 * `replica:deploy` implementation: replica market (+ optional seeded population) + Cascade Guard installed, on the
 * selected network; writes the `replica` section of `deployments/<network>.json` (other sections are kept).
 */
import crypto from "crypto";
import fs from "fs";
import path from "path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { addressOf } from "../aave/artifacts";
import { cascadeAssetsFromReplica, deployCascadeGuard, installCascadeGuard, type CascadeAddresses } from "../cascade";
import { deployReplicaMarket, replicaAddressBook, type ReplicaAddressBook } from "./deployReplicaMarket";
import { DEFAULT_MARKET_FILE, loadMarketFile, type PriceRegime } from "./market";
import { openPositions, planPopulation } from "./population";

export const REPLICA_BOOK_FORMAT = "cascade-guard/replica@1";

export interface ReplicaDeployArgs {
  hre: HardhatRuntimeEnvironment;
  marketFile?: string;
  priceRegime?: PriceRegime;
  positions?: number;
  seed?: number;
  skipGuard?: boolean;
  /** Output file (default deployments/<network>.json). */
  out?: string;
  /** Deploy a new replica even if the address book's replica is live on this network. */
  force?: boolean;
  log?: (line: string) => void;
}

export interface ReplicaBookSection extends ReplicaAddressBook {
  format: typeof REPLICA_BOOK_FORMAT;
  network: string;
  chainId: number;
  deployer: string;
  deployedAt: string;
  marketFile: string;
  marketFileSha256: string;
  priceRegime: PriceRegime;
  population?: { opener: string; count: number; seed: number; accounts: string[] };
  cascadeGuard?: CascadeAddresses;
  elapsedSeconds: number;
}

/** Deploys everything and writes the address book; returns the section written and the file path. */
export async function runReplicaDeploy(args: ReplicaDeployArgs): Promise<{ file: string; section: ReplicaBookSection; skipped: boolean }> {
  const { hre } = args;
  const log = args.log ?? ((l: string) => console.log(l));
  const started = Date.now();
  const marketFile = path.resolve(args.marketFile ?? DEFAULT_MARKET_FILE);
  const market = loadMarketFile(marketFile); // validated before anything is sent
  const positions = args.positions ?? 0;
  const seed = args.seed ?? 7;
  if (!Number.isInteger(positions) || positions < 0) throw new Error(`--positions: expected a non-negative integer, found ${args.positions}`);
  const regime = args.priceRegime ?? "exchange-rate";
  if (regime !== "exchange-rate" && regime !== "market-price") throw new Error(`--regime: expected exchange-rate or market-price, found ${regime}`);

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
  if (!deployer) throw new Error(`network ${hre.network.name}: no signer (unlocked account or DEPLOYER_PRIVATE_KEY) available`);
  const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
  log(`replica:deploy on ${hre.network.name} (chain ${chainId}) from ${deployer.address}, market ${path.relative(process.cwd(), marketFile)}, regime ${regime}`);

  const replica = await deployReplicaMarket({ deployer, market, priceRegime: regime });
  log(`  Aave v3.0.2 market + ${market.reserves.length} reserves, feeds and DEX pools deployed (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  let population: ReplicaBookSection["population"];
  if (positions > 0) {
    const result = await openPositions({ replica, plans: planPopulation({ market, seed, count: positions }) });
    population = { opener: await addressOf(result.opener), count: positions, seed, accounts: result.positions.map((p) => p.account) };
    log(`  ${positions} positions opened (seed ${seed}, ${(result.elapsedMs / 1000).toFixed(1)} s)`);
  }

  let cascadeGuard: CascadeAddresses | undefined;
  if (!args.skipGuard) {
    const addressesProvider = await addressOf(replica.aave.addressesProvider);
    const cascade = await deployCascadeGuard({ deployer, addressesProvider, assets: await cascadeAssetsFromReplica(replica) });
    const report = await installCascadeGuard({ signer: deployer, addressesProvider, cascade });
    cascadeGuard = cascade.addresses;
    log(
      `  Cascade Guard deployed and installed (sentinel ${report.sentinelSet ? "set" : "unchanged"}, ` +
        `haircut module ${cascade.addresses.haircutModule ? `configured for ${report.haircutAssetsConfigured.length} assets` : "not built yet"})`,
    );
  }

  const section: ReplicaBookSection = {
    format: REPLICA_BOOK_FORMAT,
    network: hre.network.name,
    chainId,
    deployer: deployer.address,
    deployedAt: new Date().toISOString(),
    marketFile: path.relative(hre.config.paths.root, marketFile),
    marketFileSha256: crypto.createHash("sha256").update(fs.readFileSync(marketFile)).digest("hex"),
    priceRegime: regime,
    ...(await replicaAddressBook(replica)),
    ...(population ? { population } : {}),
    ...(cascadeGuard ? { cascadeGuard } : {}),
    elapsedSeconds: (Date.now() - started) / 1000,
  };
  writeSection(file, hre.network.name, chainId, section);
  log(`  wrote ${path.relative(process.cwd(), file)} (section "replica") in ${section.elapsedSeconds.toFixed(1)} s total`);
  return { file, section, skipped: false };
}

function readBook(file: string): Record<string, unknown> {
  if (!fs.existsSync(file)) return {};
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${file}: existing address book is not valid JSON (${(err as Error).message}); fix or remove it`);
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
