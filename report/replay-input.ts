/**
 * Reader for replay results (`cascade-guard/replay-result@1`, written by `scenario:replay --json`,
 * see scripts/replay/types.ts). Only the fields the report draws are validated and kept (zod's default
 * strips the rest), so the schema's input type is checked against the replay area's `ReplayResult` in the tests.
 */
import { z } from "zod";
import { fromZod } from "./errors";
import { fmtEth, fmtSeconds, fmtBps } from "./format";
import type { ReplayView } from "./views";
import { REPLAY_RESULT_SCHEMA } from "../spec/formats";


const finite = z.number().finite();

export const TimelineRowSchema = z
  .object({
    t: finite.nonnegative(),
    marketPrice: finite.nonnegative(),
    exchangeRate: finite.positive(),
    backingRatio: finite.nonnegative().optional(),
    discountBps: finite,
    ltvBps: finite.min(0).max(10_000).optional(),
    liquidationThresholdBps: finite.min(0).max(10_000).optional(),
    paused: z.boolean(),
    frozen: z.boolean().optional(),
    liquidations: z.number().int().nonnegative(),
    liquidatedDebtEth: finite.nonnegative(),
    badDebtEth: finite.nonnegative().optional(),
  });

export const RunResultSchema = z
  .object({
    run: z.string().min(1),
    liquidations: z.number().int().nonnegative().optional(),
    liquidatedDebtEth: finite.optional(),
    positionsLiquidated: z.number().optional(),
    unnecessaryLiquidations: z.number().optional(),
    badDebtEth: finite.optional(),
    pausedSeconds: finite.optional(),
    trips: z.number().optional(),
    minLtvBps: finite.optional(),
    minLiquidationThresholdBps: finite.optional(),
    frozen: z.boolean().optional(),
    finalMarketPrice: finite.optional(),
    attackerBorrowEth: finite.optional(),
    badDebtAccounts: z.number().optional(),
    /** Part of badDebtEth on the attacker's forged collateral (valued at 0 when forgedCollateralInvalidated). */
    badDebtOnForgedCollateralEth: finite.optional(),
    forgedCollateralInvalidated: z.boolean().optional(),
    /** Pauses in seconds from the start of the replay (preferred over the per-step flags when present). */
    pauses: z.array(z.object({ startT: finite.nonnegative(), endT: finite.nonnegative() })).optional(),
    guardLimits: z
      .object({ maxPauseSeconds: finite, cooldownSeconds: finite, windowSeconds: finite, maxPausedSecondsPerWindow: finite })
      .nullable()
      .optional(),
    timeline: z.array(TimelineRowSchema).min(1, "a run needs at least one timeline row"),
  });

export const ReplayResultSchema = z
  .object({
    schema: z.literal(REPLAY_RESULT_SCHEMA).optional(),
    scenarioId: z.string().min(1),
    scenarioFile: z.string().optional(),
    title: z.string().optional(),
    collateral: z.string().optional(),
    oracle: z.string().optional(),
    /** Lending venue ("aave" when absent). */
    venue: z.string().optional(),
    inputHash: z.string().optional(),
    mode: z.string().optional(),
    seed: z.union([z.number(), z.string()]).optional(),
    runs: z.array(RunResultSchema).min(1, "a replay result needs at least one run"),
  });

export type ReplayResultInput = z.infer<typeof ReplayResultSchema>;

/** Validates one replay result (at `prefix` inside the file) and returns it typed. */
export function parseReplayResult(file: string, data: unknown, prefix: Array<string | number> = []): ReplayResultInput {
  const parsed = ReplayResultSchema.safeParse(data);
  if (!parsed.success) throw fromZod(file, parsed.error, prefix);
  return parsed.data;
}

/** Scenario fields the result does not carry itself (read from its scenario file when available). */
export interface ScenarioMeta {
  title?: string;
  collateral?: string;
  oracle?: string;
  synthetic?: boolean;
}

/** Names the venue beside the oracle regime when it is not Aave (Morpho replays read "market · Morpho Blue, LLTV"). */
function withVenue(oracle: string | undefined, venue: string | undefined): string | undefined {
  if (!venue || venue === "aave") return oracle;
  const name = venue === "morpho" ? "Morpho Blue (LTV/LT columns = the market's immutable LLTV)" : venue;
  return oracle ? `${oracle} · ${name}` : name;
}

/** Replay result -> report view (prices stay ETH per token, time in seconds). */
export function replayView(file: string, r: ReplayResultInput, meta: ScenarioMeta = {}): ReplayView {
  const title = r.title ?? meta.title ?? r.scenarioId;
  return {
    scenarioId: r.scenarioId,
    title: `${title}${meta.synthetic && !/synthetic/i.test(title) ? " (synthetic)" : ""}`,
    asset: r.collateral ?? meta.collateral ?? "",
    oracleRegime: withVenue(r.oracle ?? (meta.oracle ? `${meta.oracle}${meta.oracle === "market" ? " price" : ""}` : undefined), r.venue),
    sourceFile: file,
    runs: r.runs.map((run) => ({
      run: run.run,
      pausesSeconds: run.pauses?.map((p) => [p.startT, p.endT] as [number, number]),
      steps: run.timeline.map((row) => ({
        tSeconds: row.t - run.timeline[0].t,
        marketPrice: row.marketPrice,
        exchangeRate: row.exchangeRate,
        backingRatio: row.backingRatio,
        discountBps: row.discountBps,
        ltvBps: row.ltvBps,
        ltBps: row.liquidationThresholdBps,
        paused: row.paused,
        frozen: row.frozen,
        liquidationsCount: row.liquidations,
        liquidatedEth: row.liquidatedDebtEth,
        badDebtEth: row.badDebtEth,
      })),
      summary: {
        "liquidations (count)": run.liquidations ?? run.timeline.reduce((s, x) => s + x.liquidations, 0),
        "debt repaid by liquidators (ETH)": fmtEth(run.liquidatedDebtEth ?? run.timeline.reduce((s, x) => s + x.liquidatedDebtEth, 0)),
        "positions liquidated": run.positionsLiquidated ?? null,
        "unnecessary liquidations": run.unnecessaryLiquidations ?? null,
        "bad debt (ETH)": run.badDebtEth === undefined ? null : fmtEth(run.badDebtEth),
        "accounts with bad debt": run.badDebtAccounts ?? null,
        // only where an attacker borrowed or its collateral was invalidated (a row of "0" elsewhere says nothing)
        ...(run.badDebtOnForgedCollateralEth !== undefined && (run.badDebtOnForgedCollateralEth > 0 || run.forgedCollateralInvalidated)
          ? {
              "of which on the attacker's forged collateral (ETH)":
                fmtEth(run.badDebtOnForgedCollateralEth) + (run.forgedCollateralInvalidated ? " (invalidated: valued at 0)" : ""),
            }
          : {}),
        "attacker borrow (ETH)": run.attackerBorrowEth === undefined ? null : fmtEth(run.attackerBorrowEth),
        "time paused": run.pausedSeconds === undefined ? null : fmtSeconds(run.pausedSeconds),
        "guard trips": run.trips ?? null,
        "guard limits (max pause / cooldown / cap per window)": run.guardLimits
          ? `${fmtSeconds(run.guardLimits.maxPauseSeconds)} / ${fmtSeconds(run.guardLimits.cooldownSeconds)} / ${fmtSeconds(run.guardLimits.maxPausedSecondsPerWindow)} per ${fmtSeconds(run.guardLimits.windowSeconds)}`
          : null,
        "lowest LTV": run.minLtvBps === undefined ? null : fmtBps(run.minLtvBps),
        "lowest LT": run.minLiquidationThresholdBps === undefined ? null : fmtBps(run.minLiquidationThresholdBps),
        "reserve frozen": run.frozen === undefined ? null : run.frozen ? "yes" : "no",
        "final market price (ETH)": run.finalMarketPrice === undefined ? null : run.finalMarketPrice.toFixed(4),
      },
    })),
  };
}
