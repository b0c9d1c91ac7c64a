/**
 * Stateful invariant suite: the world (real Aave v3.0.2 Pool + Cascade Guard, deployed through the project's
 * fixtures), the model the commands keep next to it, and the invariants checked after every step.
 *
 * The model holds only what the contracts must be judged against, never their verdicts:
 *   - what governance last set (reserve and eMode LTV/LT/LB, reserve freezes), directly through the real
 *     PoolConfigurator or through the module's own config;
 *   - the ledger of liquidation blocks (pause + post-pause grace) observed on the guard, per asset;
 *   - the truth of the outside world: whether the LRT's rate or backing shows a real loss right now ("truth
 *     impaired"), computed from the mock feeds the commands drive (the oracle's recorded recent high of the
 *     exchange rate is its memory, read from the chain; its risk level is never used as the truth).
 *
 * Aave interest is switched off (a zero-rate strategy on the borrowed reserve) and AaveOracle prices are fixed, so a
 * user's health factor moves only when a collateral parameter moves: a module transaction that lowers the health
 * factor of a user holding none of the asset it acted on is the module's doing, with no tolerance needed.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { Interface, Signer } from "ethers";
import {
  DAY,
  HOUR,
  WAD,
  defaultBounds,
  defaultGuardConfig,
  defaultHaircutConfig,
  reserveOnlyHaircutConfig,
  defaultParams,
  deployHaircutFixture,
} from "../fixtures";

import { BPS_BIGINT as BPS } from "../../../spec/units";
export { BPS };
const USD = 10n ** 8n;
/** Seconds of margin around every freshness and window boundary, so a block-timestamp second never decides. */
export const MARGIN_SECONDS = 300;

/** Invariant ids, as reported in a violation and in the bench tally. */
export const INVARIANTS = {
  I1: "LTV <= LT and LT x LB <= 100% on every reserve and eMode category",
  I2: "no pause while IMPAIRED: no trip succeeds on a real loss, and anyone can end a pause once the loss is real",
  I3a: "liquidation-blocked seconds (pause + grace) within each asset's cap in every rolling window",
  I3b: "market-wide liquidation-blocked seconds (union over assets) within the market-wide cap in every rolling window",
  I4: "the module never raises a value above what governance last set (LTV, LT; LB and governance freezes untouched)",
  I5: "the freeze path never reverts: a poke on a real loss succeeds and leaves the reserve frozen",
  I6: "no user without exposure to the asset a module transaction acted on loses health factor from it",
} as const;
export type InvariantId = keyof typeof INVARIANTS;

/** Invariants switched off (the bench's survey mode, to look past a first violation); none in CI. */
export const disabledInvariants = new Set<InvariantId>();

/** Throws the violation unless that invariant is switched off. */
export function violate(id: InvariantId, detail: string): void {
  if (!disabledInvariants.has(id)) throw new InvariantViolation(id, detail);
}

export class InvariantViolation extends Error {
  constructor(
    readonly id: InvariantId,
    detail: string,
  ) {
    super(`${id} violated (${INVARIANTS[id]}): ${detail}`);
    this.name = "InvariantViolation";
  }
}

/** ceil((ref - low) * 1e4 / ref), 0 when low >= ref: RiskMath.shortfallBps. */
export function shortfallBps(lowWad: bigint, refWad: bigint): bigint {
  if (lowWad >= refWad) return 0n;
  return ((refWad - lowWad) * BPS + refWad - 1n) / refWad;
}

/** Aave percentMul (half up). */
export function percentMul(a: bigint, b: bigint): bigint {
  return (a * b + BPS / 2n) / BPS;
}

export type AssetKey = "weETH" | "ezETH";
export const ASSET_KEYS: readonly AssetKey[] = ["weETH", "ezETH"];
export type ReserveKey = AssetKey | "WETH";
export const RESERVE_KEYS: readonly ReserveKey[] = ["WETH", "weETH", "ezETH"];
export type UserKey = "carol" | "frank" | "dave" | "erin";
/** Collateral each user holds (the exposure the I6 check reads). */
export const USER_COLLATERAL: Record<UserKey, ReserveKey> = { carol: "WETH", frank: "WETH", dave: "weETH", erin: "ezETH" };

/** Values governance last set for a reserve or the eMode category (Aave encoding for LB: 1e4 + bonus). */
export interface Ceiling {
  ltv: bigint;
  lt: bigint;
  lb: bigint;
}

/** One pause of one asset as observed on the guard. */
export interface BlockInterval {
  start: number;
  pausedUntil: number;
  blockedUntil: number;
}

/**
 * Deploys the world. Real Aave v3.0.2 (deployHaircutFixture: WETH 80.5/83/5 and weETH 77.5/80/7 in eMode 1 at
 * 93/95/1; the oracle watches weETH with a backing feed; the module manages weETH and drives eMode 1), plus:
 * ezETH (72.5/75/7.5, outside eMode; oracle without backing feed; module manages its reserve), the guard installed
 * as the Pool's sentinel watching both LRTs with the default limits, zero interest on WETH, fixed AaveOracle prices,
 * and four positions: carol (WETH/WETH eMode loop, HF 1.056), frank (WETH/WETH outside eMode, HF 1.107), dave
 * (weETH in eMode against WETH, HF 1.05), erin (ezETH outside eMode against WETH, HF 1.125).
 */
export async function deployInvariantWorld() {
  const f = await deployHaircutFixture();
  const { aave, aaveLib, oracle, module, weth, weeth, wethAddr, weethAddr, governance } = f;
  const signers = await ethers.getSigners();
  const [deployer] = signers;
  const guardian = signers[3];
  const [lender, carol, frank, dave, erin, stranger] = signers.slice(6, 12);

  // ezETH: reserve, oracle asset (no backing feed), module (reserve only).
  const ezeth = await ethers.deployContract("ReplicaToken", ["Renzo ezETH", "ezETH", 18, deployer.address]);
  const ezethAddr = await ezeth.getAddress();
  const zeroRates = await aaveLib.deployRateStrategy(aave, deployer, {
    optimalUsageRatioBps: 90_00,
    baseVariableBorrowRateBps: 0,
    variableRateSlope1Bps: 0,
    variableRateSlope2Bps: 0,
  });
  await aaveLib.initReserves(aave, [{ asset: ezethAddr, symbol: "ezETH", decimals: 18, interestRateStrategy: await zeroRates.getAddress() }]);
  await aaveLib.configureReserve(aave, { asset: ezethAddr, ltvBps: 72_50, liquidationThresholdBps: 75_00, liquidationBonusBps: 7_50 });
  await aave.poolConfigurator.setReserveInterestRateStrategyAddress(wethAddr, await zeroRates.getAddress());
  await aave.poolConfigurator.setReserveBorrowing(wethAddr, true);

  const rate = (WAD * 105n) / 100n;
  const ezMarket = await ethers.deployContract("MockAggregator", [18, "ezETH / ETH", rate]);
  const ezSource = await ethers.deployContract("MockWeEth", [rate]);
  const ezAdapter = await ethers.deployContract("GetRateAdapter", [await ezSource.getAddress(), "ezETH getRate()"]);
  await oracle.configureAsset(ezethAddr, {
    ...f.config,
    marketFeed: await ezMarket.getAddress(),
    rateAdapter: await ezAdapter.getAddress(),
    backingFeed: ethers.ZeroAddress,
    backingHeartbeatSeconds: 0,
  });
  await oracle.setModelParamsBounds(ezethAddr, defaultBounds(), defaultParams());
  const ezHaircut = {
    ...reserveOnlyHaircutConfig(),
    baseLtvBps: 72_50,
    baseLtBps: 75_00,
    liquidationBonusBps: 107_50,
    floorLtBps: 65_00,
  };
  await module.configureAsset(ezethAddr, ezHaircut);

  // Guard as the Pool's sentinel, both LRTs watched.
  const guard = await ethers.deployContract("LiquidationPauseGuard", [
    aave.addressesProvider.target as string,
    await oracle.getAddress(),
    governance.address,
    ethers.ZeroAddress,
    HOUR,
  ]);
  await guard.grantRole(await guard.GUARDIAN_ROLE(), guardian.address);

  // Fixed AaveOracle prices (a market depeg does not move Aave prices, so health factors move only with the module).
  const feed = (label: string, answer: bigint) => ethers.deployContract("ReplicaFeed", [8, label, answer, deployer.address]);
  const sources = [await feed("ETH / USD", 3000n * USD), await feed("weETH / USD", 3150n * USD), await feed("ezETH / USD", 3150n * USD)];
  await aaveLib.setAssetSources(aave, [wethAddr, weethAddr, ezethAddr], await Promise.all(sources.map((s) => s.getAddress())));

  // The guard verifies the declared pricing against these Aave prices at configuration. Both LRTs are declared
  // MARKET so trips stay possible and the pause invariants (I2, I3a, I3b) are exercised; at par (configuration time)
  // the market price and the exchange rate agree, so the check accepts the declaration. The EXCHANGE_RATE refusal
  // (GuardPauseCannotHelp) has its own tests (guardPricing.test.ts, heldOutPricing.test.ts).
  await guard.configureAsset(weethAddr, { ...defaultGuardConfig(), pricingReference: wethAddr });
  await guard.configureAsset(ezethAddr, { ...defaultGuardConfig(), pricingReference: wethAddr });
  await aave.addressesProvider.setPriceOracleSentinel(await guard.getAddress());

  // Positions.
  const pool = aave.pool;
  const poolAddr = pool.target as string;
  async function fund(token: typeof weth, who: Signer, amount: bigint) {
    await token.mint(await who.getAddress(), amount);
    await token.connect(who).approve(poolAddr, ethers.MaxUint256);
  }
  await fund(weth, lender, 10_000n * WAD);
  await pool.connect(lender).supply(wethAddr, 10_000n * WAD, lender.address, 0);
  await fund(weth, carol, 100n * WAD);
  await pool.connect(carol).supply(wethAddr, 100n * WAD, carol.address, 0);
  await pool.connect(carol).setUserEMode(1);
  await pool.connect(carol).borrow(wethAddr, 90n * WAD, 2, 0, carol.address);
  await fund(weth, frank, 100n * WAD);
  await pool.connect(frank).supply(wethAddr, 100n * WAD, frank.address, 0);
  await pool.connect(frank).borrow(wethAddr, 75n * WAD, 2, 0, frank.address);
  await fund(weeth, dave, 100n * WAD);
  await pool.connect(dave).supply(weethAddr, 100n * WAD, dave.address, 0);
  await pool.connect(dave).setUserEMode(1);
  await pool.connect(dave).borrow(wethAddr, 95n * WAD, 2, 0, dave.address);
  await fund(ezeth, erin, 100n * WAD);
  await pool.connect(erin).supply(ezethAddr, 100n * WAD, erin.address, 0);
  await pool.connect(erin).borrow(wethAddr, 70n * WAD, 2, 0, erin.address);

  // Every feed fresh at the start.
  const now = await time.latest();
  await f.marketFeed.setUpdatedAt(now);
  await f.backingFeed.setUpdatedAt(now);
  await ezMarket.setUpdatedAt(now);

  return {
    ...f,
    guard,
    guardian,
    stranger,
    users: { carol, frank, dave, erin } as Record<UserKey, Signer>,
    ezeth,
    ezethAddr,
    ezHaircut,
    defaultHaircut: defaultHaircutConfig(),
    assets: {
      weETH: { address: weethAddr, marketFeed: f.marketFeed, rateSource: f.weEth, backingFeed: f.backingFeed as typeof f.backingFeed | undefined },
      ezETH: { address: ezethAddr, marketFeed: ezMarket, rateSource: ezSource, backingFeed: undefined as typeof f.backingFeed | undefined },
    },
    reserves: { WETH: wethAddr, weETH: weethAddr, ezETH: ezethAddr } as Record<ReserveKey, string>,
  };
}

export type World = Awaited<ReturnType<typeof deployInvariantWorld>>;

/** What the commands keep next to the chain. */
export interface Model {
  /** What governance last set, per reserve and for eMode category 1. */
  reserveCeiling: Record<ReserveKey, Ceiling>;
  eModeCeiling: Ceiling;
  /** Governance's last explicit freeze decision per reserve (undefined = never touched). */
  govFrozen: Record<ReserveKey, boolean | undefined>;
  /** Module configs in force (the fuzz toggles weETH's eMode management). */
  weEthManagesEMode: boolean;
  /** Observed pauses per asset, keyed by pausedAt. */
  ledger: Record<AssetKey, Map<number, BlockInterval>>;
  /** Per-asset limits as configured on the guard. */
  steps: number;
}

export async function readReserve(w: World, key: ReserveKey) {
  return w.aaveLib.readReserveConfig(w.aave, w.reserves[key]);
}

export async function initialModel(w: World): Promise<Model> {
  const reserveCeiling = {} as Record<ReserveKey, Ceiling>;
  for (const k of RESERVE_KEYS) {
    const r = await readReserve(w, k);
    reserveCeiling[k] = { ltv: BigInt(r.ltvBps), lt: BigInt(r.liquidationThresholdBps), lb: BigInt(r.liquidationBonusBps) + BPS };
  }
  const e = await w.aave.pool.getEModeCategoryData(1);
  return {
    reserveCeiling,
    eModeCeiling: { ltv: BigInt(e.ltv), lt: BigInt(e.liquidationThreshold), lb: BigInt(e.liquidationBonus) },
    govFrozen: { WETH: undefined, weETH: undefined, ezETH: undefined },
    weEthManagesEMode: true,
    ledger: { weETH: new Map(), ezETH: new Map() },
    steps: 0,
  };
}

// ---------------------------------------------------------------- the truth of the outside world

/**
 * Whether the asset's exchange rate or backing shows a real loss right now, from the mock feeds and the oracle's
 * remembered recent high (with a margin around every time boundary, so a second of block time never decides).
 */
export async function truthImpaired(w: World, key: AssetKey, nowTs: number): Promise<string | undefined> {
  const a = w.assets[key];
  const cfg = await w.oracle.getAssetConfig(a.address);
  const rate: bigint = await a.rateSource.getRate();
  if (rate === 0n) return "exchange rate 0";
  if (rate < cfg.minRateWad) return `exchange rate ${rate} below minRateWad ${cfg.minRateWad}`;
  const st = await w.oracle.getAssetState(a.address);
  const highAt = Number(st.recentHighAt);
  if (st.recentHighRateWad > 0n && nowTs - highAt <= Number(cfg.navHighWindowSeconds) - MARGIN_SECONDS) {
    const drop = shortfallBps(rate, st.recentHighRateWad);
    if (drop > cfg.navDropToleranceBps) return `NAV drop ${drop} bps > tolerance ${cfg.navDropToleranceBps} (rate ${rate}, recent high ${st.recentHighRateWad})`;
  }
  if (a.backingFeed) {
    const [, answer, , updatedAt] = await a.backingFeed.latestRoundData();
    const fresh = Number(updatedAt) + Number(cfg.backingHeartbeatSeconds) > nowTs + MARGIN_SECONDS;
    if (fresh && answer <= 0n) return `backing feed answers ${answer}`;
    if (fresh) {
      const dec = Number(await a.backingFeed.decimals());
      const backingWad = (answer * WAD) / 10n ** BigInt(dec);
      const sf = shortfallBps(backingWad, rate);
      if (sf > cfg.backingShortfallToleranceBps) return `backing shortfall ${sf} bps > tolerance ${cfg.backingShortfallToleranceBps}`;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- health factors (I6)

export async function healthFactors(w: World): Promise<Record<UserKey, bigint>> {
  const out = {} as Record<UserKey, bigint>;
  for (const [k, s] of Object.entries(w.users) as [UserKey, Signer][]) {
    out[k] = (await w.aave.pool.getUserAccountData(await s.getAddress())).healthFactor;
  }
  return out;
}

/** I6: after a module transaction that acted on `asset`, no user without `asset` collateral may have lost HF. */
export function checkUnexposedHealth(asset: AssetKey, before: Record<UserKey, bigint>, after: Record<UserKey, bigint>, what: string): void {
  for (const u of Object.keys(before) as UserKey[]) {
    if (USER_COLLATERAL[u] === asset) continue;
    if (after[u] < before[u]) {
      violate(
        "I6",
        `${what}: ${u} (collateral ${USER_COLLATERAL[u]}, no ${asset}) HF ${fmtWad(before[u])} -> ${fmtWad(after[u])}`,
      );
    }
  }
}

export function fmtWad(v: bigint): string {
  return (Number(v) / 1e18).toFixed(6);
}

// ---------------------------------------------------------------- rolling windows (I3)

/** Seconds of the union of `intervals` ([start, end)) inside [from, to). */
export function unionOverlap(intervals: readonly [number, number][], from: number, to: number): number {
  const clipped = intervals
    .map(([s, e]) => [Math.max(s, from), Math.min(e, to)] as [number, number])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let curS = -1;
  let curE = -1;
  for (const [s, e] of clipped) {
    if (s > curE) {
      if (curE > curS) total += curE - curS;
      curS = s;
      curE = e;
    } else if (e > curE) curE = e;
  }
  if (curE > curS) total += curE - curS;
  return total;
}

/** The worst rolling window of length `windowSeconds` over the union of `intervals`: [seconds, windowStart]. */
export function worstWindow(intervals: readonly [number, number][], windowSeconds: number): [number, number] {
  let worst: [number, number] = [0, 0];
  for (const [s, e] of intervals) {
    for (const from of [s, e - windowSeconds]) {
      const v = unionOverlap(intervals, from, from + windowSeconds);
      if (v > worst[0]) worst = [v, from];
    }
  }
  return worst;
}

/** Records the guard's pause states into the ledger (a pause is keyed by its start; a release shortens it). */
export async function observePauses(w: World, m: Model): Promise<void> {
  for (const k of ASSET_KEYS) {
    const p = await w.guard.getPauseState(w.assets[k].address);
    const start = Number(p.pausedAt);
    if (start === 0) continue;
    m.ledger[k].set(start, { start, pausedUntil: Number(p.pausedUntil), blockedUntil: Number(p.liquidationBlockedUntil) });
  }
}

/**
 * The market-wide cap the guard enforces, if its interface exposes one (`getMarketLimits()`); otherwise
 * the most restrictive per-asset cap: the sentinel blocks the whole market, so a market-wide block may last no
 * longer than what governance accepted for any one asset.
 */
export async function marketWideCap(w: World): Promise<{ windowSeconds: number; capSeconds: number; source: string }> {
  const g = w.guard as unknown as Record<string, unknown>;
  for (const name of ["getMarketLimits"]) {
    if (typeof g[name] === "function") {
      const r = (await (g[name] as () => Promise<Record<string, bigint>>)()) as Record<string, bigint>;
      const windowSeconds = Number(r.windowSeconds ?? r[0]);
      const capSeconds = Number(r.maxBlockedSecondsPerWindow ?? r.maxPausedSecondsPerWindow ?? r.capSeconds ?? r[1]);
      if (windowSeconds > 0 && capSeconds > 0) return { windowSeconds, capSeconds, source: `guard.${name}()` };
    }
  }
  let best = { windowSeconds: 0, capSeconds: Number.MAX_SAFE_INTEGER, source: "most restrictive per-asset cap" };
  for (const k of ASSET_KEYS) {
    const c = await w.guard.getGuardConfig(w.assets[k].address);
    if (Number(c.maxPausedSecondsPerWindow) < best.capSeconds) {
      best = { windowSeconds: Number(c.windowSeconds), capSeconds: Number(c.maxPausedSecondsPerWindow), source: best.source };
    }
  }
  return best;
}

// ---------------------------------------------------------------- the checks after every step

/** Every invariant that can be read from the state after a step (I6 is checked around module transactions). */
export async function checkInvariants(w: World, m: Model): Promise<void> {
  const nowTs = await time.latest();

  // I1: Aave's own rules on every reserve and the category.
  for (const k of RESERVE_KEYS) {
    const r = await readReserve(w, k);
    const lb = BigInt(r.liquidationBonusBps) + BPS;
    if (r.ltvBps > r.liquidationThresholdBps) violate("I1", `${k}: LTV ${r.ltvBps} > LT ${r.liquidationThresholdBps}`);
    if (r.liquidationThresholdBps > 0 && percentMul(BigInt(r.liquidationThresholdBps), lb) > BPS) {
      violate("I1", `${k}: LT ${r.liquidationThresholdBps} x LB ${lb} > 100%`);
    }
  }
  const e = await w.aave.pool.getEModeCategoryData(1);
  if (e.ltv > e.liquidationThreshold) violate("I1", `eMode 1: LTV ${e.ltv} > LT ${e.liquidationThreshold}`);
  if (percentMul(BigInt(e.liquidationThreshold), BigInt(e.liquidationBonus)) > BPS) {
    violate("I1", `eMode 1: LT ${e.liquidationThreshold} x LB ${e.liquidationBonus} > 100%`);
  }

  // I4: never above what governance last set; LB and governance freezes untouched.
  for (const k of RESERVE_KEYS) {
    const r = await readReserve(w, k);
    const c = m.reserveCeiling[k];
    const lb = BigInt(r.liquidationBonusBps) + BPS;
    if (BigInt(r.ltvBps) > c.ltv) violate("I4", `${k}: reserve LTV ${r.ltvBps} above governance's ${c.ltv}`);
    if (BigInt(r.liquidationThresholdBps) > c.lt) violate("I4", `${k}: reserve LT ${r.liquidationThresholdBps} above governance's ${c.lt}`);
    if (lb !== c.lb) violate("I4", `${k}: reserve LB ${lb} differs from governance's ${c.lb}`);
    if (m.govFrozen[k] === true && !r.frozen) violate("I4", `${k}: governance froze the reserve, it is unfrozen`);
  }
  const ec = m.eModeCeiling;
  if (BigInt(e.ltv) > ec.ltv) violate("I4", `eMode 1: LTV ${e.ltv} above governance's ${ec.ltv}`);
  if (BigInt(e.liquidationThreshold) > ec.lt) violate("I4", `eMode 1: LT ${e.liquidationThreshold} above governance's ${ec.lt}`);
  if (BigInt(e.liquidationBonus) !== ec.lb) violate("I4", `eMode 1: LB ${e.liquidationBonus} differs from governance's ${ec.lb}`);

  // I3: caps over the observed ledger (future parts of an active block count: the guard committed to them).
  await observePauses(w, m);
  const all: [number, number][] = [];
  for (const k of ASSET_KEYS) {
    const cfg = await w.guard.getGuardConfig(w.assets[k].address);
    const iv = [...m.ledger[k].values()].map((i) => [i.start, i.blockedUntil] as [number, number]);
    all.push(...iv);
    const [worst, from] = worstWindow(iv, Number(cfg.windowSeconds));
    if (worst > Number(cfg.maxPausedSecondsPerWindow)) {
      violate(
        "I3a",
        `${k}: liquidations blocked ${worst} s (pause + grace) in the ${cfg.windowSeconds} s window from ${from}, cap ${cfg.maxPausedSecondsPerWindow} s; pauses ${fmtLedger(m.ledger[k])}`,
      );
    }
  }
  const market = await marketWideCap(w);
  const [mWorst, mFrom] = worstWindow(all, market.windowSeconds);
  if (mWorst > market.capSeconds) {
    violate(
      "I3b",
      `market-wide: liquidations blocked ${mWorst} s in the ${market.windowSeconds} s window from ${mFrom}, cap ${market.capSeconds} s (${market.source}); weETH ${fmtLedger(m.ledger.weETH)}, ezETH ${fmtLedger(m.ledger.ezETH)}`,
    );
  }
  // The aggregate the Pool reads never blocks beyond what the assets' own states say.
  const [, aggLiq] = await w.guard.getAggregate();
  const maxAsset = Math.max(0, ...all.map(([, end]) => end));
  if (Number(aggLiq) > nowTs && Number(aggLiq) > maxAsset) {
    violate("I3b", `aggregate blocks liquidations until ${aggLiq}, beyond every asset's block (${maxAsset})`);
  }

  // I5 and I2 on a real loss: the module's poke (cut + freeze) and anyone's release must go through.
  for (const k of ASSET_KEYS) {
    const why = await truthImpaired(w, k, nowTs + 1);
    if (!why) continue;
    const asset = w.assets[k].address;
    if (await w.guard.isAssetLiquidationBlocked(asset)) {
      try {
        await w.guard.connect(w.stranger).release.staticCall(asset);
      } catch (err) {
        violate("I2", `${k} has a real loss (${why}) and liquidations are blocked, but anyone's release reverts: ${errText(err)}`);
      }
    }
    try {
      await w.module.connect(w.stranger).poke.staticCall(asset);
    } catch (err) {
      violate("I5", `${k} has a real loss (${why}) but module.poke reverts: ${errText(err)}`);
    }
  }
}

export function fmtLedger(l: Map<number, BlockInterval>): string {
  return `[${[...l.values()].map((i) => `${i.start}+${i.pausedUntil - i.start}s(+grace to ${i.blockedUntil - i.start}s)`).join(", ")}]`;
}

let decoders: Interface[] = [];

/** A revert, decoded with the Cascade Guard ABIs (the module and guard bubble the oracle's errors up). */
export function errText(err: unknown): string {
  const e = err as { shortMessage?: string; message?: string; data?: string; revert?: { name?: string; args?: unknown[] } };
  if (e?.revert?.name) return `${e.revert.name}(${(e.revert.args ?? []).map(String).join(", ")})`;
  if (typeof e?.data === "string" && e.data.length >= 10) {
    for (const iface of decoders) {
      try {
        const parsed = iface.parseError(e.data);
        if (parsed) return `${parsed.name}(${parsed.args.map(String).join(", ")})`;
      } catch {
        /* next */
      }
    }
  }
  return (e?.shortMessage ?? e?.message ?? String(err)).split("\n")[0].slice(0, 200);
}

export function setErrorDecoders(w: World): void {
  decoders = [w.oracle.interface, w.guard.interface, w.module.interface] as unknown as Interface[];
}

export { DAY, HOUR, WAD };
