/**
 * The replay part of `npm run demo`: replays two bundled scenarios (default: the synthetic flash dislocation and the
 * rsETH forged-backing case), baseline vs protected, on the local replica with Cascade Guard installed from the
 * params the parameter engine just computed, and prints the comparison. `npm run demo` (scripts/demo.ts) calls it after
 * `cascade:simulate` and `params:compute`:
 *
 *   const { runReplayDemo } = await import("../scripts/replay/demo");
 *   await runReplayDemo({ hre, paramsFile: "<the params:compute output>", outDir: "reports/demo" });
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { AaveVersion } from "../aave/deployAaveV3";
import { checkExpectations, formatFailures } from "./expect";
import { loadParamsFile } from "../../model/params/schema";
import { runScenarioReplay } from "./run";
import type { ReplayResult } from "./types";

export const DEMO_SCENARIOS = ["synthetic-flash-dislocation", "rseth-2026-04-18"];

export interface ReplayDemoRequest {
  hre: HardhatRuntimeEnvironment;
  /** Aave generation of the replica (default "3.6"). */
  aave?: AaveVersion;
  /** `cascade-guard/params@1` file from `params:compute`; without it each scenario's own params are used. */
  paramsFile?: string;
  /** Scenario ids or files; default `DEMO_SCENARIOS`. */
  scenarios?: string[];
  /** Where `<id>.md` and `<id>.json` go (optional). */
  outDir?: string;
  /** Where to print; default stdout. */
  log?: (line: string) => void;
}

export async function runReplayDemo(req: ReplayDemoRequest): Promise<ReplayResult[]> {
  const log = req.log ?? ((l: string) => process.stdout.write(l + "\n"));
  const params = req.paramsFile ? loadParamsFile(req.paramsFile) : undefined;
  const results: ReplayResult[] = [];
  for (const id of req.scenarios ?? DEMO_SCENARIOS) {
    const outcome = await runScenarioReplay({ hre: req.hre, aave: req.aave, scenario: id, params, paramsFile: req.paramsFile, outDir: req.outDir, json: req.outDir !== undefined });
    log(outcome.markdown);
    const failures = checkExpectations(outcome.loaded.scenario, outcome.result);
    log(failures.length === 0 ? `expectations of ${id}: all met\n` : `expectations of ${id}: NOT met: ${formatFailures(failures)}\n`);
    results.push(outcome.result);
  }
  return results;
}
