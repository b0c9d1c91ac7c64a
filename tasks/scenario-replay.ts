/**
 * `npx hardhat scenario:replay --scenario F [--aave 3.6|3.0] [--runs baseline,protected] [--params FILE] [--out DIR] [--json]`
 *
 * Replays a scenario (a file, or the id of a bundled one in scenarios/) against the local Aave replica (v3.6 by default, v3.0.2 with --aave 3.0), or
 * against a fork when FORK_URL (and FORK_BLOCK) are set: baseline (no Cascade Guard) vs protected. Prints the
 * markdown comparison (or the JSON result with --json) and writes both into --out. Thin: the work lives in
 * scripts/replay/.
 */
import { task, types } from "hardhat/config";
import { userTask } from "./lib/userTask";

export const TASK_SCENARIO_REPLAY = "scenario:replay";

task(TASK_SCENARIO_REPLAY, "Replays a depeg/slashing scenario through a real Aave v3 market, baseline vs protected")
  .addParam("scenario", "Scenario file, or the id of a bundled scenario (scenarios/<id>.json)", undefined, types.string)
  .addOptionalParam("aave", "Aave generation of the local replica: 3.6 or 3.0 (fork mode probes the fork instead)", "3.6", types.string)
  .addOptionalParam("runs", "Comma-separated runs: baseline,protected", "baseline,protected", types.string)
  .addOptionalParam("params", "cascade-guard/params@1 file for the protected run (default: the scenario's own params)", undefined, types.string)
  .addOptionalParam("out", "Directory for <id>.md (and <id>.json with --json)", undefined, types.string)
  .addFlag("json", "Print the JSON result instead of the table (and write <id>.json into --out)")
  .setAction(userTask(TASK_SCENARIO_REPLAY, async (args: { scenario: string; aave: string; runs: string; params?: string; out?: string; json: boolean }, hre) => {
    const { runScenarioReplay, parseRuns } = await import("../scripts/replay/run");
    const { parseAaveVersion } = await import("../scripts/aave/deployAaveV3");
    const { progressReporter } = await import("../scripts/replay/progress");
    const progress = args.json ? undefined : progressReporter();
    try {
      const aave = parseAaveVersion(args.aave);
      const runs = parseRuns(args.runs);
      const outcome = await runScenarioReplay({
        hre,
        scenario: args.scenario,
        aave,
        runs,
        paramsFile: args.params,
        outDir: args.out,
        json: args.json,
        onProgress: progress?.update,
      });
      progress?.stop();
      for (const n of outcome.notes) process.stderr.write(n + "\n");
      if (args.json) process.stdout.write(JSON.stringify(outcome.result, null, 2) + "\n");
      else process.stdout.write(outcome.markdown + "\n");
      for (const f of outcome.written) process.stderr.write(`wrote ${f}\n`);
    } finally {
      progress?.stop();
    }
  }, { needsArtifacts: true }));
