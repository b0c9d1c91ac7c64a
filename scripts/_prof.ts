import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import { benchScenario } from "../bench/replay";
import { ChainWorld } from "../scripts/replay/chainWorld";
import { runScenarioReplay } from "../scripts/replay/run";

const worlds: ChainWorld[] = [];
const origInit = (ChainWorld.prototype as unknown as { init: () => Promise<void> }).init;
(ChainWorld.prototype as unknown as { init: () => Promise<void> }).init = async function (this: ChainWorld) { worlds.push(this); return origInit.call(this); };
const stats = new Map<string, { n: number; ms: number }>();
const proto = ChainWorld.prototype as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
for (const k of ["advanceTo", "dexPrice", "dexMoveTo", "dexSetDepth", "setFeeds", "runKeepers", "liquidate", "observe", "accounts", "init", "pauses"]) {
  const orig = proto[k];
  proto[k] = async function (this: unknown, ...a: unknown[]) {
    const t = Date.now();
    try { return await orig.apply(this, a); } finally {
      const s = stats.get(k) ?? { n: 0, ms: 0 }; s.n++; s.ms += Date.now() - t; stats.set(k, s);
    }
  };
}
async function main() {
  const quick = process.env.QUICK === "1";
  const scenario = benchScenario(quick);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cg-prof-")), `${scenario.id}.json`);
  fs.writeFileSync(file, JSON.stringify(scenario));
  const t0 = Date.now();
  const phases: Record<string, number> = {};
  let last = Date.now(); let lastPhase = "setup";
  const { result } = await runScenarioReplay({ hre, scenario: file, aave: (process.env.AAVE ?? "3.6") as "3.6", onProgress: (ph) => { if (ph !== lastPhase) { phases[lastPhase] = (phases[lastPhase] ?? 0) + Date.now() - last; last = Date.now(); lastPhase = ph; } } });
  phases[lastPhase] = (phases[lastPhase] ?? 0) + Date.now() - last;
  console.log("total", (Date.now() - t0) / 1000, "phases", phases);
  for (const r of result.runs) console.log(r.run, r.wallSeconds, r.liquidations, r.pausedSeconds, r.badDebtEth);
  console.log("reverts", worlds.map((w) => w.liquidationReverts), "keeperFailures", worlds.map((w) => w.keeperFailures), "cpu s", process.cpuUsage().user / 1e6);
  console.log([...stats.entries()].map(([k, v]) => `${k}: n=${v.n} ms=${v.ms}`).join("\n"));
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
