import fs from "fs";
import path from "path";
import { task, types } from "hardhat/config";

export const TASK_BENCH = "bench";

/**
 * `npm run bench`: runs every benchmark module under bench/ (or the ones named with --only).
 * Each module default-exports `async function run(hre, { quick })` and prints its own figures.
 * Performance targets are checked here, never in timed tests.
 */
task(TASK_BENCH, "Run the benchmarks under bench/ (model paths/s, gas, replay wall time)")
  .addOptionalParam("only", "comma-separated bench module names (file names without .ts)", undefined, types.string)
  .addFlag("quick", "smaller sizes, for a smoke run")
  .setAction(async (args: { only?: string; quick: boolean }, hre) => {
    const dir = path.join(hre.config.paths.root, "bench");
    const wanted = args.only?.split(",").map((s) => s.trim());
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".ts") && !f.startsWith("_"))
      .filter((f) => !wanted || wanted.includes(f.replace(/\.ts$/, "")))
      .sort();
    if (files.length === 0) throw new Error(`bench: no benchmark module matches --only ${args.only ?? ""} in ${dir}`);
    for (const f of files) {
      console.log(`\n=== bench/${f} ===`);
      const mod = await import(path.join(dir, f));
      await mod.default(hre, { quick: args.quick });
    }
  });
