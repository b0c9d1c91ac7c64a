/**
 * `npm run demo`: the whole Cascade Guard pipeline on the embedded default market (a local Aave v3.0.2 replica).
 *
 *   1. cascade:simulate  the bundled ecosystem (correlated AVS slashing -> NAV -> depeg -> liquidations -> bad debt)
 *   2. params:compute    haircuts, haircut-widening curve and guard trip under the default policy
 *   3. scenario:replay   bundled scenarios through the real Aave Pool, baseline vs protected (params from step 2)
 *   4. report            one self-contained HTML page (and PNGs on request)
 *
 * Each step calls the same code as its task; every file lands in `outDir`.
 */
import fs from "fs";
import path from "path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ReplayResult } from "./replay/types";
import { renderTable, type ColumnAlign } from "../spec/table";
import { DEFAULT_AAVE_VERSION, type AaveVersion } from "./aave/deployAaveV3";
import { runParamsCli, runSimulateCli } from "../model/cli";
import { writeReportFromObjects } from "../report";
import { runReplayDemo } from "./replay/demo";

export const DEMO_ECOSYSTEM = "scenarios/ecosystems/ethereum-2026.json";
export const DEMO_POLICY = "scenarios/ecosystems/policy-default.json";
/** A liquidity dislocation (NAV intact), a real loss (correlated slashing) and forged backing (rsETH 2026-04). */
export const DEMO_SCENARIOS = ["synthetic-flash-dislocation", "synthetic-correlated-slash", "rseth-2026-04-18"];

export interface DemoRequest {
  hre: HardhatRuntimeEnvironment;
  /** Aave generation of the replica (default "3.6"). */
  aave?: AaveVersion;
  outDir: string;
  /** Monte Carlo paths of step 1. */
  paths: number;
  seed: number;
  scenarios?: string[];
  /** Directory for one PNG per chart (needs Chromium); none when undefined. */
  pngDir?: string;
  log?: (line: string) => void;
}

export interface DemoOutcome {
  simulationFile: string;
  paramsFile: string;
  replays: ReplayResult[];
  reportFile: string;
  charts: number;
}

export async function runDemo(req: DemoRequest): Promise<DemoOutcome> {
  const log = req.log ?? ((line: string) => console.log(line));
  const root = req.hre.config.paths.root;
  const outDir = path.resolve(root, req.outDir);
  fs.mkdirSync(outDir, { recursive: true });
  const step = (n: number, title: string) => log(`\n== ${n}/4 ${title}`);

  step(1, `cascade:simulate ${DEMO_ECOSYSTEM} (${req.paths.toLocaleString("en-US")} paths, seed ${req.seed})`);
  const simulationFile = path.join(outDir, "simulation.json");
  const simulation = await runSimulateCli({
    ecosystem: path.join(root, DEMO_ECOSYSTEM),
    paths: req.paths,
    seed: req.seed,
    out: simulationFile,
    json: false,
    engine: "fast",
  });

  step(2, `params:compute under ${DEMO_POLICY}`);
  const paramsFile = path.join(outDir, "params.json");
  const params = await runParamsCli({ ecosystem: path.join(root, DEMO_ECOSYSTEM), policy: path.join(root, DEMO_POLICY), out: paramsFile, json: false });

  step(3, `scenario:replay on the local Aave v${req.aave ?? DEFAULT_AAVE_VERSION} replica, baseline vs protected`);
  const replays = await runReplayDemo({ hre: req.hre, aave: req.aave, paramsFile, scenarios: req.scenarios ?? DEMO_SCENARIOS, outDir, log });
  log(formatComparison(replays));

  step(4, "report");
  const ecosystemFile = path.join(root, DEMO_ECOSYSTEM);
  const { outFile, charts } = await writeReportFromObjects({
    objects: [
      { name: DEMO_ECOSYSTEM, data: JSON.parse(fs.readFileSync(ecosystemFile, "utf8")) },
      { name: "simulation.json", data: simulation },
      { name: "params.json", data: params },
      ...replays.map((r) => ({ name: `${r.scenarioId}.json`, data: r })),
    ],
    outFile: path.join(outDir, "report.html"),
    pngDir: req.pngDir ? path.resolve(root, req.pngDir) : undefined,
  });
  log(`report: ${path.relative(root, outFile)} (${charts.length} charts)${req.pngDir ? `, PNGs in ${req.pngDir}` : ""}`);
  return { simulationFile, paramsFile, replays, reportFile: outFile, charts: charts.length };
}

/** One line per scenario and run: what the protected market changed against the unprotected one. */
export function formatComparison(replays: readonly ReplayResult[]): string {
  const head = ["scenario", "run", "liquidations", "unnecessary", "liquidated debt ETH", "bad debt ETH", "paused h", "trips", "min LTV %", "min LT %", "frozen", "attacker borrow ETH"];
  const rows = replays.flatMap((r) =>
    r.runs.map((x) => [
      r.scenarioId,
      x.run,
      String(x.liquidations),
      String(x.unnecessaryLiquidations),
      x.liquidatedDebtEth.toFixed(1),
      x.badDebtEth.toFixed(2),
      (x.pausedSeconds / 3600).toFixed(2),
      String(x.trips),
      (x.minLtvBps / 100).toFixed(2),
      (x.minLiquidationThresholdBps / 100).toFixed(2),
      x.frozen ? "yes" : "no",
      x.attackerBorrowEth.toFixed(0),
    ]),
  );
  const align = head.map((_, i): ColumnAlign => (i < 2 ? "left" : "right"));
  return ["\nBaseline (no Cascade Guard) vs protected, same market, same positions:", renderTable(head, rows, align)].join("\n");
}
