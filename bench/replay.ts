/**
 * Replay benchmark: a 24-hour scenario at 5-minute steps (289 steps) with 400 positions, baseline and protected, on
 * the local replica, on Aave v3.6 and on v3.0.2 (`BENCH_AAVE=3.6` or `3.0` runs one). Target: deploy, population and
 * both runs within 30 s per version. Wall time depends on what else the machine runs; the process's CPU time is printed
 * next to it (a quiet machine's wall time is close to it). `--quick` runs 6 hours with 100 positions.
 */
import fs from "fs";
import os from "os";
import path from "path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Scenario } from "../scripts/replay/types";

export const TARGET_SECONDS = 30;

/** The benchmark scenario: an ezETH-like market-price day with a dislocation at 06:00 and a 1% slash at 14:00. */
export function benchScenario(quick: boolean): Scenario {
  const hours = quick ? 6 : 24;
  const h = (x: number) => Math.round(x * 3600 * (hours / 24));
  return {
    schema: "cascade-guard/scenario@1",
    id: quick ? "bench-replay-quick" : "bench-replay-24h",
    title: `Benchmark: ${hours} h at 5-minute steps, ${quick ? 100 : 400} positions`,
    description: "Synthetic benchmark (our construction): a market-price dislocation and a small slash within one day.",
    sources: ["Synthetic benchmark scenario (est.)"],
    synthetic: true,
    collateral: "ezETH",
    debt: "WETH",
    oracle: "market",
    emode: true,
    stepSeconds: 300,
    durationSeconds: hours * 3600,
    path: [
      { t: 0, marketPrice: 1.0, exchangeRate: 1.0, backingRatio: 1.0 },
      { t: h(6), marketPrice: 1.0 },
      { t: h(6.5), marketPrice: 0.93 },
      { t: h(8), marketPrice: 0.99 },
      { t: h(20), marketPrice: 0.985 },
      { t: h(24), marketPrice: 0.99 },
    ],
    events: [{ t: h(14), kind: "slash", exchangeRateDropBps: 100 }],
    positions: { count: quick ? 100 : 400, seed: 24, totalCollateral: 30000, healthFactor: { min: 1.01, mode: 1.08, max: 2.0 } },
    dex: { kind: "constant-product", depth: 5000 },
    reflexive: true,
    expect: {},
  };
}

export default async function run(hre: HardhatRuntimeEnvironment, opts: { quick: boolean }): Promise<void> {
  const { runScenarioReplay } = await import("../scripts/replay/run");
  // Load (transpile) the modules a replay imports lazily before the clock starts: the figure is the replay's time,
  // not TypeScript's. The signers are fetched once for the same reason.
  await Promise.all([import("../scripts/replay/replicaSetup"), import("../scripts/replay/guardInstall")]);
  await hre.ethers.getSigners();
  const { parseAaveVersion } = await import("../scripts/aave/deployAaveV3");
  const scenario = benchScenario(opts.quick);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cg-bench-")), `${scenario.id}.json`);
  fs.writeFileSync(file, JSON.stringify(scenario, null, 2));
  // BENCH_PROFILE=1: where the time goes (phases, world methods, RPC methods); see scripts/replay/profile.ts.
  const profiling = process.env.BENCH_PROFILE === "1";
  const versions = process.env.BENCH_AAVE ? [parseAaveVersion(process.env.BENCH_AAVE, "BENCH_AAVE")] : (["3.6", "3.0"] as const);
  console.log(`replay bench: ${scenario.title} (load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}, ${os.cpus().length} cores)`);
  for (const aave of versions) {
    const t0 = Date.now();
    const cpu0 = process.cpuUsage();
    const profile = profiling ? (await import("../scripts/replay/profile")).installReplayProfiler(hre) : undefined;
    const setup = profile ? profile.wrapSetup((await import("../scripts/replay/replicaSetup")).replicaMarketSetup) : undefined;
    const { result } = await runScenarioReplay({ hre, scenario: file, aave, setup });
    const total = (Date.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const steps = result.runs[0]?.timeline.length ?? 0;
    console.log(`  Aave v${aave}`);
    for (const r of result.runs) {
      console.log(`    ${r.run.padEnd(9)} ${r.wallSeconds.toFixed(1)} s for ${steps} steps, ${r.liquidations} liquidations, paused ${r.pausedSeconds} s`);
    }
    console.log(
      `    total (deploy + ${scenario.positions.count} positions + both runs): ${total.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU; ` +
        `target <= ${TARGET_SECONDS} s: ${total <= TARGET_SECONDS ? "MET" : "MISSED"} (wall)`,
    );
    if (profile) console.log(profile.table());
  }
}
