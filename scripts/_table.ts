import fs from "fs";
import { checkExpectations, pauseCapViolations } from "./replay/expect";
import { loadScenario } from "./replay/loader";
const ids = ["synthetic-flash-dislocation", "ezeth-2024-04-24", "weeth-2024-08-05", "steth-2022-06", "exit-queue-2025-07", "synthetic-correlated-slash", "rseth-2026-04-18"];
const f = (x: number, d = 1) => x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: 0 });
console.log("| scenario | oracle | Aave | run | liquidations | unnecessary | bad debt ETH (deficit) | paused h | trips | min LTV / LT | frozen | attacker borrow ETH | expect / caps |");
console.log("|---|---|---|---|---:|---:|---:|---:|---:|---|---|---:|---|");
for (const id of ids) {
  for (const v of ["3.0", "3.6"]) {
    const r = JSON.parse(fs.readFileSync(`/tmp/cg-replays/${v}/${id}.json`, "utf8"));
    const sc = loadScenario(id).scenario;
    const fails = checkExpectations(sc, r);
    for (const run of r.runs) {
      const caps = run.run === "protected" ? pauseCapViolations(run) : [];
      const myFails = fails.filter((x: { run?: string }) => (x as { run?: string }).run === run.run || JSON.stringify(x).includes(run.run));
      console.log(`| ${run.run === "baseline" && v === "3.0" ? id : ""} | ${run.run === "baseline" && v === "3.0" ? sc.oracle : ""} | ${run.run === "baseline" ? v : ""} | ${run.run} | ${run.liquidations} | ${run.unnecessaryLiquidations} | ${f(run.badDebtEth)}${run.reserveDeficitEth !== undefined ? ` (${f(run.reserveDeficitEth)})` : ""} | ${f(run.pausedSeconds / 3600, 2)} | ${run.trips} | ${run.minLtvBps} / ${run.minLiquidationThresholdBps} | ${run.frozen ? "yes" : "no"} | ${f(run.attackerBorrowEth, 0)} | ${myFails.length === 0 && caps.length === 0 ? "met" : JSON.stringify(myFails.map((x: unknown) => x)).slice(0, 140) + (caps.length ? " caps:" + caps.join(";") : "")} |`);
    }
  }
}
