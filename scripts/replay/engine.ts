/**
 * The replay loop, independent of how the market is reached (local replica or fork). It walks the scenario's step
 * times, asks a `ReplayWorld` to set the clock, the DEX and the feeds, lets keepers act, applies events, runs the
 * liquidator and observes the market; then it turns what happened into a `RunResult` with the pure accounting
 * below. Everything chain-specific lives behind `ReplayWorld` (see `chainWorld.ts`).
 */
import { eventsDue, exogenousAt, densifyPath, replayDurationSeconds, stepTimes } from "./path";
import {
  DEFAULT_RECOVERY_HALF_LIFE_SECONDS,
  AttackerBorrowEvent,
  ExogenousState,
  GuardLimits,
  LiquidationRecord,
  PauseInterval,
  RunKind,
  RunResult,
  Scenario,
  TimelineRow,
} from "./types";

/** What the lending market looks like after a step. */
export interface MarketObservation {
  /** Price the lending market uses for the collateral, ETH per token. */
  oraclePrice: number;
  ltvBps: number;
  liquidationThresholdBps: number;
  /** Liquidations of the collateral are paused by the guard (grace excluded). */
  paused: boolean;
  frozen: boolean;
}

/** Balances of one account at the end of the run. */
export interface AccountBalance {
  user: string;
  collateralTokens: number;
  debtEth: number;
  /** The scenario's attacker (its collateral is what the attacker-borrow events supplied). */
  attacker?: boolean;
}

/** The market a run drives. One instance per run; the engine calls it in step order. */
export interface ReplayWorld {
  readonly run: RunKind;
  /** Moves the chain clock to `t` seconds after the run's start. */
  advanceTo(t: number): Promise<void>;
  /** Current DEX marginal price, ETH per collateral token. */
  dexPrice(): Promise<number>;
  /** External flow: trades the DEX to the given marginal price. */
  dexMoveTo(priceEth: number): Promise<void>;
  /** Liquidity providers add/withdraw at the current price so the collateral side equals `depthTokens`. */
  dexSetDepth(depthTokens: number): Promise<void>;
  /** Sets every feed: market price (what the market feed reports), exchange rate, backing per token. */
  setFeeds(feeds: { marketPrice: number; exchangeRate: number; backingPerToken: number }): Promise<void>;
  /** Protected runs: keepers poke the contracts through their permissionless calls. Baseline: no-op. */
  runKeepers(): Promise<void>;
  /** The liquidator: liquidates every profitable position with HF < 1 and sells what it seized into the DEX. */
  liquidate(t: number): Promise<LiquidationRecord[]>;
  /** An attacker supplies collateral and borrows WETH; returns the ETH borrowed. */
  attackerBorrow(event: AttackerBorrowEvent): Promise<number>;
  observe(): Promise<MarketObservation>;
  /** Guard pauses so far (protected) or [] (baseline), in seconds from the start. */
  pauses(): Promise<PauseInterval[]>;
  guardLimits(): Promise<GuardLimits | null>;
  /** Every borrower and the attacker, at the end. */
  accounts(): Promise<AccountBalance[]>;
  /** Aave v3.3+: debt-asset deficit the Pool wrote off since the run started, ETH; undefined before v3.3. */
  reserveDeficitEth?(): Promise<number | undefined>;
}

export interface ReplayProgress {
  (done: number, total: number): void;
}

/** Maximum liquidation rounds within one step when sales move the market feed (reflexive). */
export const MAX_ROUNDS_PER_STEP = 4;

/** Ethereum block time, s: the finest re-anchoring of a refilled pool within a step (one liquidation round a block). */
export const BLOCK_SECONDS = 12;

/** Drives one run of a scenario through a world. */
export async function replayRun(request: {
  scenario: Scenario;
  world: ReplayWorld;
  onStep?: ReplayProgress;
}): Promise<RunResult> {
  const { scenario, world } = request;
  const started = Date.now();
  const dense = densifyPath(scenario.path);
  const times = stepTimes(scenario);
  const duration = replayDurationSeconds(scenario);
  const timeline: TimelineRow[] = [];
  const log: LiquidationRecord[] = [];
  let attackerBorrowEth = 0;
  let prevT = -1;
  let prevPathPrice: number | undefined;
  let lastDepth: number | undefined;
  let cumulative = 0;
  const halfLife = scenario.dex.recoveryHalfLifeSeconds ?? DEFAULT_RECOVERY_HALF_LIFE_SECONDS;
  let initialLt: number | undefined;
  // Non-reflexive pools with arbitrage capital: refilled to the path price between liquidation rounds (below).
  const refillCapitalEth = scenario.reflexive ? 0 : (scenario.dex.arbitrageCapitalEth ?? 0);
  const refillRounds = refillCapitalEth > 0 ? Math.max(1, Math.floor(scenario.stepSeconds / BLOCK_SECONDS)) : 1;
  let refillSpentEth = 0;
  let last: { exo: ExogenousState; marketPrice: number } | undefined;

  const pushFeeds = async (exo: ExogenousState): Promise<number> => {
    const marketPrice = scenario.reflexive ? await world.dexPrice() : exo.marketPrice;
    await world.setFeeds({ marketPrice, exchangeRate: exo.exchangeRate, backingPerToken: exo.exchangeRate * exo.backingRatio });
    return marketPrice;
  };

  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    await world.advanceTo(t);
    const exo = exogenousAt({ scenario, dense, t });
    if (i === 0) {
      const obs0 = await world.observe();
      initialLt = obs0.liquidationThresholdBps;
    }
    // DEX: liquidity changes first, then the external flow of the path. Step 0 sets the pool's starting state.
    if (i === 0) {
      lastDepth = exo.dexDepth ?? scenario.dex.depth;
      await world.dexSetDepth(lastDepth);
    } else if (exo.dexDepth !== undefined && exo.dexDepth !== lastDepth) {
      await world.dexSetDepth(exo.dexDepth);
      lastDepth = exo.dexDepth;
    }
    if (!scenario.reflexive || prevPathPrice === undefined) {
      await world.dexMoveTo(exo.marketPrice);
    } else {
      // Reflexive: the pool follows the path, and the gap liquidators' sales opened (impact = DEX / path price)
      // closes with the arbitrage half-life: impact' = 1 + (impact - 1) * 2^(-dt / halfLife).
      const dexNow = await world.dexPrice();
      const impact = dexNow / prevPathPrice;
      const decay = halfLife > 0 ? Math.pow(0.5, (t - prevT) / halfLife) : 1;
      const target = exo.marketPrice * (1 + (impact - 1) * decay);
      if (Math.abs(target / dexNow - 1) > 1e-7) await world.dexMoveTo(target);
    }
    prevPathPrice = exo.marketPrice;
    let marketPrice = await pushFeeds(exo);
    await world.runKeepers();

    for (const ev of eventsDue(scenario.events, prevT, t)) {
      if (ev.kind === "attacker-borrow") attackerBorrowEth += await world.attackerBorrow(ev);
    }

    let stepLiqs: LiquidationRecord[] = [];
    for (let round = 0; round < (scenario.reflexive ? MAX_ROUNDS_PER_STEP : refillRounds); round++) {
      const recs = await world.liquidate(t);
      stepLiqs = stepLiqs.concat(recs);
      if (recs.length === 0) break;
      if (scenario.reflexive) {
        // Sales moved the DEX: the feeds (and keepers) see it within the same step.
        marketPrice = await pushFeeds(exo);
        await world.runKeepers();
        continue;
      }
      // Refill: arbitrageurs buy the pool back to the path price before the next round (next block). The pool stood
      // at the path price before the round and a fee-less constant-product trade keeps k, so restoring its reserves
      // costs exactly the ETH the round's sales took out. No refill once the capital cannot pay for a whole one, and
      // none after the step's last round (the next step re-anchors the pool to the path anyway).
      const costEth = recs.reduce((a, r) => a + r.saleProceedsEth, 0);
      if (round + 1 >= refillRounds || refillCapitalEth <= 0 || costEth <= 0 || refillSpentEth + costEth > refillCapitalEth) break;
      await world.dexMoveTo(exo.marketPrice);
      refillSpentEth += costEth;
    }
    log.push(...stepLiqs);
    cumulative += stepLiqs.length;

    const obs = await world.observe();
    timeline.push({
      t,
      marketPrice,
      exchangeRate: exo.exchangeRate,
      backingRatio: exo.backingRatio,
      discountBps: Math.round(((exo.exchangeRate - marketPrice) / exo.exchangeRate) * 10_000),
      oraclePrice: obs.oraclePrice,
      ltvBps: obs.ltvBps,
      liquidationThresholdBps: obs.liquidationThresholdBps,
      paused: obs.paused,
      frozen: obs.frozen,
      liquidations: stepLiqs.length,
      liquidatedDebtEth: stepLiqs.reduce((a, r) => a + r.debtRepaidEth, 0),
      liquidationsCumulative: cumulative,
    });
    last = { exo, marketPrice };
    prevT = t;
    request.onStep?.(i + 1, times.length);
  }

  const pauses = clipPauses(await world.pauses(), duration);
  const accounts = await world.accounts();
  const reserveDeficitEth = world.reserveDeficitEth ? await world.reserveDeficitEth() : undefined;
  const endExo = exogenousAt({ scenario, dense, t: duration });
  const summary = summarizeRun({
    run: world.run,
    scenario,
    timeline,
    log,
    accounts,
    pauses,
    guardLimits: await world.guardLimits(),
    attackerBorrowEth,
    endExo,
    finalMarketPrice: last ? last.marketPrice : endExo.marketPrice,
    initialLiquidationThresholdBps: initialLt ?? 0,
    wallSeconds: (Date.now() - started) / 1000,
    reserveDeficitEth,
  });
  return refillCapitalEth > 0 ? { ...summary, arbitrageRefillEth: refillSpentEth } : summary;
}

/** Clips pause intervals to [0, duration] and drops empty ones. */
export function clipPauses(pauses: PauseInterval[], duration: number): PauseInterval[] {
  return pauses
    .map((p) => ({ startT: Math.max(0, p.startT), endT: Math.min(duration, p.endT) }))
    .filter((p) => p.endT > p.startT);
}

/** Total length of the union of intervals, seconds. */
export function unionSeconds(pauses: PauseInterval[]): number {
  const sorted = [...pauses].sort((a, b) => a.startT - b.startT);
  let total = 0;
  let curS = -Infinity;
  let curE = -Infinity;
  for (const p of sorted) {
    if (p.startT > curE) {
      if (curE > curS) total += curE - curS;
      curS = p.startT;
      curE = p.endT;
    } else curE = Math.max(curE, p.endT);
  }
  if (curE > curS) total += curE - curS;
  return total;
}

/**
 * The price a position is judged at for "unnecessary": the end-of-path price of the scenario's oracle regime
 * (market: the path's market price; exchange-rate: the exchange rate), from the path alone, i.e. without the
 * price impact of anybody's liquidation ("had nobody been liquidated").
 */
export function counterfactualEndPrice(scenario: Scenario, endExo: ExogenousState): number {
  return scenario.oracle === "market" ? endExo.marketPrice : endExo.exchangeRate;
}

/**
 * A liquidated position is *unnecessary* when its balances just before its first liquidation in the run, valued at
 * the counterfactual end price with the liquidation threshold in force at the start of the run, give HF >= 1:
 * `HF_end = collateralBefore * P_end * LT_start / debtBefore`.
 */
export function countUnnecessary(request: {
  log: LiquidationRecord[];
  endPrice: number;
  liquidationThresholdBps: number;
}): { unnecessary: number; users: string[] } {
  const first = new Map<string, LiquidationRecord>();
  for (const r of request.log) if (!first.has(r.user)) first.set(r.user, r);
  const users: string[] = [];
  for (const [user, r] of first) {
    if (r.debtBeforeEth <= 0) continue;
    const hf = (r.collateralBefore * request.endPrice * request.liquidationThresholdBps) / 10_000 / r.debtBeforeEth;
    if (hf >= 1) users.push(user);
  }
  return { unnecessary: users.length, users };
}

/**
 * Bad debt at the end: for each account, debt minus what its collateral would fetch, when positive. Collateral is
 * valued at min(final market price, exchange rate x backing ratio): neither a depressed market nor a forged
 * backing can be redeemed above what it is worth. The attacker's collateral is valued at 0 when
 * `forgedCollateralInvalidated` (forged tokens invalidated / burned in the recovery: the lender recovers nothing on
 * them); the attacker's part is returned as `forgedCollateralEth`.
 */
export function badDebt(request: {
  accounts: AccountBalance[];
  marketPrice: number;
  endExo: ExogenousState;
  forgedCollateralInvalidated?: boolean;
}): {
  badDebtEth: number;
  accounts: number;
  forgedCollateralEth: number;
} {
  const price = Math.min(request.marketPrice, request.endExo.exchangeRate * request.endExo.backingRatio);
  let total = 0;
  let forged = 0;
  let n = 0;
  for (const a of request.accounts) {
    const value = a.attacker && request.forgedCollateralInvalidated ? 0 : a.collateralTokens * price;
    const gap = a.debtEth - value;
    if (gap > 1e-9) {
      total += gap;
      if (a.attacker) forged += gap;
      n++;
    }
  }
  return { badDebtEth: total, accounts: n, forgedCollateralEth: forged };
}

/** True when any attacker-borrow event of the scenario says the attacker's collateral was invalidated. */
export function forgedCollateralInvalidated(scenario: Scenario): boolean {
  return scenario.events.some((e) => e.kind === "attacker-borrow" && e.collateralInvalidated === true);
}

/** Pure: turns a run's observations into its result. */
export function summarizeRun(request: {
  run: RunKind;
  scenario: Scenario;
  timeline: TimelineRow[];
  log: LiquidationRecord[];
  accounts: AccountBalance[];
  pauses: PauseInterval[];
  guardLimits: GuardLimits | null;
  attackerBorrowEth: number;
  endExo: ExogenousState;
  finalMarketPrice: number;
  initialLiquidationThresholdBps: number;
  wallSeconds: number;
  /** Aave v3.3+ reserve deficit written off during the run, ETH (added to bad debt). */
  reserveDeficitEth?: number;
}): RunResult {
  const { timeline, log } = request;
  const unnecessary = countUnnecessary({
    log,
    endPrice: counterfactualEndPrice(request.scenario, request.endExo),
    liquidationThresholdBps: request.initialLiquidationThresholdBps,
  });
  const invalidated = forgedCollateralInvalidated(request.scenario);
  const bad = badDebt({
    accounts: request.accounts,
    marketPrice: request.finalMarketPrice,
    endExo: request.endExo,
    forgedCollateralInvalidated: invalidated,
  });
  return {
    run: request.run,
    liquidations: log.length,
    liquidatedDebtEth: log.reduce((a, r) => a + r.debtRepaidEth, 0),
    seizedCollateral: log.reduce((a, r) => a + r.collateralSeized, 0),
    positionsLiquidated: new Set(log.map((r) => r.user)).size,
    unnecessaryLiquidations: unnecessary.unnecessary,
    badDebtEth: bad.badDebtEth + (request.reserveDeficitEth ?? 0),
    badDebtAccounts: bad.accounts,
    badDebtOnForgedCollateralEth: bad.forgedCollateralEth,
    forgedCollateralInvalidated: invalidated,
    ...(request.reserveDeficitEth !== undefined ? { reserveDeficitEth: request.reserveDeficitEth } : {}),
    pausedSeconds: unionSeconds(request.pauses),
    trips: request.pauses.length,
    minLtvBps: Math.min(...timeline.map((r) => r.ltvBps)),
    minLiquidationThresholdBps: Math.min(...timeline.map((r) => r.liquidationThresholdBps)),
    frozen: timeline.some((r) => r.frozen),
    finalMarketPrice: request.finalMarketPrice,
    attackerBorrowEth: request.attackerBorrowEth,
    guardLimits: request.guardLimits,
    pauses: request.pauses,
    initialLiquidationThresholdBps: request.initialLiquidationThresholdBps,
    timeline,
    liquidationLog: log,
    wallSeconds: request.wallSeconds,
  };
}
