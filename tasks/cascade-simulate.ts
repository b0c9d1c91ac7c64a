import { task, types } from "hardhat/config";

export const TASK_CASCADE_SIMULATE = "cascade:simulate";

/**
 * Monte Carlo cascade simulation: AVS faults -> slashing -> LRT NAV -> depeg -> liquidations -> bad debt.
 * Example: npx hardhat cascade:simulate --ecosystem scenarios/ecosystems/ethereum-2026.json --paths 1000000 --seed 7 --out reports/sim.json
 * `--ecosystem generated:large` runs the seeded benchmark ecosystem (20 LRTs, 500 operators, 100 AVSs, 100k positions).
 */
task(TASK_CASCADE_SIMULATE, "Simulate slashing cascades on an ecosystem and report bad-debt tails")
  .addParam("ecosystem", "ecosystem JSON file, or generated:<small|medium|large>[:seed]", undefined, types.string)
  .addOptionalParam("paths", "Monte Carlo paths", 100_000, types.int)
  .addOptionalParam("seed", "random seed (non-negative integer)", 1, types.int)
  .addOptionalParam("out", "write the full output JSON here", undefined, types.string)
  .addOptionalParam("engine", "fast | reference", "fast", types.string)
  .addOptionalParam("workers", "worker threads for the fast engine (default: CPU count from 100,000 paths; 0 = in-process)", undefined, types.int)
  .addFlag("json", "print only the output JSON on stdout")
  .setAction(async (args: { ecosystem: string; paths: number; seed: number; out?: string; engine: string; workers?: number; json: boolean }) => {
    if (args.engine !== "fast" && args.engine !== "reference") throw new Error(`--engine: expected fast or reference, found "${args.engine}"`);
    const { runSimulateCli } = await import("../model/cli");
    try {
      await runSimulateCli({ ...args, engine: args.engine });
    } catch (e) {
      // Input errors (file, field, problem) are reported as such, not as an internal Hardhat failure.
      const { HardhatPluginError } = await import("hardhat/plugins");
      throw new HardhatPluginError("cascade-guard", (e as Error).message, e as Error);
    }
  });
