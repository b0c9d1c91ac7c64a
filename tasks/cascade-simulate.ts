import { task, types } from "hardhat/config";
import { userTask } from "./lib/userTask";
import { UserError } from "../spec/errors";

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
  .setAction(userTask(TASK_CASCADE_SIMULATE, async (args: { ecosystem: string; paths: number; seed: number; out?: string; engine: string; workers?: number; json: boolean }) => {
    if (args.engine !== "fast" && args.engine !== "reference") throw new UserError({ field: "--engine", problem: "expected fast or reference", value: args.engine });
    const { runSimulateCli } = await import("../model/cli");
    await runSimulateCli({ ...args, engine: args.engine });
  }));
