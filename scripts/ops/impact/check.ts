/**
 * Impact check: what a set of writes does to real positions, measured on a fork of the network being written to.
 *
 *   1. fork the target (anvil `--fork-url <target RPC>`, pinned to its latest block; tests fork a local anvil node
 *      running the replica: the same code path a real RPC takes);
 *   2. "after": impersonate each write's sender and send the exact calldata; then poke the contracts as the next
 *      keeper round would (`haircut.poke` for managed assets, `oracle.poke` for the others); when the module's LT
 *      still has to ramp toward its target, advance the fork by the ramp time (auto, capped, or `horizonHours`) and
 *      poke again; read every account's `getUserAccountData`, the AaveOracle prices, the exchange rates, the
 *      values the module wrote and would write next, and the linked values across contracts;
 *   3. "before": revert the fork to the snapshot and do the same keeper rounds at the same timestamps without the
 *      writes (so interest, EMA drift and the ramp of an episode already running cancel out);
 *   4. compare, and apply the refusal policy (`evaluatePolicy`).
 *
 * Reads go through the Pool's public interface (`getUserAccountData`, `getReservesList`, `getConfiguration`, the
 * eMode getters of v3.0-v3.1 or v3.2+), so the check applies to the v3.0.2 replica and to later Pools alike.
 * Reads of many accounts are issued concurrently and travel as JSON-RPC batches (one HTTP request per 200 calls).
 */
import { WAD } from "../../../spec/units";
import { UserError } from "../../../spec/errors";
import path from "path";
import { Contract, JsonRpcProvider, Provider, getAddress } from "ethers";
import { CascadeAbis, errorInterfaces } from "../abis";
import { startAnvil, type LocalNode } from "../localNode";
import { describeRevert } from "../tx";
import { decodeReserveConfiguration } from "../status";
import { percentMulHalfUp } from "../../../spec/haircutConfig";
import { ImpactInputError, type AccountsSource } from "./accounts";
import { IMPACT_SCHEMA } from "../../../spec/formats";

/** Where node_modules/.bin/anvil lives: this repository (the operator's project root may be elsewhere). */
const ANVIL_ROOT = path.resolve(__dirname, "..", "..", "..");
/** A horizon longer than this is not projected (feeds would go stale on a real fork; say so instead). */
export const MAX_HORIZON_HOURS = 24;
/** HF below which an account counts as "at risk" (not yet liquidatable). */
export const AT_RISK_HF = 1.05;

/** The Aave Pool surface the check uses: present in v3.0 through v3.6. */
export const POOL_READ_ABI = [
  "function getUserAccountData(address user) view returns (uint256 totalCollateralBase, uint256 totalDebtBase, uint256 availableBorrowsBase, uint256 currentLiquidationThreshold, uint256 ltv, uint256 healthFactor)",
  "function getReservesList() view returns (address[])",
  "function getConfiguration(address asset) view returns (tuple(uint256 data))",
  "function ADDRESSES_PROVIDER() view returns (address)",
  // v3.0 - v3.1
  "function getEModeCategoryData(uint8 id) view returns (tuple(uint16 ltv, uint16 liquidationThreshold, uint16 liquidationBonus, address priceSource, string label))",
  // v3.2+
  "function getEModeCategoryCollateralConfig(uint8 id) view returns (tuple(uint16 ltv, uint16 liquidationThreshold, uint16 liquidationBonus))",
  "function getEModeCategoryCollateralBitmap(uint8 id) view returns (uint128)",
];
const PROVIDER_ABI = ["function getPriceOracle() view returns (address)"];
const AAVE_ORACLE_ABI = ["function getAssetPrice(address asset) view returns (uint256)"];
const ERC20_SYMBOL_ABI = ["function symbol() view returns (string)"];

/** One exact write to apply on the fork. */
export interface ImpactWrite {
  label: string;
  from: string;
  to: string;
  data: string;
}

export interface ImpactPolicy {
  /** Refuse when more accounts than this become liquidatable. */
  maxNewLiquidatableAccounts: number;
  /** Refuse when more debt (ETH) than this becomes liquidatable. */
  maxNewLiquidatableDebtEth: number;
}
export const DEFAULT_IMPACT_POLICY: ImpactPolicy = { maxNewLiquidatableAccounts: 0, maxNewLiquidatableDebtEth: 0 };

export interface AccountImpact {
  account: string;
  hfBefore: number | null;
  hfAfter: number | null;
  debtEth: number;
  collateralEth: number;
}

export interface HfBin {
  label: string;
  /** Lower bound (inclusive), HF; null = accounts without debt. */
  lo: number | null;
  hi: number | null;
  before: number;
  after: number;
}

export interface PriceImpact {
  symbol: string;
  asset: string;
  /** AaveOracle price of the asset in ETH (asset price / WETH price). */
  aavePriceEthBefore: number;
  aavePriceEthAfter: number;
  aavePriceChangeBps: number;
  exchangeRateBefore: number | null;
  exchangeRateAfter: number | null;
  /** The risk oracle's market price after its poke (ETH per token). */
  marketPriceAfter: number | null;
  levelAfter: string | null;
}

export interface ModuleValues {
  ltvBps: number;
  ltBps: number;
  eModeLtvBps: number;
  eModeLtBps: number;
}
export interface ModuleImpact {
  symbol: string;
  asset: string;
  /** What the module holds in Aave after the keeper round(s), without and with the writes. */
  before: ModuleValues;
  after: ModuleValues;
  /** The targets the module would write next (previewTarget, before ramp limits), after the writes. */
  nextTargetAfter: ModuleValues;
}

export interface ConsistencyIssue {
  rule: "LTV < LT" | "LT x LB <= 100%" | "eMode above members" | "trip above ELEVATED" | "curve knots against the trip";
  where: string;
  message: string;
}

export interface ImpactResult {
  schema: typeof IMPACT_SCHEMA;
  network: string;
  chainId: number;
  forkBlock: number;
  forkTimestamp: number;
  generatedAt: string;
  horizonHours: number;
  accountsSource: AccountsSource;
  accountsChecked: number;
  accountsWithDebt: number;
  writes: ImpactWrite[];
  writeFailures: string[];
  keeperNotes: string[];
  policy: ImpactPolicy;
  summary: {
    liquidatableBefore: number;
    liquidatableAfter: number;
    newlyLiquidatable: number;
    newlyLiquidatableDebtEth: number;
    newlyAtRisk: number;
  };
  hfHistogram: HfBin[];
  newlyLiquidatable: AccountImpact[];
  newlyAtRisk: AccountImpact[];
  prices: PriceImpact[];
  module: ModuleImpact[];
  consistency: { introduced: ConsistencyIssue[]; existing: ConsistencyIssue[] };
  refusals: string[];
  refused: boolean;
  accepted?: { reason: string };
  elapsedMs: number;
}

export interface CheckImpactRequest {
  /** JSON-RPC URL of the network being written to (forked; never written to). */
  targetRpcUrl: string;
  /** Project root (to find the anvil binary). */
  root: string;
  network: string;
  pool: string;
  cascade: { oracle: string; haircutModule?: string };
  abis: CascadeAbis;
  /** Watched assets (symbol + address): prices, rates and module values are reported for these. */
  assets: ReadonlyArray<{ symbol: string; asset: string }>;
  writes: ImpactWrite[];
  accounts: string[];
  accountsSource: AccountsSource;
  policy?: ImpactPolicy;
  /** Hours to project the keeper forward after the writes; undefined = until the module's LT ramp ends (<= 24 h). */
  horizonHours?: number;
  /** Skip the keeper round (keeper-side checks: the write *is* the keeper's step). */
  noKeeperPoke?: boolean;
  log?: (line: string) => void;
}

/** Starts the fork; an unreachable target is one line naming the URL. */
export async function openFork(req: { targetRpcUrl: string }): Promise<{ node: LocalNode; chainId: number; block: number }> {
  let chainId: number;
  let block: number;
  try {
    const rpc = async (method: string) => {
      const res = await fetch(req.targetRpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = (await res.json()) as { result?: string; error?: { message?: string } };
      if (body.result === undefined) throw new Error(body.error?.message ?? "no result");
      return body.result;
    };
    chainId = Number(await rpc("eth_chainId"));
    block = Number(await rpc("eth_blockNumber"));
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    throw new ImpactInputError(`impact check: cannot reach the network to fork at ${redactUrl(req.targetRpcUrl)} (${e.cause?.code ?? e.message.split("\n")[0]}); check the network's RPC URL; nothing sent`);
  }
  try {
    const node = await startAnvil({ root: ANVIL_ROOT, chainId, forkUrl: req.targetRpcUrl, forkBlockNumber: block, timeoutMs: 60_000 });
    return { node, chainId, block };
  } catch (err) {
    throw new ImpactInputError(`impact check: anvil could not fork ${redactUrl(req.targetRpcUrl)} at block ${block} (${(err as Error).message.split("\n")[0]}); nothing sent`);
  }
}

/** Hides an API key in a provider URL path/query when printing it. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.hostname === "127.0.0.1" || u.hostname === "localhost") return url;
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return "(unparseable URL)";
  }
}

interface Snapshot {
  accounts: Map<string, { hf: number | null; debtEth: number; collateralEth: number }>;
  prices: Map<string, { aavePriceEth: number; rate: number | null; market: number | null; level: string | null }>;
  module: Map<string, { state: ModuleValues; target?: ModuleValues }>;
  consistency: ConsistencyIssue[];
}

const LEVELS = ["NORMAL", "ELEVATED", "STRESSED", "IMPAIRED"];
const wadToNum = (v: bigint) => Number(v / 10n ** 9n) / 1e9;

/** Runs the whole check. Never writes to the target; the fork is stopped before returning. */
export async function checkImpact(req: CheckImpactRequest): Promise<ImpactResult> {
  const started = Date.now();
  const log = req.log ?? (() => undefined);
  const policy = req.policy ?? DEFAULT_IMPACT_POLICY;
  const { node, chainId, block } = await openFork(req);
  const fork = node.provider;
  try {
    const forkTimestamp = Number((await fork.getBlock(block))?.timestamp ?? 0);
    const errIfaces = errorInterfaces(req.abis);
    const pool = new Contract(req.pool, POOL_READ_ABI, fork);
    const addressesProvider = new Contract(await pool.ADDRESSES_PROVIDER(), PROVIDER_ABI, fork);
    const aaveOracle = new Contract(await addressesProvider.getPriceOracle(), AAVE_ORACLE_ABI, fork);
    const oracle = new Contract(req.cascade.oracle, req.abis.oracle, fork);
    const module = req.cascade.haircutModule ? new Contract(req.cascade.haircutModule, req.abis.haircutModule, fork) : undefined;
    const reserves: string[] = (await pool.getReservesList()).map((a: string) => getAddress(a));
    const weth = await findWeth(reserves, fork);
    const moduleAssets = new Set<string>(module ? (await module.getAssets()).map((a: string) => getAddress(a)) : []);
    const oracleAssets = new Set<string>((await oracle.getAssets()).map((a: string) => getAddress(a)));
    const watched = req.assets.map((a) => ({ symbol: a.symbol, asset: getAddress(a.asset) }));
    const [poker] = (await fork.send("eth_accounts", [])) as string[];
    const keeperNotes: string[] = [];

    /** One keeper round on the fork: module pokes (they poke the oracle too), oracle pokes for the others. */
    const keeperRound = async (label: string) => {
      if (req.noKeeperPoke) return;
      for (const a of oracleAssets) {
        const viaModule = moduleAssets.has(a);
        const c = viaModule ? module! : oracle;
        const data = c.interface.encodeFunctionData("poke", [a]);
        const r = await sendAs(fork, poker, c.target as string, data);
        if (!r.ok) keeperNotes.push(`${label}: ${symbolOf(watched, a)} ${viaModule ? "haircut" : "oracle"}.poke reverted on the fork: ${describeRevert(r.error, errIfaces)}`);
      }
    };

    const snap: string = await fork.send("evm_snapshot", []);
    // Both passes run at the same timestamps: T0 just after the fork block, then T0 + horizon.
    const t0 = forkTimestamp + 12;
    const atTime = async (ts: number) => fork.send("evm_setNextBlockTimestamp", [ts]);
    await atTime(t0);

    // ---- after: the exact writes, then the keeper
    const writeFailures: string[] = [];
    for (const w of req.writes) {
      await fork.send("anvil_impersonateAccount", [w.from]);
      await fork.send("anvil_setBalance", [w.from, "0x56BC75E2D63100000"]); // 100 ETH for gas
      const r = await sendAs(fork, w.from, w.to, w.data);
      await fork.send("anvil_stopImpersonatingAccount", [w.from]);
      if (!r.ok) writeFailures.push(`${w.label}: reverted on the fork when sent by ${w.from}: ${describeRevert(r.error, errIfaces)}`);
    }
    await keeperRound("after");
    let horizonHours = req.horizonHours ?? 0;
    if (req.horizonHours === undefined && module) horizonHours = await rampHours(module, [...moduleAssets]);
    if (horizonHours > MAX_HORIZON_HOURS) {
      keeperNotes.push(`the module's LT ramp needs ${horizonHours} h; projected ${MAX_HORIZON_HOURS} h only (feeds would be stale beyond that on a fork)`);
      horizonHours = MAX_HORIZON_HOURS;
    }
    // The ramp clock starts at the keeper's poke, which may land seconds after T0 when the node is slow (anvil
    // stamps blocks from the wall clock): the horizon counts from the block that holds it, so the projection reaches
    // the ramp's end whatever the timing. Both passes advance to this same instant.
    const tEnd = Number((await fork.getBlock("latest"))!.timestamp) + Math.round(horizonHours * 3600);
    const advance = async () => {
      if (horizonHours <= 0) return;
      await atTime(tEnd);
      await fork.send("evm_mine", []);
    };
    await advance();
    if (horizonHours > 0) await keeperRound(`after +${horizonHours}h`);
    log(`impact: writes applied on the fork of block ${block}${horizonHours ? `, keeper projected ${horizonHours} h` : ""}; reading ${req.accounts.length} account(s)`);
    const after = await measure({ fork, pool, aaveOracle, oracle, module, weth, reserves, watched, moduleAssets, accounts: req.accounts });

    // ---- before: same keeper rounds, same times, no writes
    await fork.send("evm_revert", [snap]);
    await atTime(t0);
    await keeperRound("before");
    await advance();
    if (horizonHours > 0) await keeperRound(`before +${horizonHours}h`);
    const before = await measure({ fork, pool, aaveOracle, oracle, module, weth, reserves, watched, moduleAssets, accounts: req.accounts });

    return compare({ req, policy, chainId, block, forkTimestamp, horizonHours, before, after, writeFailures, keeperNotes, started });
  } finally {
    await node.stop();
  }
}

function symbolOf(watched: ReadonlyArray<{ symbol: string; asset: string }>, a: string): string {
  return watched.find((w) => w.asset === a)?.symbol ?? a;
}

async function findWeth(reserves: string[], provider: Provider): Promise<string> {
  const symbols = await Promise.all(
    reserves.map(async (r) => {
      try {
        return String(await new Contract(r, ERC20_SYMBOL_ABI, provider).symbol());
      } catch {
        return "";
      }
    }),
  );
  const i = symbols.findIndex((s) => s === "WETH");
  if (i < 0) throw new ImpactInputError(`impact check: the Pool lists no WETH reserve (reserves: ${symbols.filter(Boolean).join(", ")}); debt cannot be priced in ETH`);
  return reserves[i];
}

/** Sends one transaction on the fork (automine) and reports success or the revert (decoded from a replayed call). */
async function sendAs(fork: JsonRpcProvider, from: string, to: string, data: string): Promise<{ ok: true } | { ok: false; error: unknown }> {
  try {
    await fork.call({ from, to, data });
  } catch (error) {
    return { ok: false, error };
  }
  try {
    const hash: string = await fork.send("eth_sendTransaction", [{ from, to, data, gas: "0x1C9C380" }]); // 30M gas
    // anvil automines asynchronously: on a loaded machine the receipt can lag the hash, so wait for it (up to 30 s).
    let receipt = await fork.send("eth_getTransactionReceipt", [hash]);
    for (let waitedMs = 0; !receipt && waitedMs < 30_000; waitedMs += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      receipt = await fork.send("eth_getTransactionReceipt", [hash]);
    }
    if (!receipt || Number(receipt.status) !== 1) return { ok: false, error: new Error(`transaction ${hash} failed (status ${receipt?.status})`) };
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Hours until every managed asset's module LT (and eMode LT) reaches its current target at the ramp rate. */
async function rampHours(module: Contract, assets: string[]): Promise<number> {
  let hours = 0;
  for (const a of assets) {
    const [cfg, st, t] = await Promise.all([module.getHaircutConfig(a), module.getHaircutState(a), module.previewTarget(a)]);
    const gap = Math.max(Number(st.ltBps) - Number(t.targetLtBps), Number(st.eModeLtBps) - Number(t.targetEModeLtBps), 0);
    const ramp = Number(cfg.ltRampBpsPerHour);
    if (gap > 0 && ramp > 0) hours = Math.max(hours, Math.ceil(gap / ramp));
  }
  return hours;
}

interface MeasureRequest {
  fork: JsonRpcProvider;
  pool: Contract;
  aaveOracle: Contract;
  oracle: Contract;
  module?: Contract;
  weth: string;
  reserves: string[];
  watched: Array<{ symbol: string; asset: string }>;
  moduleAssets: Set<string>;
  accounts: string[];
}

async function measure(m: MeasureRequest): Promise<Snapshot> {
  const wethPrice: bigint = await m.aaveOracle.getAssetPrice(m.weth);
  if (wethPrice === 0n) throw new ImpactInputError(`impact check: AaveOracle prices WETH (${m.weth}) at 0; cannot price debt in ETH`);
  const toEth = (base: bigint) => Number((base * 10n ** 9n) / wethPrice) / 1e9;
  // All account reads at once: ethers batches them into JSON-RPC batch requests.
  const data = await Promise.all(m.accounts.map((a) => m.pool.getUserAccountData(a)));
  const accounts = new Map<string, { hf: number | null; debtEth: number; collateralEth: number }>();
  m.accounts.forEach((a, i) => {
    const d = data[i];
    const debt = BigInt(d.totalDebtBase);
    accounts.set(a, { hf: debt === 0n ? null : wadToNum(BigInt(d.healthFactor)), debtEth: toEth(debt), collateralEth: toEth(BigInt(d.totalCollateralBase)) });
  });

  const prices = new Map<string, { aavePriceEth: number; rate: number | null; market: number | null; level: string | null }>();
  await Promise.all(
    m.watched.map(async ({ asset }) => {
      const price: bigint = await m.aaveOracle.getAssetPrice(asset);
      let rate: number | null = null;
      let market: number | null = null;
      let level: string | null = null;
      try {
        const [cfg, st] = await Promise.all([m.oracle.getAssetConfig(asset), m.oracle.getAssetState(asset)]);
        const adapter = new Contract(cfg.rateAdapter, ["function getRateWad() view returns (uint256)"], m.fork);
        rate = wadToNum(BigInt(await adapter.getRateWad()));
        market = wadToNum(BigInt(st.marketPriceWad));
        level = LEVELS[Number(st.level)] ?? null;
      } catch {
        /* asset not configured in the risk oracle: price only */
      }
      prices.set(asset, { aavePriceEth: wadToNum((price * WAD) / wethPrice), rate, market, level });
    }),
  );

  const module = new Map<string, { state: ModuleValues; target?: ModuleValues }>();
  if (m.module) {
    for (const a of m.moduleAssets) {
      const [st, t] = await Promise.all([m.module.getHaircutState(a), m.module.previewTarget(a).catch(() => undefined)]);
      module.set(a, {
        state: { ltvBps: Number(st.ltvBps), ltBps: Number(st.ltBps), eModeLtvBps: Number(st.eModeLtvBps), eModeLtBps: Number(st.eModeLtBps) },
        target: t ? { ltvBps: Number(t.targetLtvBps), ltBps: Number(t.targetLtBps), eModeLtvBps: Number(t.targetEModeLtvBps), eModeLtBps: Number(t.targetEModeLtBps) } : undefined,
      });
    }
  }
  return { accounts, prices, module, consistency: await consistencyIssues(m) };
}

/**
 * Linked values across fields and contracts, read from the fork:
 *   every collateral reserve: LTV < LT (LTV 0 = no borrowing power, allowed) and LT x LB <= 100% (Aave's half-up percentMul);
 *   every eMode category in use: LT x LB <= 100%, LTV and LT at or above each member reserve's;
 *   every watched asset in the risk oracle: trip > ELEVATED threshold; the haircut curve already cuts at the trip
 *   (haircut(trip) > 0, first knot below the trip), so the haircut is widening by the time liquidations are paused.
 */
async function consistencyIssues(m: MeasureRequest): Promise<ConsistencyIssue[]> {
  const out: ConsistencyIssue[] = [];
  const cfgs = await Promise.all(m.reserves.map(async (r) => decodeReserveConfiguration(BigInt((await m.pool.getConfiguration(r)).data))));
  const name = (a: string) => symbolOf(m.watched, a);
  const categories = new Map<number, number[]>();
  cfgs.forEach((c, i) => {
    const where = `reserve ${name(m.reserves[i])}`;
    if (c.liquidationThresholdBps > 0 && c.ltvBps > 0 && c.ltvBps >= c.liquidationThresholdBps) {
      out.push({ rule: "LTV < LT", where, message: `${where}: LTV ${c.ltvBps} >= LT ${c.liquidationThresholdBps} (a position opened at max LTV is liquidatable at once)` });
    }
    if (c.liquidationThresholdBps > 0 && percentMulHalfUp(c.liquidationThresholdBps, c.liquidationBonusBps) > 10_000) {
      out.push({ rule: "LT x LB <= 100%", where, message: `${where}: LT ${c.liquidationThresholdBps} x LB ${c.liquidationBonusBps} = ${percentMulHalfUp(c.liquidationThresholdBps, c.liquidationBonusBps)} > 10000 (liquidations would seize more than the collateral)` });
    }
    if (c.eModeCategoryId) categories.set(c.eModeCategoryId, [...(categories.get(c.eModeCategoryId) ?? []), i]);
  });
  if (m.module) {
    for (const a of m.moduleAssets) {
      const id = Number((await m.module.getHaircutConfig(a)).eModeCategoryId);
      if (id && !categories.has(id)) categories.set(id, []);
    }
  }
  for (const [id, members] of categories) {
    const e = await eModeCategory(m.pool, id, m.reserves.length);
    if (!e) continue;
    const memberIdx = members.length ? members : e.members;
    const where = `eMode ${id}`;
    if (e.lt > 0 && percentMulHalfUp(e.lt, e.lb) > 10_000) out.push({ rule: "LT x LB <= 100%", where, message: `${where}: LT ${e.lt} x LB ${e.lb} = ${percentMulHalfUp(e.lt, e.lb)} > 10000` });
    if (e.ltv > 0 && e.ltv >= e.lt) out.push({ rule: "LTV < LT", where, message: `${where}: LTV ${e.ltv} >= LT ${e.lt}` });
    for (const i of memberIdx) {
      const c = cfgs[i];
      if (!c) continue;
      if (c.liquidationThresholdBps > e.lt || c.ltvBps > e.ltv) {
        out.push({ rule: "eMode above members", where: `${where} / ${name(m.reserves[i])}`, message: `${where} LTV/LT ${e.ltv}/${e.lt} below member ${name(m.reserves[i])} reserve LTV/LT ${c.ltvBps}/${c.liquidationThresholdBps}` });
      }
    }
  }
  for (const { symbol, asset } of m.watched) {
    let cfg, params;
    try {
      cfg = await m.oracle.getAssetConfig(asset);
      [params] = await m.oracle.getModelParams(asset);
    } catch {
      continue;
    }
    const trip = Number(params.tripDiscountBps);
    const elevated = Number(cfg.elevatedDiscountBps);
    if (!(trip > elevated)) out.push({ rule: "trip above ELEVATED", where: symbol, message: `${symbol}: trip ${trip} bp <= the oracle's ELEVATED threshold ${elevated} bp (the guard could pause liquidations before the asset is even ELEVATED)` });
    const atTrip = Number(await m.oracle.haircutForDiscount(asset, trip));
    const knot0 = Number(params.knot0DiscountBps);
    if (!(knot0 < trip) || atTrip === 0) {
      out.push({ rule: "curve knots against the trip", where: symbol, message: `${symbol}: haircut at the trip discount ${trip} bp is ${atTrip} bp (first knot at ${knot0} bp): liquidations could be paused before any haircut applies` });
    }
  }
  return out;
}

async function eModeCategory(pool: Contract, id: number, reserveCount: number): Promise<{ ltv: number; lt: number; lb: number; members: number[] } | undefined> {
  try {
    const e = await pool.getEModeCategoryData(id);
    return { ltv: Number(e.ltv), lt: Number(e.liquidationThreshold), lb: Number(e.liquidationBonus), members: [] };
  } catch {
    /* v3.2+ */
  }
  try {
    const [e, bitmap] = await Promise.all([pool.getEModeCategoryCollateralConfig(id), pool.getEModeCategoryCollateralBitmap(id)]);
    const bits = BigInt(bitmap);
    const members: number[] = [];
    for (let i = 0; i < reserveCount; i++) if ((bits >> BigInt(i)) & 1n) members.push(i);
    return { ltv: Number(e.ltv), lt: Number(e.liquidationThreshold), lb: Number(e.liquidationBonus), members };
  } catch {
    return undefined;
  }
}

export const HF_BINS: Array<{ label: string; lo: number | null; hi: number | null }> = [
  { label: "< 0.95", lo: 0, hi: 0.95 },
  { label: "0.95-1.00", lo: 0.95, hi: 1 },
  { label: "1.00-1.01", lo: 1, hi: 1.01 },
  { label: "1.01-1.02", lo: 1.01, hi: 1.02 },
  { label: "1.02-1.05", lo: 1.02, hi: 1.05 },
  { label: "1.05-1.10", lo: 1.05, hi: 1.1 },
  { label: "1.10-1.25", lo: 1.1, hi: 1.25 },
  { label: "1.25-1.50", lo: 1.25, hi: 1.5 },
  { label: "1.50-2.00", lo: 1.5, hi: 2 },
  { label: ">= 2.00", lo: 2, hi: null },
];

function binOf(hf: number | null): number {
  if (hf === null) return -1;
  return HF_BINS.findIndex((b) => hf >= (b.lo ?? 0) && (b.hi === null || hf < b.hi));
}

function compare(c: {
  req: CheckImpactRequest;
  policy: ImpactPolicy;
  chainId: number;
  block: number;
  forkTimestamp: number;
  horizonHours: number;
  before: Snapshot;
  after: Snapshot;
  writeFailures: string[];
  keeperNotes: string[];
  started: number;
}): ImpactResult {
  const { req, before, after } = c;
  const rows: AccountImpact[] = req.accounts.map((a) => {
    const b = before.accounts.get(a)!;
    const x = after.accounts.get(a)!;
    return { account: a, hfBefore: b.hf, hfAfter: x.hf, debtEth: x.debtEth, collateralEth: x.collateralEth };
  });
  const liq = (hf: number | null) => hf !== null && hf < 1;
  const newly = rows.filter((r) => liq(r.hfAfter) && !liq(r.hfBefore)).sort((a, b) => b.debtEth - a.debtEth);
  const newlyAtRisk = rows
    .filter((r) => r.hfAfter !== null && r.hfAfter >= 1 && r.hfAfter < AT_RISK_HF && (r.hfBefore === null || r.hfBefore >= AT_RISK_HF))
    .sort((a, b) => (a.hfAfter ?? 0) - (b.hfAfter ?? 0));
  const hfHistogram: HfBin[] = HF_BINS.map((b) => ({ ...b, before: 0, after: 0 }));
  hfHistogram.push({ label: "no debt", lo: null, hi: null, before: 0, after: 0 });
  for (const r of rows) {
    const ib = binOf(r.hfBefore);
    const ia = binOf(r.hfAfter);
    hfHistogram[ib < 0 ? hfHistogram.length - 1 : ib].before++;
    hfHistogram[ia < 0 ? hfHistogram.length - 1 : ia].after++;
  }
  const prices: PriceImpact[] = req.assets.map(({ symbol, asset }) => {
    const a = getAddress(asset);
    const b = before.prices.get(a)!;
    const x = after.prices.get(a)!;
    return {
      symbol,
      asset: a,
      aavePriceEthBefore: b.aavePriceEth,
      aavePriceEthAfter: x.aavePriceEth,
      aavePriceChangeBps: b.aavePriceEth > 0 ? Math.round(((x.aavePriceEth - b.aavePriceEth) / b.aavePriceEth) * 1e4 * 100) / 100 : 0,
      exchangeRateBefore: b.rate,
      exchangeRateAfter: x.rate,
      marketPriceAfter: x.market,
      levelAfter: x.level,
    };
  });
  const module: ModuleImpact[] = [];
  for (const [asset, x] of after.module) {
    const b = before.module.get(asset);
    if (!b) continue;
    module.push({ symbol: symbolOf(req.assets.map((w) => ({ symbol: w.symbol, asset: getAddress(w.asset) })), asset), asset, before: b.state, after: x.state, nextTargetAfter: x.target ?? x.state });
  }
  const key = (i: ConsistencyIssue) => `${i.rule}|${i.message}`;
  const existingKeys = new Set(before.consistency.map(key));
  const introduced = after.consistency.filter((i) => !existingKeys.has(key(i)));
  const existing = after.consistency.filter((i) => existingKeys.has(key(i)));
  const newlyDebt = newly.reduce((s, r) => s + r.debtEth, 0);
  const result: ImpactResult = {
    schema: IMPACT_SCHEMA,
    network: req.network,
    chainId: c.chainId,
    forkBlock: c.block,
    forkTimestamp: c.forkTimestamp,
    generatedAt: new Date().toISOString(),
    horizonHours: c.horizonHours,
    accountsSource: req.accountsSource,
    accountsChecked: rows.length,
    accountsWithDebt: rows.filter((r) => r.hfAfter !== null || r.hfBefore !== null).length,
    writes: req.writes,
    writeFailures: c.writeFailures,
    keeperNotes: c.keeperNotes,
    policy: c.policy,
    summary: {
      liquidatableBefore: rows.filter((r) => liq(r.hfBefore)).length,
      liquidatableAfter: rows.filter((r) => liq(r.hfAfter)).length,
      newlyLiquidatable: newly.length,
      newlyLiquidatableDebtEth: newlyDebt,
      newlyAtRisk: newlyAtRisk.length,
    },
    hfHistogram,
    newlyLiquidatable: newly,
    newlyAtRisk,
    prices,
    module,
    consistency: { introduced, existing },
    refusals: [],
    refused: false,
    elapsedMs: 0,
  };
  result.refusals = evaluatePolicy(result);
  result.refused = result.refusals.length > 0;
  result.elapsedMs = Date.now() - c.started;
  return result;
}

/**
 * The refusal policy. A change is refused when it
 *   - makes more than `maxNewLiquidatableAccounts` accounts, or more than `maxNewLiquidatableDebtEth` ETH of debt,
 *     newly liquidatable (HF >= 1 without the writes, < 1 with them);
 *   - lowers a watched asset's AaveOracle price (in ETH) while its exchange rate did not fall (the March 2026
 *     CAPO failure: collateral priced under its rate by configuration, not by a loss);
 *   - introduces a linked-value inconsistency;
 *   - or reverts when applied on the fork.
 * Returns one line per reason (empty = allowed). Pure.
 */
export function evaluatePolicy(r: Pick<ImpactResult, "summary" | "policy" | "prices" | "consistency" | "writeFailures">): string[] {
  const out: string[] = [];
  for (const f of r.writeFailures) out.push(f);
  if (r.summary.newlyLiquidatable > r.policy.maxNewLiquidatableAccounts) {
    out.push(`${r.summary.newlyLiquidatable} account(s) become liquidatable (limit ${r.policy.maxNewLiquidatableAccounts})`);
  }
  if (r.summary.newlyLiquidatableDebtEth > r.policy.maxNewLiquidatableDebtEth) {
    out.push(`${fmtEth(r.summary.newlyLiquidatableDebtEth)} ETH of debt becomes liquidatable (limit ${fmtEth(r.policy.maxNewLiquidatableDebtEth)} ETH)`);
  }
  for (const p of r.prices) {
    const rateFell = p.exchangeRateBefore !== null && p.exchangeRateAfter !== null && p.exchangeRateAfter < p.exchangeRateBefore;
    if (p.aavePriceEthAfter < p.aavePriceEthBefore && !rateFell) {
      out.push(
        `${p.symbol}: the market's oracle price falls ${Math.abs(p.aavePriceChangeBps)} bp (${p.aavePriceEthBefore.toFixed(6)} -> ${p.aavePriceEthAfter.toFixed(6)} ETH) while the exchange rate did not fall (${p.exchangeRateBefore ?? "n/a"} -> ${p.exchangeRateAfter ?? "n/a"})`,
      );
    }
  }
  for (const i of r.consistency.introduced) out.push(`linked values (${i.rule}): ${i.message}`);
  return out;
}

export function fmtEth(v: number): string {
  return v.toLocaleString("en-US", { maximumFractionDigits: 4, minimumFractionDigits: 0 });
}

/** One line for a Safe batch description or the address book's history. */
export function impactSummaryLine(r: ImpactResult): string {
  return (
    `impact on a fork of block ${r.forkBlock} (${r.accountsChecked} accounts, horizon ${r.horizonHours} h): ` +
    `${r.summary.newlyLiquidatable} newly liquidatable (${fmtEth(r.summary.newlyLiquidatableDebtEth)} ETH debt), ${r.summary.newlyAtRisk} newly below HF ${AT_RISK_HF}` +
    (r.refusals.length ? `; policy: ${r.refusals.join("; ")}` : "; within policy")
  );
}

export class ImpactRefusedError extends UserError {
  constructor(readonly impact: ImpactResult) {
    super(
      `impact check refused the change; nothing sent (pass --accept-impact "<reason>" to override):\n` +
        impact.refusals.map((r) => `  - ${r}`).join("\n") +
        (impact.newlyLiquidatable.length ? `\n  accounts newly liquidatable: ${impact.newlyLiquidatable.map((a) => a.account).join(", ")}` : ""),
    );
    this.name = "ImpactRefusedError";
  }
}

/** The impact file's JSON (bigint-free already). */
export function impactJson(r: ImpactResult): string {
  return JSON.stringify(r, null, 2) + "\n";
}

