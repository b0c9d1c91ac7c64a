/**
 * Checks a replay result against the scenario's `expect` block (liquidations, unnecessary liquidations, bad debt,
 * paused time, trips, attacker borrow, LTV floor, freeze, per run) and the guard's pause caps. Pure; used by the tests
 * and printed by the task.
 */
import type { Expectation, ReplayResult, RunResult, Scenario } from "./types";

/** One failed expectation: which run, which key, the bound and what happened. */
export interface ExpectationFailure {
  run: string;
  key: string;
  bound: number | boolean;
  actual: number | boolean;
}

export function checkRun(run: RunResult, x: Expectation | undefined): ExpectationFailure[] {
  if (!x) return [];
  const out: ExpectationFailure[] = [];
  const min = (key: keyof Expectation, bound: number | undefined, actual: number) => {
    if (bound !== undefined && !(actual >= bound)) out.push({ run: run.run, key, bound, actual });
  };
  const max = (key: keyof Expectation, bound: number | undefined, actual: number) => {
    if (bound !== undefined && !(actual <= bound + 1e-9)) out.push({ run: run.run, key, bound, actual });
  };
  min("liquidationsMin", x.liquidationsMin, run.liquidations);
  max("liquidationsMax", x.liquidationsMax, run.liquidations);
  max("unnecessaryLiquidationsMax", x.unnecessaryLiquidationsMax, run.unnecessaryLiquidations);
  max("badDebtEthMax", x.badDebtEthMax, run.badDebtEth);
  min("pausedSecondsMin", x.pausedSecondsMin, run.pausedSeconds);
  max("pausedSecondsMax", x.pausedSecondsMax, run.pausedSeconds);
  min("tripsMin", x.tripsMin, run.trips);
  max("tripsMax", x.tripsMax, run.trips);
  min("attackerBorrowEthMin", x.attackerBorrowEthMin, run.attackerBorrowEth);
  max("attackerBorrowEthMax", x.attackerBorrowEthMax, run.attackerBorrowEth);
  max("minLtvBpsMax", x.minLtvBpsMax, run.minLtvBps);
  if (x.frozen !== undefined && run.frozen !== x.frozen) out.push({ run: run.run, key: "frozen", bound: x.frozen, actual: run.frozen });
  return out;
}

/** Every failure of the scenario's `expect` block (runs not in the result are skipped). */
export function checkExpectations(scenario: Scenario, result: ReplayResult): ExpectationFailure[] {
  return result.runs.flatMap((r) => checkRun(r, scenario.expect[r.run]));
}

/**
 * Paused time within the guard's hard limits: every pause <= maxPauseSeconds, and the paused seconds inside any
 * rolling window <= maxPausedSecondsPerWindow (checked at every pause start and end). Returns violations.
 */
export function pauseCapViolations(run: RunResult): string[] {
  const lim = run.guardLimits;
  if (!lim) return [];
  const out: string[] = [];
  for (const p of run.pauses) {
    if (p.endT - p.startT > lim.maxPauseSeconds) out.push(`pause at t=${p.startT} lasted ${p.endT - p.startT}s > maxPauseSeconds ${lim.maxPauseSeconds}`);
  }
  const edges = run.pauses.flatMap((p) => [p.startT, p.endT]);
  for (const end of edges) {
    const start = end - lim.windowSeconds;
    const inWindow = run.pauses.reduce((a, p) => a + Math.max(0, Math.min(p.endT, end) - Math.max(p.startT, start)), 0);
    if (inWindow > lim.maxPausedSecondsPerWindow) {
      out.push(`${inWindow}s paused in the window ending t=${end} > maxPausedSecondsPerWindow ${lim.maxPausedSecondsPerWindow}`);
    }
  }
  return out;
}

export function formatFailures(f: ExpectationFailure[]): string {
  return f.map((x) => `${x.run}.${x.key}: bound ${x.bound}, actual ${x.actual}`).join("; ");
}
