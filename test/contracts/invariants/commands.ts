/**
 * The commands of the stateful invariant suite (fast-check model-based testing). Each command is one action of an
 * actor on the real Aave v3.0.2 Pool + Cascade Guard: the outside world (feeds, rate, backing, time), anyone
 * (pokes, trips, releases), the guardian, Aave governance (reserve and eMode parameters, freezes through the real
 * PoolConfigurator; the module's config). Every command ends with `checkInvariants`; module transactions also
 * check I6 around themselves. A command whose transaction reverts leaves the model unchanged (reverts are legal,
 * except where an invariant says a path must go through).
 */
import fc from "fast-check";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import {
  ASSET_KEYS,
  type AssetKey,
  BPS,
  DAY,
  HOUR,
  violate,
  type Model,
  RESERVE_KEYS,
  type ReserveKey,
  WAD,
  type World,
  checkInvariants,
  checkUnexposedHealth,
  errText,
  healthFactors,
  truthImpaired,
} from "./model";

type Cmd = fc.AsyncCommand<Model, World, boolean>;

/** Sends a transaction; returns undefined when it went through, else the decoded revert. */
async function attempt(send: () => Promise<ContractTransactionResponse>): Promise<string | undefined> {
  try {
    const tx = await send();
    await tx.wait();
    return undefined;
  } catch (err) {
    return errText(err);
  }
}

/** The block timestamp the next transaction gets (automine: latest + 1 unless time was set). */
async function nextTs(): Promise<number> {
  return (await time.latest()) + 1;
}

abstract class Step implements Cmd {
  check(): boolean {
    return true;
  }
  async run(m: Model, w: World): Promise<void> {
    await this.act(m, w);
    m.steps++;
    await checkInvariants(w, m);
  }
  protected abstract act(m: Model, w: World): Promise<void>;
  abstract toString(): string;
}

// ---------------------------------------------------------------- outside world

export class TimeJump extends Step {
  constructor(readonly seconds: number) {
    super();
  }
  protected async act(): Promise<void> {
    await time.increase(this.seconds);
  }
  toString() {
    return `time+${this.seconds}s`;
  }
}

/** The LRT's market feed answers `bps` below its current exchange rate (fresh). */
export class SetDiscount extends Step {
  constructor(
    readonly asset: AssetKey,
    readonly bps: number,
  ) {
    super();
  }
  protected async act(_m: Model, w: World): Promise<void> {
    const a = w.assets[this.asset];
    const rate: bigint = await a.rateSource.getRate();
    const ref = rate === 0n ? (WAD * 105n) / 100n : rate;
    await (await a.marketFeed.setAnswer((ref * (BPS - BigInt(this.bps))) / BPS)).wait();
  }
  toString() {
    return `discount(${this.asset},${this.bps}bps)`;
  }
}

/** The market feed answers 0, a negative price, or stops updating (updatedAt two days back). */
export class MarketFeedFault extends Step {
  constructor(
    readonly asset: AssetKey,
    readonly kind: "zero" | "negative" | "stale",
  ) {
    super();
  }
  protected async act(_m: Model, w: World): Promise<void> {
    const feed = w.assets[this.asset].marketFeed;
    if (this.kind === "zero") await (await feed.setAnswer(0)).wait();
    else if (this.kind === "negative") await (await feed.setAnswer(-1n)).wait();
    else await (await feed.setUpdatedAt((await time.latest()) - 2 * DAY)).wait();
  }
  toString() {
    return `marketFeed(${this.asset},${this.kind})`;
  }
}

/** The exchange rate moves by `bps` (negative = a NAV loss), or goes to 0, or back to 1.05. */
export class RateMove extends Step {
  constructor(
    readonly asset: AssetKey,
    readonly move: number | "zero" | "restore",
  ) {
    super();
  }
  protected async act(_m: Model, w: World): Promise<void> {
    const src = w.assets[this.asset].rateSource;
    const rate: bigint = await src.getRate();
    let next: bigint;
    if (this.move === "zero") next = 0n;
    else if (this.move === "restore" || rate === 0n) next = (WAD * 105n) / 100n;
    else next = (rate * (BPS + BigInt(this.move))) / BPS;
    if (next > (WAD * 19n) / 10n) return; // stay below the configured maxRateWad (2.0): an implausible rate is not fuzzed
    await (await src.setRate(next)).wait();
  }
  toString() {
    return `rate(${this.asset},${typeof this.move === "number" ? `${this.move}bps` : this.move})`;
  }
}

/** weETH's proof-of-backing feed: at the rate, short of it, 0, negative or stale. */
export class BackingMove extends Step {
  constructor(readonly kind: "par" | "short30bps" | "short5pct" | "zero" | "negative" | "stale") {
    super();
  }
  protected async act(_m: Model, w: World): Promise<void> {
    const feed = w.assets.weETH.backingFeed!;
    const rate: bigint = await w.assets.weETH.rateSource.getRate();
    const e8 = (rate * 10n ** 8n) / WAD;
    const answers: Record<string, bigint> = { par: e8, short30bps: (e8 * 9_970n) / BPS, short5pct: (e8 * 9_500n) / BPS, zero: 0n, negative: -1n };
    if (this.kind === "stale") await (await feed.setUpdatedAt((await time.latest()) - 2 * DAY)).wait();
    else await (await feed.setAnswer(answers[this.kind])).wait();
  }
  toString() {
    return `backing(weETH,${this.kind})`;
  }
}

/** A feed keeper's heartbeat: the asset's feeds report again at their current answers. */
export class RefreshFeeds extends Step {
  constructor(readonly asset: AssetKey) {
    super();
  }
  protected async act(_m: Model, w: World): Promise<void> {
    const a = w.assets[this.asset];
    const now = await nextTs();
    await (await a.marketFeed.setUpdatedAt(now)).wait();
    if (a.backingFeed) await (await a.backingFeed.setUpdatedAt(now)).wait();
  }
  toString() {
    return `refresh(${this.asset})`;
  }
}

// ---------------------------------------------------------------- anyone

/** Anyone pokes the haircut module (which pokes the oracle). I5 on a real loss, I6 around it. */
export class ModulePoke extends Step {
  constructor(readonly asset: AssetKey) {
    super();
  }
  protected async act(m: Model, w: World): Promise<void> {
    const address = w.assets[this.asset].address;
    const why = await truthImpaired(w, this.asset, await nextTs());
    const before = await healthFactors(w);
    const err = await attempt(() => w.module.connect(w.stranger).poke(address));
    if (err && why) violate("I5", `${this.asset} has a real loss (${why}) but module.poke reverts: ${err}`);
    if (err) return;
    checkUnexposedHealth(this.asset, before, await healthFactors(w), `module.poke(${this.asset})`);
    const cfg = await w.module.getHaircutConfig(address);
    if (why && cfg.freezeOnImpaired && m.govFrozen[this.asset] !== false) {
      const r = await w.aaveLib.readReserveConfig(w.aave, address);
      if (!r.frozen) violate("I5", `${this.asset} has a real loss (${why}); module.poke went through but the reserve is not frozen`);
    }
  }
  toString() {
    return `modulePoke(${this.asset})`;
  }
}

export class OraclePoke extends Step {
  constructor(readonly asset: AssetKey) {
    super();
  }
  protected async act(_m: Model, w: World): Promise<void> {
    await attempt(() => w.oracle.connect(w.stranger).poke(w.assets[this.asset].address));
  }
  toString() {
    return `oraclePoke(${this.asset})`;
  }
}

/** Anyone trips the guard (or the guardian, for `durationSeconds`). I2: never on a real loss. */
export class Trip extends Step {
  constructor(
    readonly asset: AssetKey,
    readonly byGuardian: boolean,
    readonly durationSeconds: number,
  ) {
    super();
  }
  protected async act(_m: Model, w: World): Promise<void> {
    const address = w.assets[this.asset].address;
    const why = await truthImpaired(w, this.asset, await nextTs());
    const err = this.byGuardian
      ? await attempt(() => w.guard.connect(w.guardian).guardianTrip(address, this.durationSeconds))
      : await attempt(() => w.guard.connect(w.stranger).trip(address));
    if (!err && why) violate("I2", `${this} went through while ${this.asset} has a real loss (${why})`);
    if (!err && (await w.oracle.getRiskLevel(address)) === 3n) violate("I2", `${this} went through; the oracle now says IMPAIRED`);
  }
  toString() {
    return this.byGuardian ? `guardianTrip(${this.asset},${this.durationSeconds}s)` : `trip(${this.asset})`;
  }
}

/** Anyone (or the guardian) releases. I2: on a real loss, anyone's release of a block goes through and ends it. */
export class Release extends Step {
  constructor(
    readonly asset: AssetKey,
    readonly byGuardian: boolean,
  ) {
    super();
  }
  protected async act(_m: Model, w: World): Promise<void> {
    const address = w.assets[this.asset].address;
    const why = await truthImpaired(w, this.asset, await nextTs());
    const blocked = await w.guard.isAssetLiquidationBlocked(address);
    const err = await attempt(() => w.guard.connect(this.byGuardian ? w.guardian : w.stranger).release(address));
    if (!this.byGuardian && why && blocked) {
      if (err) violate("I2", `${this.asset} has a real loss (${why}); anyone's release reverts: ${err}`);
      if (await w.guard.isAssetLiquidationBlocked(address)) violate("I2", `${this.asset}: release on a real loss left liquidations blocked`);
    }
  }
  toString() {
    return this.byGuardian ? `guardianRelease(${this.asset})` : `release(${this.asset})`;
  }
}

// ---------------------------------------------------------------- the risk keeper

/** The keeper pushes model params within the governance bounds (one field step of 100 bps; refused too soon). */
export class KeeperParams extends Step {
  constructor(
    readonly asset: AssetKey,
    readonly change: "steeper" | "flatter" | "tripUp" | "tripDown",
  ) {
    super();
  }
  protected async act(_m: Model, w: World): Promise<void> {
    const address = w.assets[this.asset].address;
    const [cur] = await w.oracle.getModelParams(address);
    const p = {
      tripDiscountBps: Number(cur.tripDiscountBps),
      stressDiscountBps: Number(cur.stressDiscountBps),
      navDropHaircutMultiplierBps: Number(cur.navDropHaircutMultiplierBps),
      knot0DiscountBps: Number(cur.knot0DiscountBps),
      knot0HaircutBps: Number(cur.knot0HaircutBps),
      knot1DiscountBps: Number(cur.knot1DiscountBps),
      knot1HaircutBps: Number(cur.knot1HaircutBps),
      knot2DiscountBps: Number(cur.knot2DiscountBps),
      knot2HaircutBps: Number(cur.knot2HaircutBps),
      knot3DiscountBps: Number(cur.knot3DiscountBps),
      knot3HaircutBps: Number(cur.knot3HaircutBps),
    };
    const knots = ["knot0HaircutBps", "knot1HaircutBps", "knot2HaircutBps", "knot3HaircutBps"] as const;
    if (this.change === "steeper") for (const k of knots) p[k] = Math.min(p[k] + 100, 10_000);
    else if (this.change === "flatter") for (const k of knots) p[k] = Math.max(p[k] - 100, 0);
    else if (this.change === "tripUp") p.tripDiscountBps += 100;
    else p.tripDiscountBps = Math.max(p.tripDiscountBps - 100, 1);
    await attempt(() => w.oracle.connect(w.keeper).setModelParams(address, p));
  }
  toString() {
    return `keeper.params(${this.asset},${this.change})`;
  }
}

// ---------------------------------------------------------------- Aave governance

/** LTV / LT / LB (Aave encoding) presets governance may set on each reserve through the real PoolConfigurator. */
export const RESERVE_PRESETS: Record<ReserveKey, readonly [number, number, number][]> = {
  weETH: [
    [0, 75_00, 108_00], // offboarding (the usual way: LTV 0, lower LT, higher LB)
    [70_00, 75_00, 107_00],
    [77_50, 80_00, 107_00], // listing values
    [77_50, 80_00, 108_00], // LB change only
    [79_00, 82_00, 107_00], // raised above the module's base
  ],
  ezETH: [
    [0, 70_00, 107_50],
    [72_50, 75_00, 107_50],
    [72_50, 75_00, 109_00],
    [60_00, 70_00, 107_50],
  ],
  WETH: [
    [80_50, 83_00, 105_00],
    [86_00, 89_00, 105_00], // an eMode member raised above the module's eMode floors
    [75_00, 80_00, 105_00],
  ],
};

export class GovReserve extends Step {
  constructor(
    readonly reserve: ReserveKey,
    readonly preset: number,
  ) {
    super();
  }
  protected async act(m: Model, w: World): Promise<void> {
    const [ltv, lt, lb] = RESERVE_PRESETS[this.reserve][this.preset];
    const err = await attempt(() => w.aave.poolConfigurator.configureReserveAsCollateral(w.reserves[this.reserve], ltv, lt, lb));
    if (!err) m.reserveCeiling[this.reserve] = { ltv: BigInt(ltv), lt: BigInt(lt), lb: BigInt(lb) };
  }
  toString() {
    return `gov.reserve(${this.reserve},${RESERVE_PRESETS[this.reserve][this.preset].join("/")})`;
  }
}

export const EMODE_PRESETS: readonly [number, number, number][] = [
  [93_00, 95_00, 101_00],
  [90_00, 93_00, 101_00],
  [93_00, 95_00, 102_00],
  [87_00, 90_00, 101_00],
  [95_00, 97_00, 101_00],
];

export class GovEMode extends Step {
  constructor(readonly preset: number) {
    super();
  }
  protected async act(m: Model, w: World): Promise<void> {
    const [ltv, lt, lb] = EMODE_PRESETS[this.preset];
    const cat = await w.aave.pool.getEModeCategoryData(1);
    const err = await attempt(() => w.aave.poolConfigurator.setEModeCategory(1, ltv, lt, lb, cat.priceSource, cat.label));
    if (!err) m.eModeCeiling = { ltv: BigInt(ltv), lt: BigInt(lt), lb: BigInt(lb) };
  }
  toString() {
    return `gov.eMode(${EMODE_PRESETS[this.preset].join("/")})`;
  }
}

export class GovFreeze extends Step {
  constructor(
    readonly reserve: ReserveKey,
    readonly frozen: boolean,
  ) {
    super();
  }
  protected async act(m: Model, w: World): Promise<void> {
    const err = await attempt(() => w.aave.poolConfigurator.setReserveFreeze(w.reserves[this.reserve], this.frozen));
    if (!err) m.govFrozen[this.reserve] = this.frozen;
  }
  toString() {
    return `gov.freeze(${this.reserve},${this.frozen})`;
  }
}

/**
 * Governance (re)configures the module for an asset from the values it set itself (base = governance's current
 * reserve values; eMode base = the category's governance values): turning weETH's eMode management on or off,
 * with a slow or fast LT ramp. Nothing here lowers a value, so an unexposed user's HF must not move (I6).
 */
export class GovModuleConfig extends Step {
  constructor(
    readonly asset: AssetKey,
    readonly eMode: boolean,
    readonly fastRamp: boolean,
  ) {
    super();
  }
  protected async act(m: Model, w: World): Promise<void> {
    const address = w.assets[this.asset].address;
    const c = m.reserveCeiling[this.asset];
    if (c.ltv === 0n) return; // an offboarded reserve is not handed to the module
    const ltv = Number(c.ltv);
    const lt = Number(c.lt);
    const base = this.asset === "weETH" ? w.defaultHaircut : w.ezHaircut;
    const eMode = this.asset === "weETH" && this.eMode;
    const e = m.eModeCeiling;
    const cfg = {
      ...base,
      baseLtvBps: ltv,
      baseLtBps: lt,
      liquidationBonusBps: Number(c.lb),
      floorLtvBps: Math.min(1_00, ltv),
      floorLtBps: Math.min(Math.max(Number(base.floorLtBps), Math.min(1_00, ltv)), lt),
      ltRampBpsPerHour: this.fastRamp ? 500 : 50,
      eModeCategoryId: eMode ? 1 : 0,
      eModeBaseLtvBps: eMode ? Number(e.ltv) : 0,
      eModeBaseLtBps: eMode ? Number(e.lt) : 0,
      eModeLiquidationBonusBps: eMode ? Number(e.lb) : 0,
      eModeFloorLtvBps: eMode ? Math.min(85_00, Number(e.ltv)) : 0,
      eModeFloorLtBps: eMode ? Math.min(88_00, Number(e.lt)) : 0,
    };
    const before = await healthFactors(w);
    const err = await attempt(() => w.module.connect(w.governance).configureAsset(address, cfg));
    if (err) return;
    m.reserveCeiling[this.asset] = { ltv: c.ltv, lt: c.lt, lb: c.lb };
    if (this.asset === "weETH") m.weEthManagesEMode = eMode;
    checkUnexposedHealth(this.asset, before, await healthFactors(w), `module.configureAsset(${this.asset}, eMode ${eMode ? "on" : "off"})`);
  }
  toString() {
    return `gov.moduleConfig(${this.asset},eMode=${this.eMode},ramp=${this.fastRamp ? "fast" : "slow"})`;
  }
}

// ---------------------------------------------------------------- the alphabet

const asset = fc.constantFrom<AssetKey>(...ASSET_KEYS);
const reserve = fc.constantFrom<ReserveKey>(...RESERVE_KEYS);

/** Every command arbitrary; frequent actions (time, discounts, pokes, trips) are listed more than once. */
export function commandArbitraries(): fc.Arbitrary<Cmd>[] {
  const timeJump = fc.constantFrom(60, 30 * 60, HOUR, 6 * HOUR, DAY + 1, 3 * DAY, 8 * DAY).map((s) => new TimeJump(s));
  const discount = fc.tuple(asset, fc.constantFrom(0, 30, 150, 350, 600, 1200, 2500)).map(([a, b]) => new SetDiscount(a, b));
  const poke = asset.map((a) => new ModulePoke(a));
  const trip = fc.tuple(asset, fc.boolean(), fc.constantFrom(HOUR, 6 * HOUR)).map(([a, g, d]) => new Trip(a, g, d));
  const refresh = asset.map((a) => new RefreshFeeds(a));
  return [
    timeJump,
    timeJump,
    discount,
    discount,
    poke,
    poke,
    poke,
    trip,
    trip,
    refresh,
    refresh,
    fc.tuple(asset, fc.constantFrom<"zero" | "negative" | "stale">("zero", "negative", "stale")).map(([a, k]) => new MarketFeedFault(a, k)),
    fc.tuple(asset, fc.constantFrom<number | "zero" | "restore">(-6000, -1000, -200, -30, 20, 100, "zero", "restore")).map(([a, v]) => new RateMove(a, v)),
    fc.constantFrom<BackingMove["kind"]>("par", "short30bps", "short5pct", "zero", "negative", "stale").map((k) => new BackingMove(k)),
    asset.map((a) => new OraclePoke(a)),
    fc.tuple(asset, fc.boolean()).map(([a, g]) => new Release(a, g)),
    reserve.chain((r) => fc.nat(RESERVE_PRESETS[r].length - 1).map((i) => new GovReserve(r, i))),
    fc.nat(EMODE_PRESETS.length - 1).map((i) => new GovEMode(i)),
    fc.tuple(reserve, fc.boolean()).map(([r, f]) => new GovFreeze(r, f)),
    fc.tuple(asset, fc.boolean(), fc.boolean()).map(([a, e, r]) => new GovModuleConfig(a, e, r)),
    fc.tuple(asset, fc.constantFrom<KeeperParams["change"]>("steeper", "flatter", "tripUp", "tripDown")).map(([a, c]) => new KeeperParams(a, c)),
  ];
}

export function commandsArbitrary(maxCommands: number) {
  return fc.commands(commandArbitraries(), { maxCommands, size: "max" });
}

