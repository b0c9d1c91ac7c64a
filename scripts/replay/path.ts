/**
 * Pure stepping logic of a replay: the scenario's exogenous inputs at any time (piecewise-linear path with
 * hold-last-value, slash events applied multiplicatively), the step schedule and which events fire at which step.
 * No chain, no randomness.
 */
import { ExogenousState, PathPoint, Scenario, ScenarioEvent } from "./types";

type PathField = "marketPrice" | "exchangeRate" | "backingRatio" | "dexDepth";
const FIELDS: PathField[] = ["marketPrice", "exchangeRate", "backingRatio", "dexDepth"];

/** A path with every field filled at every point (forward fill: a field left out holds its last value). */
export interface DensePath {
  t: number[];
  marketPrice: number[];
  exchangeRate: number[];
  backingRatio: number[];
  /** NaN where no depth has been set yet. */
  dexDepth: number[];
}

/**
 * Forward-fills the path: at each point, a field left out takes the value it had at the previous point, so the
 * segment before it is flat ("holds its last value") and the segment after it interpolates from the held value.
 */
export function densifyPath(path: PathPoint[]): DensePath {
  const dense: DensePath = { t: [], marketPrice: [], exchangeRate: [], backingRatio: [], dexDepth: [] };
  const last: Record<PathField, number> = { marketPrice: NaN, exchangeRate: NaN, backingRatio: 1, dexDepth: NaN };
  for (const p of path) {
    dense.t.push(p.t);
    for (const f of FIELDS) {
      const v = p[f];
      if (v !== undefined) last[f] = v;
      dense[f].push(last[f]);
    }
  }
  return dense;
}

/** Linear interpolation of one dense series at time t; holds the first/last value outside the path. */
export function interpolate(ts: number[], values: number[], t: number): number {
  if (t <= ts[0]) return values[0];
  const n = ts.length;
  if (t >= ts[n - 1]) return values[n - 1];
  // Binary search for the segment [ts[i], ts[i+1]) containing t.
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] <= t) lo = mid;
    else hi = mid;
  }
  const a = values[lo];
  const b = values[hi];
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(b) ? a : a; // depth not set yet: no change
  const w = (t - ts[lo]) / (ts[hi] - ts[lo]);
  return a + (b - a) * w;
}

/** Cumulative NAV factor of every slash with time <= t: prod(1 - dropBps / 1e4). */
export function slashFactorAt(events: ScenarioEvent[], t: number): number {
  let f = 1;
  for (const e of events) if (e.kind === "slash" && e.t <= t) f *= 1 - e.exchangeRateDropBps / 10_000;
  return f;
}

/**
 * The exogenous state at time t. A slash scales the exchange rate and the market price from its time on
 * (a NAV loss moves the market at least as much); the path's own marketPrice moves come on top.
 */
export function exogenousAt(request: { scenario: Scenario; dense?: DensePath; t: number }): ExogenousState {
  const dense = request.dense ?? densifyPath(request.scenario.path);
  const { t } = request;
  const slash = slashFactorAt(request.scenario.events, t);
  const depth = interpolate(dense.t, dense.dexDepth, t);
  return {
    t,
    marketPrice: interpolate(dense.t, dense.marketPrice, t) * slash,
    exchangeRate: interpolate(dense.t, dense.exchangeRate, t) * slash,
    backingRatio: interpolate(dense.t, dense.backingRatio, t),
    ...(Number.isNaN(depth) ? {} : { dexDepth: depth }),
  };
}

/** Replay length in seconds: durationSeconds, else the last path time. */
export function replayDurationSeconds(s: Scenario): number {
  return s.durationSeconds ?? s.path[s.path.length - 1].t;
}

/** Step times 0, step, 2*step, ... up to and including the duration (the last step is clamped to it). */
export function stepTimes(s: Scenario): number[] {
  const duration = replayDurationSeconds(s);
  const out: number[] = [];
  for (let t = 0; t < duration; t += s.stepSeconds) out.push(t);
  out.push(duration);
  return out;
}

/**
 * Events that fire at the step at time `t`, given the previous step time (`prevT`, -1 before the first step):
 * an event at time e fires at the first step with step time >= e. Slashes are continuous state (see
 * `exogenousAt`); this returns every kind so drivers can log them.
 */
export function eventsDue(events: ScenarioEvent[], prevT: number, t: number): ScenarioEvent[] {
  return events.filter((e) => e.t > prevT && e.t <= t);
}
