/** Markdown and JSON outputs of a replay (baseline vs protected). Pure formatting, plus one writer. */
import fs from "fs";
import path from "path";
import { ReplayResult, RunResult, Scenario } from "./types";

const fmt = (x: number, digits = 2) =>
  Number.isFinite(x) ? x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : String(x);

/** Rows of the comparison table: label and how to print a run's value. */
const ROWS: [string, (r: RunResult) => string][] = [
  ["Liquidations", (r) => String(r.liquidations)],
  ["Liquidated debt (ETH)", (r) => fmt(r.liquidatedDebtEth)],
  ["Seized collateral (tokens)", (r) => fmt(r.seizedCollateral)],
  ["Positions liquidated", (r) => String(r.positionsLiquidated)],
  ["Unnecessary liquidations", (r) => String(r.unnecessaryLiquidations)],
  ["Bad debt (ETH)", (r) => fmt(r.badDebtEth)],
  ["of which on the attacker's forged collateral (ETH)", (r) => fmt(r.badDebtOnForgedCollateralEth ?? 0) + (r.forgedCollateralInvalidated ? " (invalidated: valued at 0)" : "")],
  ["of which reserve deficit (ETH, v3.3+)", (r) => (r.reserveDeficitEth === undefined ? "n/a" : fmt(r.reserveDeficitEth))],
  ["Paused (s)", (r) => String(r.pausedSeconds)],
  ["Trips", (r) => String(r.trips)],
  ["Min LTV / LT (bps)", (r) => `${r.minLtvBps} / ${r.minLiquidationThresholdBps}`],
  ["Frozen", (r) => (r.frozen ? "yes" : "no")],
  ["Final market price (ETH)", (r) => fmt(r.finalMarketPrice, 4)],
  ["Attacker borrow (ETH)", (r) => fmt(r.attackerBorrowEth)],
];

/** One markdown table per scenario: a column per run. */
export function markdownTable(result: ReplayResult, scenario: Pick<Scenario, "title" | "id" | "oracle">): string {
  const head = `| metric | ${result.runs.map((r) => r.run).join(" | ")} |`;
  const sep = `|---|${result.runs.map(() => "---:").join("|")}|`;
  const rows = ROWS.map(([label, f]) => `| ${label} | ${result.runs.map(f).join(" | ")} |`);
  return [
    `### ${scenario.title}`,
    "",
    `Scenario \`${scenario.id}\` (${result.mode}, ${result.venue === "morpho" ? "Morpho Blue" : `Aave ${result.aaveVersion}`}, ${scenario.oracle} oracle, input sha256 \`${result.inputHash.slice(0, 12)}\`, seed ${result.seed})` +
      (result.runs.find((r) => r.guardSettingsSource) ? `; protected with ${result.runs.find((r) => r.guardSettingsSource)!.guardSettingsSource} parameters.` : "."),
    "",
    head,
    sep,
    ...rows,
    "",
  ].join("\n");
}

/** Writes `<id>.md` (and `<id>.json` when asked) into `outDir`; returns the paths written. */
export function writeReplayOutputs(request: {
  result: ReplayResult;
  scenario: Scenario;
  outDir: string;
  json: boolean;
}): string[] {
  fs.mkdirSync(request.outDir, { recursive: true });
  const written: string[] = [];
  const md = path.join(request.outDir, `${request.result.scenarioId}.md`);
  fs.writeFileSync(md, markdownTable(request.result, request.scenario));
  written.push(md);
  if (request.json) {
    const js = path.join(request.outDir, `${request.result.scenarioId}.json`);
    fs.writeFileSync(js, JSON.stringify(request.result, null, 2) + "\n");
    written.push(js);
  }
  return written;
}
