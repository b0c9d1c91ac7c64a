/**
 * `npm run demo` (= `npx hardhat demo`): simulate the bundled ecosystem -> compute params -> deploy the Aave replica
 * (v3.6 by default, `--aave 3.0` for v3.0.2) + Cascade Guard -> replay bundled scenarios baseline vs protected -> write the HTML report.
 * Thin: the pipeline lives in scripts/demo.ts.
 */
import { task, types } from "hardhat/config";
import { userTask } from "./lib/userTask";
import { UserError } from "../spec/errors";

export const TASK_DEMO = "demo";

task(TASK_DEMO, "Quick start: simulate, compute params, replay scenarios on a local Aave v3 replica (baseline vs protected), write a report")
  .addOptionalParam("out", "output directory", "reports/demo", types.string)
  .addOptionalParam("aave", "Aave generation of the local replica: 3.6 or 3.0", "3.6", types.string)
  .addOptionalParam("paths", "Monte Carlo paths for the simulation step", 100_000, types.int)
  .addOptionalParam("seed", "simulation seed", 7, types.int)
  .addOptionalParam("scenarios", "comma-separated scenario ids or files (default: flash dislocation, correlated slash, rsETH forged backing)", undefined, types.string)
  .addOptionalParam("png", "also write one PNG per chart into this directory (headless Chromium)", undefined, types.string)
  .setAction(userTask(TASK_DEMO, async (args: { aave: string; out: string; paths: number; seed: number; scenarios?: string; png?: string }, hre) => {
    if (hre.network.name !== "hardhat")
      throw new UserError({ field: "--network", problem: "the demo runs on the in-process network only", value: hre.network.name, fix: "drop --network; use scenario:replay with FORK_URL for a fork" });
    const { parseAaveVersion } = await import("../scripts/aave/deployAaveV3");
    const aave = parseAaveVersion(args.aave);
    const { runDemo } = await import("../scripts/demo");
    const started = Date.now();
    await runDemo({
      hre,
      aave,
      outDir: args.out,
      paths: args.paths,
      seed: args.seed,
      scenarios: args.scenarios?.split(",").map((s) => s.trim()).filter(Boolean),
      pngDir: args.png,
    });
    console.log(`demo finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, { needsArtifacts: true }));
