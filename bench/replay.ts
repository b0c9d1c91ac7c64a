/**
 * Replay benchmark: a 24-hour scenario at 5-minute steps (289 steps) with 400 positions, baseline and protected, on
 * the local replica. Target: both runs (deploy and population included) in under 3 minutes on this machine.
 * `--quick` runs 6 hours with 100 positions.
 */
import fs from "fs";
import os from "os";
import path from "path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Scenario } from "../scripts/replay/types";

export const TARGET_SECONDS = 180;

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
  const scenario = benchScenario(opts.quick);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cg-bench-")), `${scenario.id}.json`);
  fs.writeFileSync(file, JSON.stringify(scenario, null, 2));
  const t0 = Date.now();
  const { result } = await runScenarioReplay({ hre, scenario: file });
  const total = (Date.now() - t0) / 1000;
  const steps = result.runs[0]?.timeline.length ?? 0;
  console.log(`replay bench: ${scenario.title}`);
  for (const r of result.runs) {
    console.log(`  ${r.run.padEnd(9)} ${r.wallSeconds.toFixed(1)} s for ${steps} steps, ${r.liquidations} liquidations, paused ${r.pausedSeconds} s`);
  }
  console.log(`  total (deploy + ${scenario.positions.count} positions + both runs): ${total.toFixed(1)} s; target < ${TARGET_SECONDS} s: ${total < TARGET_SECONDS ? "MET" : "MISSED"}`);
}
