/**
 * `ReplayWorld` on an EVM chain (Hardhat in-process network, a fork of it, or anvil): the real Aave v3 Pool, the
 * scenario's feeds and DEX, the Cascade Guard contracts (protected runs) reached only through their permissionless
 * calls, a liquidator that calls the real `liquidationCall`, and an attacker. What differs between the local replica
 * and a fork (how feeds are set, where the DEX lives, how tokens are minted) comes in through `ReplayMarketContext`.
 */
import { Contract, Interface, MaxUint256, Signer, formatUnits, parseUnits, type FunctionFragment } from "ethers";
import { deployArtifact, localArtifact } from "../aave/artifacts";
import type { AaveOracle, AaveProtocolDataProvider, Pool } from "../aave/types";
import type { AccountBalance, MarketObservation, ReplayWorld } from "./engine";
import type { AttackerBorrowEvent, GuardLimits, LiquidationRecord, PauseInterval, RunKind, Scenario } from "./types";
import { GuardPauseLog } from "./guardLog";
import { decodeStaticResult } from "./rawAbi";
import { deployBatchLiquidator, deployKeeperBot, liquidateInOrder, rawTryAll, sendKeeperCalls } from "./bots";
import { cpSellCollateral, type CpReserves } from "../../spec/dexMath";

import { RAY, WAD } from "../../spec/units";

/** Sets the scenario's feeds. Prices and rates in ETH per collateral token. */
export interface FeedPorts {
  /** The price Aave's oracle uses for the collateral (the scenario's oracle regime decides which value comes here). */
  setAaveCollateralPrice(priceEth: number): Promise<void>;
  /** The collateral's market price feed (read by the risk oracle). */
  setMarketPrice(priceEth: number): Promise<void>;
  /** The collateral's exchange-rate provider. */
  setExchangeRate(rateEth: number): Promise<void>;
  /** The collateral's proof-of-backing feed (ETH of backing per token). */
  setBackingPerToken(ethPerToken: number): Promise<void>;
}

/** The collateral/WETH DEX pool a scenario drives. */
export interface DexPort {
  /** Human-readable kind, e.g. "on-chain constant-product" or "off-chain constant-product". */
  readonly kind: string;
  priceEth(): Promise<number>;
  quoteSellEth(collateralTokens: number): Promise<number>;
  /** A pure quote function for the pool's current state (valid until the next trade on the pool). */
  quoter(): Promise<(collateralTokens: number) => number>;
  /** An on-chain pool's address (the liquidator then sells in the liquidation's own transaction); unset off-chain. */
  readonly onchainPool?: string;
  /** Forgets cached on-chain state (approvals) after the chain was reverted to a snapshot. */
  resetCaches?(): void;
  /** Sells `amount` collateral (token units) held by `seller`; returns ETH received. */
  sell(seller: Signer, amount: bigint): Promise<number>;
  moveTo(priceEth: number): Promise<void>;
  setDepth(depthTokens: number): Promise<void>;
}

/** LTV, LT and bonus of an eMode category, bps (bonus in Aave's 1e4 + bonus encoding). */
export interface EModeValues {
  ltvBps: number;
  ltBps: number;
  bonusBps: number;
}

/** eMode reader for Aave v3.0-v3.1 pools. */
export function eModeReaderV30(pool: Pool): (id: number) => Promise<EModeValues> {
  return async (id) => {
    const e = await pool.getEModeCategoryData(id);
    return { ltvBps: Number(e.ltv), ltBps: Number(e.liquidationThreshold), bonusBps: Number(e.liquidationBonus) };
  };
}

/** Addresses of an installed Cascade Guard. */
export interface CascadeAddresses {
  riskOracle: string;
  haircutModule: string;
  pauseGuard: string;
  /** Aave v3.1+: the grace-period adapter keepers `sync` after the guard's calls (the per-reserve pause). */
  graceAdapter?: string;
  /** The guard is the Pool's PriceOracleSentinel (v3.0 always; v3.1+ only when asked). */
  sentinelInstalled?: boolean;
  /** Where the installed parameters came from: a params file, the scenario's own params, or the defaults. */
  settingsSource?: "params-file" | "scenario" | "defaults";
}

/** Everything a chain world needs; built by the replica or fork setup. */
export interface ReplayMarketContext {
  /** JSON-RPC `send` of the network (evm_mine, evm_setNextBlockTimestamp, evm_snapshot, ...). */
  rpc(method: string, params: unknown[]): Promise<unknown>;
  latestTimestamp(): Promise<number>;
  pool: Pool;
  dataProvider: AaveProtocolDataProvider;
  aaveOracle: AaveOracle;
  collateral: string;
  collateralDecimals: number;
  weth: string;
  wethDecimals: number;
  /** eMode category the positions use (0 = none). */
  eModeCategoryId: number;
  /** Reads an eMode category (Aave v3.0-v3.1 `getEModeCategoryData`, v3.2+ `getEModeCategoryCollateralConfig`). */
  eModeConfig(id: number): Promise<EModeValues>;
  feeds: FeedPorts;
  dex: DexPort;
  /** Gives `to` `amount` of `token` (mint on the replica, a whale transfer or storage write on a fork). */
  fund(token: string, to: string, amount: bigint): Promise<void>;
  liquidator: Signer;
  attacker: Signer;
  keeper: Signer;
  /** The borrowers opened for the scenario. */
  borrowers: string[];
  /** Chain timestamp of t = 0. */
  startTimestamp: number;
  /** What the Pool has beyond v3.0: per-reserve liquidation grace (v3.1+), reserve deficit (v3.3+). */
  features?: { gracePeriod: boolean; deficit: boolean };
  /**
   * `rpc` is the in-process Hardhat network with `throwOnTransactionFailures` on: a reverted `eth_sendTransaction`
   * fails by itself, so transactions whose logs are not needed (keeper batches) skip the receipt request.
   */
  sendThrowsOnRevert?: boolean;
}

const POOL_V31_ABI = [
  "function getLiquidationGracePeriod(address asset) view returns (uint40)",
  "function getReserveDeficit(address asset) view returns (uint256)",
];

const RISK_ORACLE_ABI = [
  "function poke(address asset)",
  "function getRiskLevel(address asset) view returns (uint8)",
];
const HAIRCUT_ABI = ["function poke(address asset)"];
const GRACE_ADAPTER_ABI = ["function sync(address asset) returns (bool)"];
const GUARD_ABI = [
  "function trip(address asset)",
  "function release(address asset)",
  "function isAssetPaused(address asset) view returns (bool)",
  "function isLiquidationAllowed() view returns (bool)",
  "function getPauseState(address asset) view returns (tuple(uint40 pausedAt, uint40 pausedUntil, uint40 liquidationBlockedUntil, uint8 reason))",
  "function getGuardConfig(address asset) view returns (tuple(uint32 maxPauseSeconds, uint32 cooldownSeconds, uint32 windowSeconds, uint32 maxPausedSecondsPerWindow, uint32 postPauseGraceSeconds, bool enabled))",
];
const ERC20_ABI = [
  "function balanceOf(address) view returns (uint256)",
  "function scaledBalanceOf(address) view returns (uint256)",
  "function approve(address,uint256) returns (bool)",
];

const BATCHER_ABI = [
  "function tryAll(address[] targets, bytes[] data) returns (tuple(bool success, bytes returnData)[] results)",
  "function blockTimestamp() view returns (uint256)",
];
const READ_IFACE = new Interface([
  "function getAssetPrice(address) view returns (uint256)",
  "function getReserveNormalizedIncome(address) view returns (uint256)",
  "function getReserveNormalizedVariableDebt(address) view returns (uint256)",
  "function getReserveConfigurationData(address) view returns (uint256 decimals, uint256 ltv, uint256 liquidationThreshold, uint256 liquidationBonus, uint256 reserveFactor, bool usageAsCollateralEnabled, bool borrowingEnabled, bool stableBorrowRateEnabled, bool isActive, bool isFrozen)",
  "function scaledBalanceOf(address) view returns (uint256)",
  "function balanceOf(address) view returns (uint256)",
  ...POOL_V31_ABI,
  ...GUARD_ABI,
  ...RISK_ORACLE_ABI,
  ...HAIRCUT_ABI,
  ...GRACE_ADAPTER_ABI,
  "function blockTimestamp() view returns (uint256)",
  "function getReserves() view returns (uint256 reserve0, uint256 reserve1)",
]);

/** One call of a batch: target, function name in `READ_IFACE`, arguments. */
type BatchCall = [target: string, fn: string, args: unknown[]];

/**
 * `READ_IFACE` fragments and encoded calls, memoised: ethers recomputes a function's selector (a keccak) on every
 * lookup and encoding, and a replay encodes the same few calls hundreds of thousands of times.
 */
const fragments = new Map<string, FunctionFragment>();
function readFragment(fn: string): FunctionFragment {
  let f = fragments.get(fn);
  if (!f) fragments.set(fn, (f = READ_IFACE.getFunction(fn)!));
  return f;
}
const encoded = new Map<string, string>();
function encodeCall(fn: string, args: unknown[]): string {
  if (!args.every((a) => typeof a === "string" || typeof a === "bigint" || typeof a === "number")) return READ_IFACE.encodeFunctionData(readFragment(fn), args);
  const key = `${fn}(${args.map(String).join(",")})`;
  let data = encoded.get(key);
  if (data === undefined) {
    data = READ_IFACE.encodeFunctionData(readFragment(fn), args);
    if (encoded.size < 100_000) encoded.set(key, data);
  }
  return data;
}

/**
 * Explicit gas limits on the replay's hot transactions: without one, ethers asks `eth_estimateGas` first, which runs
 * the whole transaction once more (twice the EVM work per liquidation, sale and keeper call). Each limit is far above
 * what the call uses; only used gas is charged.
 */
export const GAS_LIMIT = { liquidation: 3_000_000n, keeper: 3_000_000n, swap: 1_000_000n, feed: 500_000n } as const;

/** A feed is rewritten at least this often even when its value did not change (heartbeats), seconds. */
export const FEED_REFRESH_SECONDS = 1800;

/** Liquidation threshold margin of the local pre-filter: users below this estimated HF are checked on-chain. */
export const PREFILTER_HF = 1.002;

/** Below 1 - this band the local HF estimate is trusted; inside it the Pool's `getUserAccountData` decides. */
export const CONFIRM_HF_BAND = 0.002;

interface Scaled {
  collateral: bigint;
  debt: bigint;
  /** The same as doubles, for the pre-filter's float screen. */
  collateralF: number;
  debtF: number;
}

/**
 * The local pre-filter's float screen skips a position without its exact (BigInt) HF only when the float estimate is
 * above `PREFILTER_HF` by this factor and both sides are at least `SCREEN_MIN_BASE` base units: the estimate's
 * error (double rounding, ~1e-15) and the exact computation's truncations (< 1 base unit per side) are then far below
 * the margin, so the same positions pass the filter, with the same exact HF, as without the screen.
 */
const SCREEN_MARGIN = 1.001;
const SCREEN_MIN_BASE = 1e9;

export class ChainWorld implements ReplayWorld {
  private readonly scaled = new Map<string, Scaled>();
  private readonly users: string[];
  private aToken!: Contract;
  private vDebt!: Contract;
  private readonly guard?: Contract;
  private readonly haircut?: Contract;
  private readonly riskOracle?: Contract;
  private readonly graceAdapter?: Contract;
  private readonly sentinelInstalled: boolean;
  private readonly poolV31?: Contract;
  private deficitAtStart = 0n;
  /** The liquidation bot (ReplayBatchLiquidator): a round's liquidations and sales in one transaction; on-chain DEX only. */
  private bot?: Contract;
  /** DEX price since this world last traded on the pool (see `dexPrice`). */
  private dexPriceCache?: number;
  /** The keeper bot (ReplayKeeperBot): a step's permissionless keeper calls in one transaction; protected runs. */
  private keeperBot?: Contract;
  /** One-`eth_call` reader (ReadBatcher), deployed by `init`. */
  private batcher!: Contract;
  /**
   * Borrowers a liquidation transaction touched whose scaled balances are not re-read yet: read with the next
   * `liquidate` call's market reads (one `eth_call`). Only a liquidation, supply or borrow changes a scaled balance,
   * and between two `liquidate` calls none happens to these borrowers (the attacker refreshes its own).
   */
  private pendingScaled: string[] = [];
  /**
   * What `observe` reads, as read by the last `liquidate` call that sent nothing: unchanged until the next method
   * that mines (every mutating world method clears it), so `observe` right after such a call reuses it.
   */
  private observed?: { collPrice: bigint; wethPrice: bigint; frozen: boolean; paused: boolean };
  /** LTV/LT/bonus of the positions' category or reserve; re-read only after a keeper transaction could change them. */
  private riskCache?: { ltvBps: number; ltBps: number };
  /** Chain time of the current step (set by `advanceTo`). */
  private nowTs = 0;
  /** Timestamp of the last block `advanceTo` mined (a later target is always tried). */
  private lastMinedTs = 0;
  private readonly pauseLog?: GuardPauseLog;
  private attackerActive = false;
  private readonly feedCache = new Map<string, { value: number; at: number }>();
  private liquidationBonusBps = 0;
  /** Keeper calls that reverted (e.g. a feed the oracle found stale): counted, not fatal. */
  public keeperFailures = 0;
  /** liquidationCall transactions that reverted (sent on a stale estimate): counted, not fatal. */
  public liquidationReverts = 0;

  constructor(
    private readonly ctx: ReplayMarketContext,
    private readonly scenario: Scenario,
    public readonly run: RunKind,
    cascade?: CascadeAddresses,
  ) {
    this.users = [...ctx.borrowers];
    if (cascade) {
      this.guard = new Contract(cascade.pauseGuard, GUARD_ABI, ctx.keeper);
      this.haircut = new Contract(cascade.haircutModule, HAIRCUT_ABI, ctx.keeper);
      this.riskOracle = new Contract(cascade.riskOracle, RISK_ORACLE_ABI, ctx.keeper);
      const guardAddress = cascade.pauseGuard;
      this.pauseLog = new GuardPauseLog(this.guard, ctx.collateral, ctx.startTimestamp, async () => {
        const [state] = (await this.batch([[guardAddress, "getPauseState", [ctx.collateral]]])) as [{ pausedAt: bigint; pausedUntil: bigint } | undefined];
        if (!state) throw new Error(`pause guard ${guardAddress}: getPauseState(${ctx.collateral}) reverted`);
        return state;
      });
      if (cascade.graceAdapter) this.graceAdapter = new Contract(cascade.graceAdapter, GRACE_ADAPTER_ABI, ctx.keeper);
    }
    this.sentinelInstalled = cascade ? (cascade.sentinelInstalled ?? true) : false;
    if (ctx.features?.gracePeriod || ctx.features?.deficit) this.poolV31 = new Contract(ctx.pool.target as string, POOL_V31_ABI, ctx.liquidator);
  }

  /** Reads token addresses, approvals and every borrower's scaled balances. Call once before the run. */
  async init(): Promise<void> {
    const { ctx } = this;
    const coll = await ctx.dataProvider.getReserveTokensAddresses(ctx.collateral);
    const debt = await ctx.dataProvider.getReserveTokensAddresses(ctx.weth);
    this.aToken = new Contract(coll.aTokenAddress, ERC20_ABI, ctx.liquidator);
    this.vDebt = new Contract(debt.variableDebtTokenAddress, ERC20_ABI, ctx.liquidator);
    this.batcher = await deployArtifact<Contract>(localArtifact("mocks/replica/ReadBatcher.sol", "ReadBatcher"), ctx.keeper);
    this.batcher = new Contract(String(this.batcher.target), BATCHER_ABI, ctx.keeper);
    await this.refreshScaledMany(this.users);
    const liq = await ctx.liquidator.getAddress();
    const weth = new Contract(ctx.weth, ERC20_ABI, ctx.liquidator);
    await (await weth.approve(await ctx.pool.getAddress(), MaxUint256)).wait();
    if ((await weth.balanceOf(liq)) === 0n) await ctx.fund(ctx.weth, liq, parseUnits("10000000", ctx.wethDecimals));
    this.liquidationBonusBps = await this.currentBonusBps();
    if (ctx.dex.onchainPool) {
      this.bot = await deployBatchLiquidator(ctx.liquidator);
      await ctx.fund(ctx.weth, String(this.bot.target), parseUnits("10000000", ctx.wethDecimals));
    }
    if (this.guard) this.keeperBot = await deployKeeperBot(ctx.keeper);
    if (this.poolV31 && ctx.features?.deficit) this.deficitAtStart = (await this.poolV31.getReserveDeficit(ctx.weth)) as bigint;
  }

  /** Aave v3.3+: WETH deficit written off since `init`, ETH. */
  async reserveDeficitEth(): Promise<number | undefined> {
    if (!this.poolV31 || !this.ctx.features?.deficit) return undefined;
    const now = (await this.poolV31.getReserveDeficit(this.ctx.weth)) as bigint;
    return Number(formatUnits(now - this.deficitAtStart, this.ctx.wethDecimals));
  }

  private async currentBonusBps(): Promise<number> {
    const { ctx } = this;
    if (this.scenario.emode && ctx.eModeCategoryId > 0) {
      return (await ctx.eModeConfig(ctx.eModeCategoryId)).bonusBps;
    }
    const c = await ctx.dataProvider.getReserveConfigurationData(ctx.collateral);
    return Number(c.liquidationBonus);
  }

  private async refreshScaled(user: string): Promise<void> {
    if (this.batcher) {
      const [collateral, debt] = (await this.batch([
        [String(this.aToken.target), "scaledBalanceOf", [user]],
        [String(this.vDebt.target), "scaledBalanceOf", [user]],
      ])) as [bigint, bigint];
      this.setScaled(user, collateral, debt);
      return;
    }
    const [collateral, debt] = await Promise.all([
      this.aToken.scaledBalanceOf(user) as Promise<bigint>,
      this.vDebt.scaledBalanceOf(user) as Promise<bigint>,
    ]);
    this.setScaled(user, collateral, debt);
  }

  private setScaled(user: string, collateral: bigint, debt: bigint): void {
    this.scaled.set(user, { collateral, debt, collateralF: Number(collateral), debtF: Number(debt) });
  }

  /**
   * Runs `calls` in order in one `eth_call` through the ReadBatcher; returns each call's first decoded value (or
   * the whole result when it has several), `undefined` for a call that reverted.
   */
  private async batch(calls: BatchCall[]): Promise<unknown[]> {
    const data = calls.map(([, fn, args]) => encodeCall(fn, args));
    const res = await rawTryAll({ rpc: this.ctx.rpc, batcher: String(this.batcher.target), targets: calls.map((c) => c[0]), data });
    return res.map((r, i) => {
      if (!r.success) return undefined;
      const fragment = readFragment(calls[i][1]);
      const out = decodeStaticResult(fragment, r.returnData) ?? READ_IFACE.decodeFunctionResult(fragment, r.returnData);
      return out.length === 1 ? out[0] : out;
    });
  }

  /** LTV / LT in force for the positions (eMode category when the scenario uses eMode), cached between keeper writes. */
  private async riskParams(): Promise<{ ltvBps: number; ltBps: number }> {
    if (this.riskCache) return this.riskCache;
    const { ctx } = this;
    if (this.scenario.emode && ctx.eModeCategoryId > 0) {
      const e = await ctx.eModeConfig(ctx.eModeCategoryId);
      this.riskCache = { ltvBps: e.ltvBps, ltBps: e.ltBps };
    } else {
      const c = await ctx.dataProvider.getReserveConfigurationData(ctx.collateral);
      this.riskCache = { ltvBps: Number(c.ltv), ltBps: Number(c.liquidationThreshold) };
    }
    return this.riskCache;
  }

  /**
   * Mines a block at `start + t` when that is later than the chain's latest block (`evm_mine` with a timestamp: one
   * request where `evm_setNextBlockTimestamp` + `evm_mine` were two, and the blocks after it follow the same clock).
   * The chain refuses a timestamp not after its latest block's; then nothing is mined, as before.
   */
  async advanceTo(t: number): Promise<void> {
    this.observed = undefined;
    const target = this.ctx.startTimestamp + t;
    this.nowTs = target;
    if (target <= this.lastMinedTs) return;
    try {
      await this.ctx.rpc("evm_mine", [target]);
      this.lastMinedTs = target;
    } catch (e) {
      const latest = await this.ctx.latestTimestamp();
      if (target > latest) throw e; // a real failure, not a clock already past the target
    }
  }

  /**
   * The DEX price is read once and kept until this world trades on the pool (external flow, liquidity, a
   * liquidation's sale): nothing else trades on it.
   */
  async dexPrice(): Promise<number> {
    this.dexPriceCache ??= await this.ctx.dex.priceEth();
    return this.dexPriceCache;
  }

  dexMoveTo(priceEth: number): Promise<void> {
    this.observed = undefined;
    this.dexPriceCache = undefined;
    return this.ctx.dex.moveTo(priceEth);
  }

  dexSetDepth(depthTokens: number): Promise<void> {
    this.observed = undefined;
    this.dexPriceCache = undefined;
    return this.ctx.dex.setDepth(depthTokens);
  }

  /**
   * Writes a feed only when its value changed or its last write is older than `FEED_REFRESH_SECONDS` (so feeds with
   * a heartbeat never go stale), which saves most feed transactions in quiet steps.
   */
  async setFeeds(f: { marketPrice: number; exchangeRate: number; backingPerToken: number }): Promise<void> {
    this.observed = undefined;
    const { feeds } = this.ctx;
    const now = this.nowTs || (await this.ctx.latestTimestamp());
    const put = async (key: string, value: number, write: (v: number) => Promise<void>) => {
      const last = this.feedCache.get(key);
      if (last && last.value === value && now - last.at < FEED_REFRESH_SECONDS) return;
      await write(value);
      this.feedCache.set(key, { value, at: now });
    };
    await put("market", f.marketPrice, (v) => feeds.setMarketPrice(v));
    await put("rate", f.exchangeRate, (v) => feeds.setExchangeRate(v));
    await put("backing", f.backingPerToken, (v) => feeds.setBackingPerToken(v));
    await put("aave", this.scenario.oracle === "market" ? f.marketPrice : f.exchangeRate, (v) => feeds.setAaveCollateralPrice(v));
  }

  /**
   * Keepers: poke the haircut module (which pokes the risk oracle), then trip the guard when a trip is allowed, or
   * release it when a release is allowed. Each permissionless call is simulated first and sent only if it would
   * succeed, as a keeper bot does.
   */
  async runKeepers(): Promise<void> {
    this.observed = undefined;
    if (!this.guard || !this.haircut || !this.riskOracle) return;
    const asset = this.ctx.collateral;
    const [oracle, haircut, guard] = [String(this.riskOracle.target), String(this.haircut.target), String(this.guard.target)];
    // Trip or release: whether the asset is paused now (`block.timestamp < pausedUntil`; the pokes do not touch the
    // guard, so reading it before them gives what a keeper would read after them).
    const [pausedNow] = await this.batch([[guard, "isAssetPaused", [asset]]]);
    const sequence: BatchCall[] = [
      [oracle, "poke", [asset]],
      [haircut, "poke", [asset]],
      [guard, pausedNow ? "release" : "trip", [asset]],
      // v3.1+: mirror the guard into the reserve's liquidation grace period (and re-extend it within the 4 h cap).
      ...(this.graceAdapter ? ([[String(this.graceAdapter.target), "sync", [asset]]] as BatchCall[]) : []),
    ];
    // One transaction through the keeper bot, each call in its own frame: a call that is not allowed now (cooldown,
    // below threshold, impaired, ...) reverts alone and changes nothing, exactly as when a keeper simulates each call
    // and sends only those that succeed, one by one.
    await sendKeeperCalls({
      rpc: this.ctx.rpc,
      from: await this.ctx.keeper.getAddress(),
      bot: String(this.keeperBot!.target),
      calls: sequence.map(([target, fn, args]) => ({ target, data: encodeCall(fn, args) })),
      logs: !this.ctx.sendThrowsOnRevert,
    });
    // The module may have written LTV/LT: re-read them.
    this.riskCache = undefined;
    await this.pauseLog?.record();
  }

  private async trySend(c: Contract, fn: string, ...args: unknown[]): Promise<boolean> {
    try {
      await c.getFunction(fn).staticCall(...args);
    } catch {
      return false; // not allowed now (cooldown, below threshold, impaired, ...): a keeper simply waits.
    }
    try {
      await (await c.getFunction(fn)(...args)).wait();
      return true;
    } catch {
      this.keeperFailures++;
      return false;
    }
  }

  /** Oracle prices of the collateral and WETH in the market's base currency. */
  private async prices(): Promise<{ coll: bigint; weth: bigint }> {
    const [coll, weth] = await Promise.all([
      this.ctx.aaveOracle.getAssetPrice(this.ctx.collateral),
      this.ctx.aaveOracle.getAssetPrice(this.ctx.weth),
    ]);
    return { coll, weth };
  }

  private async liquidationThresholdBps(): Promise<number> {
    const { ctx } = this;
    if (this.scenario.emode && ctx.eModeCategoryId > 0) {
      return (await ctx.eModeConfig(ctx.eModeCategoryId)).ltBps;
    }
    return Number((await ctx.dataProvider.getReserveConfigurationData(ctx.collateral)).liquidationThreshold);
  }

  /**
   * Every position with HF < 1 (per `getUserAccountData`) whose liquidation is profitable at the DEX is liquidated
   * with the real `liquidationCall` (close factor applied by Aave), and the seized collateral is sold into the DEX.
   * A local pre-filter (scaled balances x reserve indexes x oracle price x LT, exact up to rounding) skips the
   * `getUserAccountData` call for positions clearly above HF 1.
   */
  async liquidate(t: number): Promise<LiquidationRecord[]> {
    this.observed = undefined;
    const { ctx } = this;
    const oracleAddr = String(ctx.aaveOracle.target);
    const poolAddress = String(ctx.pool.target);
    const useGrace = this.poolV31 !== undefined && ctx.features?.gracePeriod === true;
    const dex = this.bot ? ctx.dex.onchainPool : undefined;
    const pending = this.pendingScaled;
    this.pendingScaled = [];
    // One eth_call for the step's market state, with what `observe` reads (reused when this call sends nothing), the
    // bot's DEX reserves and the scaled balances the previous round's liquidations changed.
    const calls: BatchCall[] = [
      [oracleAddr, "getAssetPrice", [ctx.collateral]],
      [oracleAddr, "getAssetPrice", [ctx.weth]],
      [poolAddress, "getReserveNormalizedIncome", [ctx.collateral]],
      [poolAddress, "getReserveNormalizedVariableDebt", [ctx.weth]],
      ...this.observeExtraCalls(),
    ];
    const at = { sentinel: -1, grace: -1, reserves: -1, scaled: -1 };
    if (this.guard && this.sentinelInstalled) at.sentinel = calls.push([String(this.guard.target), "isLiquidationAllowed", []]) - 1;
    if (useGrace) {
      at.grace = calls.length;
      calls.push(
        [poolAddress, "getLiquidationGracePeriod", [ctx.collateral]],
        [poolAddress, "getLiquidationGracePeriod", [ctx.weth]],
        [String(this.batcher.target), "blockTimestamp", []],
      );
    }
    if (dex) at.reserves = calls.push([dex, "getReserves", []]) - 1;
    at.scaled = calls.length;
    for (const u of pending) calls.push([String(this.aToken.target), "scaledBalanceOf", [u]], [String(this.vDebt.target), "scaledBalanceOf", [u]]);
    const reads = await this.batch(calls);
    pending.forEach((u, i) => this.setScaled(u, reads[at.scaled + 2 * i] as bigint, reads[at.scaled + 2 * i + 1] as bigint));
    const p = { coll: reads[0] as bigint, weth: reads[1] as bigint };
    const incomeIdx = reads[2] as bigint;
    const debtIdx = reads[3] as bigint;
    const observed = this.observedFrom(p, reads.slice(4, 4 + this.observeExtraCalls().length));
    const lt = (await this.riskParams()).ltBps;
    const sentinelBlocks = at.sentinel >= 0 ? !(reads[at.sentinel] as boolean) : false;
    // v3.1+ grace period on the collateral or the debt reserve: every liquidation reverts, whatever the HF.
    // The Pool checks `until < block.timestamp` for the next block (now + 1 or later).
    if (useGrace) {
      const [gc, gd, now] = [reads[at.grace] as bigint, reads[at.grace + 1] as bigint, reads[at.grace + 2] as bigint];
      if (gc >= now + 1n || gd >= now + 1n) {
        this.observed = observed;
        return [];
      }
    }
    const collUnit = 10n ** BigInt(ctx.collateralDecimals);
    const wethUnit = 10n ** BigInt(ctx.wethDecimals);
    // Local pre-check (pure, per position): HF from scaled balances x indexes x oracle price x LT, and the
    // liquidation's profitability at the DEX's current quote. Only positions passing both are asked on-chain.
    const bonus = this.liquidationBonusBps / 10_000;
    const priceRatio = Number(p.coll) / Number(p.weth); // ETH per collateral token at the oracle
    let quote: ((collateralTokens: number) => number) | undefined;
    const candidates: { user: string; hf: number }[] = [];
    // Float screen (see SCREEN_MARGIN): base units per scaled unit of each side, and the HF above which a position
    // is skipped without the exact computation.
    const collPerScaled = ((Number(incomeIdx) / 1e27) * Number(p.coll)) / Number(collUnit);
    const debtPerScaled = ((Number(debtIdx) / 1e27) * Number(p.weth)) / Number(wethUnit);
    const screenHf = PREFILTER_HF * SCREEN_MARGIN;
    for (const user of this.users) {
      const s = this.scaled.get(user);
      // No debt: nothing to liquidate. No collateral left: a bad-debt account Aave cannot liquidate (error 46).
      if (!s || s.debt === 0n || s.collateral === 0n) continue;
      const collApprox = s.collateralF * collPerScaled;
      const debtApprox = s.debtF * debtPerScaled;
      if (collApprox >= SCREEN_MIN_BASE && debtApprox >= SCREEN_MIN_BASE && (collApprox * lt) / 10_000 > screenHf * debtApprox) continue;
      const collBase = (((s.collateral * incomeIdx) / RAY) * p.coll) / collUnit;
      const debtBase = (((s.debt * debtIdx) / RAY) * p.weth) / wethUnit;
      if (debtBase === 0n) continue;
      const hf = Number((collBase * BigInt(lt) * WAD) / 10_000n / debtBase) / 1e18;
      if (hf < PREFILTER_HF) candidates.push({ user, hf });
    }
    if (this.bot) {
      const [r0, r1] = reads[at.reserves] as [bigint, bigint];
      const reserves = { collateral: Number(formatUnits(r0, ctx.collateralDecimals)), eth: Number(formatUnits(r1, ctx.wethDecimals)) };
      const records = await this.liquidateByBot({ t, candidates, incomeIdx, debtIdx, priceRatio, bonus, sentinelBlocks, reserves, dex: dex! });
      if (records === undefined) this.observed = observed; // nothing sent
      return records ?? [];
    }
    const records: LiquidationRecord[] = [];
    const poolAddr = await ctx.pool.getAddress();
    const pool = ctx.pool.connect(ctx.liquidator);
    for (const { user, hf: hfLocal } of candidates) {
      // Balances = scaled balance x reserve index (what aToken/debt-token balanceOf compute, up to rounding).
      const s = this.scaled.get(user)!;
      const collBeforeTokens = Number(formatUnits((s.collateral * incomeIdx) / RAY, ctx.collateralDecimals));
      const debtBeforeEth = Number(formatUnits((s.debt * debtIdx) / RAY, ctx.wethDecimals));
      // Profitability at the DEX, as a liquidator bot estimates it before sending: proceeds of selling the seized
      // collateral >= debt repaid (Aave: close factor 50%, 100% below HF 0.95; seized = repaid x bonus / price).
      const closeFactor = hfLocal < 0.95 ? 1 : 0.5;
      let repaidEst = debtBeforeEth * closeFactor;
      let seizedEst = (repaidEst * bonus) / priceRatio;
      if (seizedEst > collBeforeTokens) {
        seizedEst = collBeforeTokens;
        repaidEst = (collBeforeTokens * priceRatio) / bonus;
      }
      quote ??= await ctx.dex.quoter();
      if (!(seizedEst > 0) || quote(seizedEst) < repaidEst) continue; // unprofitable: nobody liquidates (bad debt can build up)
      // The Pool asks the sentinel (our guard) only when HF >= 0.95; a blocked call would revert, so skip it.
      if (sentinelBlocks && hfLocal >= 0.95 + 0.002) continue;
      // The local HF is exact up to rounding: ask the Pool only near HF 1.
      let hfBefore = hfLocal;
      if (hfLocal > 1 - CONFIRM_HF_BAND) {
        const acct = await ctx.pool.getUserAccountData(user);
        if (acct.healthFactor >= WAD) continue;
        hfBefore = Number(formatUnits(acct.healthFactor, 18));
      }
      this.dexPriceCache = undefined;
      let receipt;
      try {
        receipt = await (await pool.liquidationCall(ctx.collateral, ctx.weth, user, MaxUint256, false, { gasLimit: GAS_LIMIT.liquidation })).wait();
      } catch {
        this.liquidationReverts++;
        continue; // blocked (guard pause via the sentinel, or paused/frozen reserve): nothing happened
      }
      let repaid = 0n;
      let seized = 0n;
      for (const log of receipt?.logs ?? []) {
        if (log.address.toLowerCase() !== poolAddr.toLowerCase()) continue;
        const parsed = pool.interface.parseLog(log);
        if (parsed?.name === "LiquidationCall") {
          repaid += parsed.args.debtToCover as bigint;
          seized += parsed.args.liquidatedCollateralAmount as bigint;
        }
      }
      await this.refreshScaled(user);
      // Off-chain DEX: the liquidator sells what it seized (on-chain, the bot sold in the liquidation's transaction).
      const proceeds = seized > 0n ? await ctx.dex.sell(ctx.liquidator, seized) : 0;
      quote = undefined; // the sale moved the pool: re-read before the next estimate
      records.push({
        t,
        user,
        debtRepaidEth: Number(formatUnits(repaid, ctx.wethDecimals)),
        collateralSeized: Number(formatUnits(seized, ctx.collateralDecimals)),
        healthFactorBefore: hfBefore,
        saleProceedsEth: proceeds,
        collateralBefore: collBeforeTokens,
        debtBeforeEth,
      });
    }
    return records;
  }

  /**
   * A round of liquidations through the bot (on-chain DEX). The local pre-check is the one of the one-by-one path:
   * each candidate's sale is estimated at the DEX (Aave: close factor 50%, 100% below HF 0.95; seized = repaid x
   * bonus / price), here against the pool as the candidates already kept would leave it (their estimated sales
   * applied in order, where the one-by-one path re-read the pool after each real sale). The kept candidates go to the
   * bot in one transaction, in the world's borrower order; the bot reads each HF from the Pool, liquidates, sells, and
   * keeps the liquidation only when the sale covered the debt repaid.
   */
  private async liquidateByBot(r: {
    t: number;
    candidates: { user: string; hf: number }[];
    incomeIdx: bigint;
    debtIdx: bigint;
    priceRatio: number;
    bonus: number;
    sentinelBlocks: boolean;
    /** The DEX pool's reserves (tokens), read with the round's market state. */
    reserves: CpReserves;
    dex: string;
  }): Promise<LiquidationRecord[] | undefined> {
    const { ctx } = this;
    if (r.candidates.length === 0) return undefined;
    const dex = r.dex;
    const fee = await this.dexFee(dex);
    let pool: CpReserves = r.reserves;
    const before = new Map<string, { collateralBefore: number; debtBeforeEth: number }>();
    const send: string[] = [];
    for (const { user, hf } of r.candidates) {
      // The Pool asks the sentinel (our guard) only when HF >= 0.95; a blocked call would revert, so skip it.
      if (r.sentinelBlocks && hf >= 0.95 + 0.002) continue;
      const s = this.scaled.get(user)!;
      const collateralBefore = Number(formatUnits((s.collateral * r.incomeIdx) / RAY, ctx.collateralDecimals));
      const debtBeforeEth = Number(formatUnits((s.debt * r.debtIdx) / RAY, ctx.wethDecimals));
      const closeFactor = hf < 0.95 ? 1 : 0.5;
      let repaidEst = debtBeforeEth * closeFactor;
      let seizedEst = (repaidEst * r.bonus) / r.priceRatio;
      if (seizedEst > collateralBefore) {
        seizedEst = collateralBefore;
        repaidEst = (collateralBefore * r.priceRatio) / r.bonus;
      }
      if (!(seizedEst > 0)) continue;
      const sale = cpSellCollateral(pool, seizedEst, fee);
      if (sale.ethOut < repaidEst) continue; // unprofitable: nobody liquidates (bad debt can build up)
      pool = sale.after;
      before.set(user, { collateralBefore, debtBeforeEth });
      send.push(user);
    }
    if (send.length === 0) return undefined;
    this.dexPriceCache = undefined;
    const outcomes = await liquidateInOrder({
      rpc: ctx.rpc,
      from: await ctx.liquidator.getAddress(),
      bot: String(this.bot!.target),
      pool: String(ctx.pool.target),
      collateral: ctx.collateral,
      debt: ctx.weth,
      dex,
      users: send,
    });
    const records: LiquidationRecord[] = [];
    const touched: string[] = [];
    for (const o of outcomes) {
      if (!o.executed) {
        this.liquidationReverts++;
        continue;
      }
      touched.push(o.user);
      const b = before.get(o.user)!;
      records.push({
        t: r.t,
        user: o.user,
        debtRepaidEth: Number(formatUnits(o.debtRepaid, ctx.wethDecimals)),
        collateralSeized: Number(formatUnits(o.seized, ctx.collateralDecimals)),
        healthFactorBefore: Number(formatUnits(o.healthFactorBeforeWad, 18)),
        saleProceedsEth: Number(formatUnits(o.proceeds, ctx.wethDecimals)),
        collateralBefore: b.collateralBefore,
        debtBeforeEth: b.debtBeforeEth,
      });
    }
    // Re-read with the next round's market state (see `pendingScaled`).
    this.pendingScaled = touched;
    return records;
  }

  /** The on-chain pool's fee (bps), read once (immutable). */
  private dexFeeBps?: number;
  private async dexFee(dex: string): Promise<number> {
    if (this.dexFeeBps === undefined) {
      this.dexFeeBps = Number((await new Contract(dex, ["function FEE_BPS() view returns (uint256)"], this.ctx.keeper).FEE_BPS()) as bigint);
    }
    return this.dexFeeBps;
  }

  /** Re-reads the scaled balances of `users` in one call. */
  private async refreshScaledMany(users: string[]): Promise<void> {
    if (users.length === 0) return;
    const calls: BatchCall[] = users.flatMap((u) => [
      [String(this.aToken.target), "scaledBalanceOf", [u]] as BatchCall,
      [String(this.vDebt.target), "scaledBalanceOf", [u]] as BatchCall,
    ]);
    const res = (await this.batch(calls)) as bigint[];
    users.forEach((u, i) => this.setScaled(u, res[2 * i], res[2 * i + 1]));
  }

  /**
   * The attacker supplies `collateral` tokens, enters the scenario's eMode and borrows `borrowFraction` of its
   * available borrows in WETH. Any step the market refuses (frozen reserve, paused borrowing, LTV 0) ends the attack
   * there; the WETH actually borrowed is returned.
   */
  async attackerBorrow(ev: AttackerBorrowEvent): Promise<number> {
    this.observed = undefined;
    const { ctx } = this;
    const attacker = await ctx.attacker.getAddress();
    const pool = ctx.pool.connect(ctx.attacker);
    const amount = parseUnits(ev.collateral.toFixed(6), ctx.collateralDecimals);
    await ctx.fund(ctx.collateral, attacker, amount);
    const token = new Contract(ctx.collateral, ERC20_ABI, ctx.attacker);
    await (await token.approve(await ctx.pool.getAddress(), MaxUint256)).wait();
    try {
      await (await pool.supply(ctx.collateral, amount, attacker, 0)).wait();
    } catch {
      return 0;
    }
    if (!this.attackerActive) {
      this.users.push(attacker);
      this.attackerActive = true;
    }
    await this.refreshScaled(attacker);
    if (this.scenario.emode && ctx.eModeCategoryId > 0) {
      try {
        await (await pool.setUserEMode(ctx.eModeCategoryId)).wait();
      } catch {
        /* stays outside eMode */
      }
    }
    try {
      await (await pool.setUserUseReserveAsCollateral(ctx.collateral, true)).wait();
    } catch {
      return 0; // the market refuses the collateral
    }
    const acct = await ctx.pool.getUserAccountData(attacker);
    const wethPrice = await ctx.aaveOracle.getAssetPrice(ctx.weth);
    const availableWei = (acct.availableBorrowsBase * 10n ** BigInt(ctx.wethDecimals)) / wethPrice;
    const borrow = (availableWei * BigInt(Math.floor(ev.borrowFraction * 1e6))) / 1_000_000n;
    if (borrow === 0n) return 0;
    try {
      await (await pool.borrow(ctx.weth, borrow, 2, 0, attacker)).wait();
    } catch {
      return 0;
    }
    await this.refreshScaled(attacker);
    return Number(formatUnits(borrow, ctx.wethDecimals));
  }

  /** What `observe` reads beyond the two oracle prices (also read by `liquidate`, see `observed`). */
  private observeExtraCalls(): BatchCall[] {
    const { ctx } = this;
    return [
      [String(ctx.dataProvider.target), "getReserveConfigurationData", [ctx.collateral]],
      ...(this.guard ? ([[String(this.guard.target), "isAssetPaused", [ctx.collateral]]] as BatchCall[]) : []),
    ];
  }

  private observedFrom(prices: { coll: bigint; weth: bigint }, extra: unknown[]): { collPrice: bigint; wethPrice: bigint; frozen: boolean; paused: boolean } {
    return {
      collPrice: prices.coll,
      wethPrice: prices.weth,
      frozen: (extra[0] as { isFrozen: boolean }).isFrozen,
      paused: this.guard ? (extra[1] as boolean) : false,
    };
  }

  async observe(): Promise<MarketObservation> {
    const { ctx } = this;
    let o = this.observed;
    if (!o) {
      const oracleAddr = String(ctx.aaveOracle.target);
      const reads = await this.batch([[oracleAddr, "getAssetPrice", [ctx.collateral]], [oracleAddr, "getAssetPrice", [ctx.weth]], ...this.observeExtraCalls()]);
      o = this.observedFrom({ coll: reads[0] as bigint, weth: reads[1] as bigint }, reads.slice(2));
    }
    const r = await this.riskParams();
    return {
      oraclePrice: Number(o.collPrice) / Number(o.wethPrice),
      ltvBps: r.ltvBps,
      liquidationThresholdBps: r.ltBps,
      paused: o.paused,
      frozen: o.frozen,
    };
  }

  async pauses(): Promise<PauseInterval[]> {
    return this.pauseLog ? this.pauseLog.pauses() : [];
  }

  async guardLimits(): Promise<GuardLimits | null> {
    return this.pauseLog ? this.pauseLog.limits() : null;
  }

  /** Every account's aToken and debt-token balances, in one call. */
  async accounts(): Promise<AccountBalance[]> {
    const calls: BatchCall[] = this.users.flatMap((u) => [
      [String(this.aToken.target), "balanceOf", [u]] as BatchCall,
      [String(this.vDebt.target), "balanceOf", [u]] as BatchCall,
    ]);
    const res = (await this.batch(calls)) as bigint[];
    const attacker = this.attackerActive ? await this.ctx.attacker.getAddress() : undefined;
    return this.users.map((user, i) => ({
      user,
      collateralTokens: Number(formatUnits(res[2 * i], this.ctx.collateralDecimals)),
      debtEth: Number(formatUnits(res[2 * i + 1], this.ctx.wethDecimals)),
      ...(user === attacker ? { attacker: true } : {}),
    }));
  }
}
