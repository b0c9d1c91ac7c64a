import fs from "fs";
import path from "path";
import { task, types } from "hardhat/config";
import { userTask } from "./lib/userTask";
import { UserError } from "../spec/errors";

export const TASK_BENCH = "bench";

/** The model benchmark runs without contracts; every other one deploys them (compiled first on a fresh clone). */
function benchNeedsArtifacts(only: string | undefined): boolean {
  return only === undefined || only.split(",").some((name) => name.trim() !== "model");
}

/**
 * `npm run bench`: runs every benchmark module under bench/ (or the ones named with --only).
 * Each module default-exports `async function run(hre, { quick })` and prints its own figures.
 * Performance targets are checked here, never in timed tests.
 */
task(TASK_BENCH, "Run the benchmarks under bench/ (model paths/s, gas, replay wall time)")
  .addOptionalParam("only", "comma-separated bench module names (file names without .ts)", undefined, types.string)
  .addFlag("quick", "smaller sizes, for a smoke run")
  .setAction(userTask(TASK_BENCH, async (args: { only?: string; quick: boolean }, hre) => {
    const dir = path.join(hre.config.paths.root, "bench");
    const wanted = args.only?.split(",").map((s) => s.trim());
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".ts") && !f.startsWith("_"))
      .filter((f) => !wanted || wanted.includes(f.replace(/\.ts$/, "")))
      .sort();
    if (files.length === 0) throw new UserError({ field: "--only", problem: `no benchmark module of that name in ${dir}`, value: args.only ?? "" });
    for (const f of files) {
      console.log(`\n=== bench/${f} ===`);
      const mod = await import(path.join(dir, f));
      await mod.default(hre, { quick: args.quick });
    }
  }, { needsArtifacts: (args) => benchNeedsArtifacts(args.only) }));
