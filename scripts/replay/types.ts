/**
 * Types of a replay scenario (`cascade-guard/scenario@1`) and of a replay's results.
 * The JSON Schema in `scenarios/schema/scenario.schema.json` is the source of truth for the file format;
 * these interfaces mirror it one to one.
 */

import type { REPLAY_RESULT_SCHEMA, SCENARIO_SCHEMA } from "../../spec/formats";

/** Default half-life of the DEX price gap opened by liquidators' sales (reflexive scenarios), seconds (est.). */
export const DEFAULT_RECOVERY_HALF_LIFE_SECONDS = 3600;

export type CollateralSymbol = "weETH" | "ezETH" | "rsETH" | "pufETH" | "osETH" | "stETH" | "wstETH";
export type OracleRegime = "market" | "exchange-rate";
export type RunKind = "baseline" | "protected";
/** The lending venue a scenario runs on (scenario field `venue`, default "aave"). */
export type Venue = "aave" | "morpho";
export const VENUES: readonly Venue[] = ["aave", "morpho"];

/** One point of the piecewise-linear path. Prices in ETH per collateral token (1.0 = at par). */
export interface PathPoint {
  t: number;
  marketPrice?: number;
  exchangeRate?: number;
  /** Proof-of-reserve ratio (1.0 = fully backed). */
  backingRatio?: number;
  /** Target collateral-side DEX reserve, tokens. */
  dexDepth?: number;
}

export interface SlashEvent {
  t: number;
  kind: "slash";
  exchangeRateDropBps: number;
  note?: string;
}

export interface AttackerBorrowEvent {
  t: number;
  kind: "attacker-borrow";
  /** Collateral tokens the attacker supplies. */
  collateral: number;
  /** Fraction of available borrows taken. */
  borrowFraction: number;
  /**
   * The attacker's collateral is forged and was invalidated / burned in the recovery: valued at 0 in the bad-debt
   * accounting. Default false (valued at min(market, exchange rate x backing ratio), like any collateral).
   */
  collateralInvalidated?: boolean;
  note?: string;
}

export type ScenarioEvent = SlashEvent | AttackerBorrowEvent;

export interface Expectation {
  liquidationsMin?: number;
  liquidationsMax?: number;
  unnecessaryLiquidationsMax?: number;
  badDebtEthMax?: number;
  pausedSecondsMax?: number;
  pausedSecondsMin?: number;
  tripsMin?: number;
  tripsMax?: number;
  frozen?: boolean;
  attackerBorrowEthMax?: number;
  attackerBorrowEthMin?: number;
  minLtvBpsMax?: number;
}

export interface Scenario {
  schema: typeof SCENARIO_SCHEMA;
  id: string;
  title: string;
  description: string;
  sources: string[];
  synthetic?: boolean;
  collateral: CollateralSymbol;
  debt: "WETH";
  /** Default "aave". */
  venue?: Venue;
  oracle: OracleRegime;
  emode: boolean;
  stepSeconds: number;
  durationSeconds?: number;
  path: PathPoint[];
  events: ScenarioEvent[];
  positions: {
    count: number;
    seed: number;
    totalCollateral: number;
    /** triangular(min, mode, max), or bands (share of the positions each, HF uniform within) */
    healthFactor: { min: number; mode: number; max: number } | { bands: { min: number; max: number; share: number }[] };
  };
  /** `arbitrageCapitalEth`: non-reflexive pools refilled to the path price between liquidation rounds (see engine.ts). */
  dex: { kind: "constant-product"; depth: number; recoveryHalfLifeSeconds?: number; arbitrageCapitalEth?: number };
  reflexive: boolean;
  params?: Record<string, unknown>;
  expect: { baseline?: Expectation; protected?: Expectation };
}

/** A scenario after loading: the file it came from and a hash of its canonical content. */
export interface LoadedScenario {
  scenario: Scenario;
  file: string;
  /** sha256 of the file's bytes, hex. */
  inputHash: string;
}

/** State of the scenario's exogenous inputs at one time (after interpolation and events). */
export interface ExogenousState {
  t: number;
  /** Market price from the path (before reflexive DEX effects), ETH per token. */
  marketPrice: number;
  /** Exchange rate (NAV) after slashes, ETH per token. */
  exchangeRate: number;
  backingRatio: number;
  /** Target DEX depth (tokens) if the path sets one, else undefined (no liquidity change). */
  dexDepth?: number;
}

/** One row of the per-step timeline the report draws. */
export interface TimelineRow {
  t: number;
  /** Price the market feed reported this step (DEX price when reflexive), ETH per token. */
  marketPrice: number;
  exchangeRate: number;
  backingRatio: number;
  /** (exchangeRate - marketPrice) / exchangeRate, bps (negative = premium). */
  discountBps: number;
  /** Price the lending market used for the collateral, ETH per token. */
  oraclePrice: number;
  ltvBps: number;
  liquidationThresholdBps: number;
  paused: boolean;
  frozen: boolean;
  liquidations: number;
  /** Debt repaid by liquidations in this step, ETH. */
  liquidatedDebtEth: number;
  /** Cumulative liquidations up to and including this step. */
  liquidationsCumulative: number;
}

export interface LiquidationRecord {
  t: number;
  user: string;
  debtRepaidEth: number;
  collateralSeized: number;
  healthFactorBefore: number;
  /** Sale proceeds in ETH when the seized collateral was sold into the DEX. */
  saleProceedsEth: number;
  /** The user's collateral (tokens) and debt (ETH) just before this liquidation. */
  collateralBefore: number;
  debtBeforeEth: number;
}

/** One pause of the guard, seconds from the start of the replay (end clipped to the replay length). */
export interface PauseInterval {
  startT: number;
  endT: number;
}

/** The guard's configured limits for the collateral (protected runs). */
export interface GuardLimits {
  maxPauseSeconds: number;
  cooldownSeconds: number;
  windowSeconds: number;
  maxPausedSecondsPerWindow: number;
}

export interface RunResult {
  run: RunKind;
  liquidations: number;
  liquidatedDebtEth: number;
  seizedCollateral: number;
  positionsLiquidated: number;
  /** Arbitrage capital spent refilling the pool between liquidation rounds, ETH (scenarios with `dex.arbitrageCapitalEth`). */
  arbitrageRefillEth?: number;
  unnecessaryLiquidations: number;
  badDebtEth: number;
  pausedSeconds: number;
  trips: number;
  minLtvBps: number;
  minLiquidationThresholdBps: number;
  frozen: boolean;
  finalMarketPrice: number;
  attackerBorrowEth: number;
  /** Positions whose debt exceeds the realizable value of their collateral at the end (attacker included), ETH. */
  badDebtAccounts: number;
  /**
   * The part of `badDebtEth` on the attacker's (forged) collateral, ETH: its whole debt when the scenario's
   * attacker-borrow event sets `collateralInvalidated`, else its debt less its collateral at the bad-debt price.
   * 0 when no attacker borrowed. Debt an Aave v3.3+ Pool burned into the reserve deficit (an attacker liquidated down
   * to no collateral) is in `reserveDeficitEth`, not here.
   */
  badDebtOnForgedCollateralEth: number;
  /** Whether the attacker's collateral was valued at 0 (the scenario's `collateralInvalidated`). */
  forgedCollateralInvalidated: boolean;
  /**
   * Aave v3.3+: WETH debt the Pool wrote off as reserve deficit (`getReserveDeficit`) during the run, ETH (already
   * included in `badDebtEth`: a position left with debt and no collateral has its debt burned into the deficit).
   * Undefined on v3.0-v3.2, which keep such debt on the account.
   */
  reserveDeficitEth?: number;
  /** Protected runs: where the guard's parameters came from (params file, scenario, installer defaults). */
  guardSettingsSource?: "params-file" | "scenario" | "defaults";
  /** Protected runs: the guard's configured limits; null for baseline. */
  guardLimits: GuardLimits | null;
  pauses: PauseInterval[];
  /** Liquidation threshold in force at the start (bps), used for the unnecessary-liquidation test. */
  initialLiquidationThresholdBps: number;
  timeline: TimelineRow[];
  liquidationLog: LiquidationRecord[];
  wallSeconds: number;
}

export interface ReplayResult {
  schema: typeof REPLAY_RESULT_SCHEMA;
  scenarioId: string;
  /** Copied from the scenario so the result is self-describing (the report draws them). */
  title: string;
  collateral: CollateralSymbol;
  oracle: OracleRegime;
  /** The venue replayed ("aave" when the scenario names none). */
  venue?: Venue;
  synthetic: boolean;
  scenarioFile: string;
  inputHash: string;
  mode: "replica" | "fork";
  /** Aave generation replayed: "3.0" or "3.6" (replica), or the probed generation on a fork ("v3.0", "v3.1+", ...). */
  aaveVersion: string;
  seed: number;
  runs: RunResult[];
}
