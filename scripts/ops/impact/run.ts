/**
 * The impact check as the ops commands run it: options parsed and checked at the edge (one line per bad input,
 * before anything is forked or sent), accounts resolved, the check run on a fork of the command's own network,
 * the result written to `--impact-out`, and the operator's `--accept-impact` reason recorded.
 */
import fs from "fs";
import path from "path";
import { getAddress } from "ethers";
import type { OpsContext } from "../context";
import type { CascadeAbis } from "../abis";
import type { CascadeDeployment } from "../addressBook";
import { readAddressBook } from "../addressBook";
import { ImpactInputError, accountsFromPoolEvents, readAccountsFile, resolveBlockRange, type AccountsSource } from "./accounts";
import { DEFAULT_IMPACT_POLICY, ImpactPolicy, ImpactResult, ImpactWrite, checkImpact, impactJson, impactSummaryLine } from "./check";

/** Impact options shared by `params:push` and `keeper:run`. */
export interface ImpactArgs {
  /** List file of accounts (JSON array, {accounts: [...]}, or one address a line); default: the Pool's events. */
  accounts?: string;
  fromBlock?: string | number;
  toBlock?: string | number;
  logChunkBlocks?: string | number;
  maxNewLiquidatable?: string | number;
  maxNewLiquidatableDebtEth?: string | number;
  /** Keeper projection in hours after the writes (default: until the module's LT ramp ends, <= 24). */
  horizonHours?: string | number;
  /** Operator override of a refusal; the reason goes into the Safe batch and the address book's history. */
  acceptImpact?: string;
  /** Write the impact JSON here (the report's `cascade-guard/impact@1` input). */
  impactOut?: string;
}

function nonNegative(name: string, v: string | number | undefined, fallback: number, integer: boolean): number {
  if (v === undefined || v === "") return fallback;
  const n = typeof v === "number" ? v : Number(String(v).trim());
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw new ImpactInputError(`--${name} ${JSON.stringify(v)}: expected a non-negative ${integer ? "integer" : "number"}`);
  }
  return n;
}

/** Checks the options that need no chain access (before anything else runs). */
export function parseImpactOptions(args: ImpactArgs): { policy: ImpactPolicy; horizonHours?: number; acceptReason?: string } {
  const policy: ImpactPolicy = {
    maxNewLiquidatableAccounts: nonNegative("max-new-liquidatable", args.maxNewLiquidatable, DEFAULT_IMPACT_POLICY.maxNewLiquidatableAccounts, true),
    maxNewLiquidatableDebtEth: nonNegative("max-new-liquidatable-debt-eth", args.maxNewLiquidatableDebtEth, DEFAULT_IMPACT_POLICY.maxNewLiquidatableDebtEth, false),
  };
  const horizonHours = args.horizonHours === undefined || args.horizonHours === "" ? undefined : nonNegative("horizon-hours", args.horizonHours, 0, false);
  if (args.acceptImpact !== undefined && args.acceptImpact.trim().length < 3) {
    throw new ImpactInputError(`--accept-impact ${JSON.stringify(args.acceptImpact)}: give the reason in words (it goes into the Safe batch and the address book's history)`);
  }
  if (args.accounts !== undefined) readAccountsFile(args.accounts); // fail fast on a missing or malformed list
  return { policy, horizonHours, acceptReason: args.acceptImpact?.trim() };
}

/** The accounts to measure: the list file, or the Pool's Supply/Borrow events in the block range (read from the target). */
export async function resolveAccounts(ctx: OpsContext, pool: string, args: ImpactArgs): Promise<{ accounts: string[]; source: AccountsSource }> {
  if (args.accounts !== undefined) {
    return { accounts: readAccountsFile(args.accounts), source: { kind: "file", file: args.accounts } };
  }
  const latest = await ctx.provider.getBlockNumber();
  const range = resolveBlockRange({ fromBlock: args.fromBlock, toBlock: args.toBlock, latest, chunkBlocks: args.logChunkBlocks });
  const accounts = await accountsFromPoolEvents({ provider: ctx.provider, pool, ...range });
  return { accounts, source: { kind: "events", pool: getAddress(pool), ...range } };
}

export interface RunImpactRequest {
  ctx: OpsContext;
  deployment: CascadeDeployment;
  abis: CascadeAbis;
  writes: ImpactWrite[];
  args: ImpactArgs;
  noKeeperPoke?: boolean;
  horizonHours?: number;
  log: (l: string) => void;
}

/** Runs the check on a fork of `ctx`'s network; writes `--impact-out`; marks `accepted` when the operator overrode. */
export async function runImpactCheck(req: RunImpactRequest): Promise<ImpactResult> {
  const { ctx, deployment: d, args } = req;
  const opts = parseImpactOptions(args);
  if (!ctx.rpcUrl) {
    throw new ImpactInputError(`impact check: network ${ctx.networkName} has no JSON-RPC URL to fork (the in-process Hardhat network); run against a node, e.g. --network localhost`);
  }
  const { accounts, source } = await resolveAccounts(ctx, d.aave.pool, args);
  const result = await checkImpact({
    targetRpcUrl: ctx.rpcUrl,
    root: ctx.root,
    network: ctx.networkName,
    pool: d.aave.pool,
    cascade: { oracle: d.contracts.CollateralRiskOracle.address, haircutModule: d.contracts.WideningHaircutModule?.address },
    abis: req.abis,
    assets: Object.entries(d.assets).map(([symbol, a]) => ({ symbol, asset: a.asset })),
    writes: req.writes,
    accounts,
    accountsSource: source,
    policy: opts.policy,
    horizonHours: req.horizonHours ?? opts.horizonHours,
    noKeeperPoke: req.noKeeperPoke,
    log: req.log,
  });
  if (result.refused && opts.acceptReason) result.accepted = { reason: opts.acceptReason };
  if (args.impactOut) {
    fs.mkdirSync(path.dirname(path.resolve(args.impactOut)), { recursive: true });
    fs.writeFileSync(args.impactOut, impactJson(result));
  }
  return result;
}

export const PARAMS_HISTORY_KEY = "paramsHistory";

export interface ParamsHistoryEntry {
  at: string;
  command: "params:push" | "keeper:run";
  mode: "execute" | "safe-batch";
  paramsFile?: string;
  calls: string[];
  txHashes: string[];
  safeBatchFile?: string;
  impact: string;
  acceptedImpact?: { reason: string; refusals: string[] };
}

/**
 * Appends an entry to the address book's `paramsHistory` section (owned by params:push and keeper:run; every other
 * section kept as found; atomic write).
 */
export function appendParamsHistory(file: string, entry: ParamsHistoryEntry): void {
  const book = readAddressBook(file);
  const history = Array.isArray(book[PARAMS_HISTORY_KEY]) ? (book[PARAMS_HISTORY_KEY] as unknown[]) : [];
  const merged = { ...book, [PARAMS_HISTORY_KEY]: [...history, entry] };
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(merged, null, 2) + "\n");
  fs.renameSync(tmp, file);
}

export function historyImpact(r: ImpactResult): Pick<ParamsHistoryEntry, "impact" | "acceptedImpact"> {
  return { impact: impactSummaryLine(r), ...(r.accepted ? { acceptedImpact: { reason: r.accepted.reason, refusals: r.refusals } } : {}) };
}
