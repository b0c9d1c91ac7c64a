/**
 * Every bundled scenario replayed through the real Aave v3.0.2 replica, baseline vs protected: the scenario's
 * `expect` block (a dislocation may be paused, a real loss never is; the protected run does no worse than the
 * baseline where the scenario says so) and the guard's pause caps.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import { runScenarioReplay } from "../../scripts/replay/run";
import { checkExpectations, formatFailures, pauseCapViolations } from "../../scripts/replay/expect";
import { ScenarioValidationError, loadScenario } from "../../scripts/replay/loader";
import type { ReplayResult, RunResult } from "../../scripts/replay/types";

const cache = new Map<string, ReplayResult>();
async function replay(id: string): Promise<ReplayResult> {
  const hit = cache.get(id);
  if (hit) return hit;
  const { result } = await runScenarioReplay({ hre, scenario: id, aave: "3.0" });
  cache.set(id, result);
  return result;
}
const run = (r: ReplayResult, kind: "baseline" | "protected"): RunResult => {
  const x = r.runs.find((y) => y.run === kind);
  if (!x) throw new Error(`no ${kind} run`);
  return x;
};

function commonChecks(id: string, r: ReplayResult) {
  const scenario = loadScenario(id).scenario;
  const failures = checkExpectations(scenario, r);
  expect(failures, formatFailures(failures)).to.deep.equal([]);
  const p = run(r, "protected");
  expect(p.guardLimits, "protected run reads the guard's limits").to.not.equal(null);
  expect(pauseCapViolations(p)).to.deep.equal([]);
  expect(run(r, "baseline").pausedSeconds).to.equal(0);
  const steps = Math.ceil((scenario.durationSeconds ?? scenario.path[scenario.path.length - 1].t) / scenario.stepSeconds) + 1;
  for (const x of r.runs) expect(x.timeline).to.have.length(steps);
}

describe("scenario replays (replica, baseline vs protected)", function () {
  describe("synthetic flash dislocation (exchange rate intact)", function () {
    it("meets its expect block; protected has fewer unnecessary liquidations than baseline, within the pause caps", async function () {
      const r = await replay("synthetic-flash-dislocation");
      commonChecks("synthetic-flash-dislocation", r);
      const b = run(r, "baseline");
      const p = run(r, "protected");
      expect(b.unnecessaryLiquidations).to.be.greaterThan(0);
      expect(p.unnecessaryLiquidations).to.be.lessThan(b.unnecessaryLiquidations);
      expect(p.trips).to.be.greaterThan(0);
    });
  });

  describe("synthetic correlated slash (NAV -6%)", function () {
    it("meets its expect block; the guard never pauses and the haircut widens", async function () {
      const r = await replay("synthetic-correlated-slash");
      commonChecks("synthetic-correlated-slash", r);
      const p = run(r, "protected");
      expect(p.pausedSeconds).to.equal(0);
      expect(p.trips).to.equal(0);
      const startLtv = p.timeline[0].ltvBps;
      expect(p.minLtvBps).to.be.lessThan(startLtv);
    });
  });

  describe("rsETH forged backing, 2026-04-18", function () {
    it("meets its expect block; the protected market lends the attacker less than baseline", async function () {
      const r = await replay("rseth-2026-04-18");
      commonChecks("rseth-2026-04-18", r);
      expect(run(r, "protected").attackerBorrowEth).to.be.lessThan(run(r, "baseline").attackerBorrowEth);
      expect(run(r, "baseline").attackerBorrowEth).to.be.greaterThan(0);
    });
  });

  describe("steth-2022-06 (market-price venue, weeks of discount, NAV intact)", function () {
    it("meets its expect block; the haircut does not count the discount twice (no more liquidations than baseline)", async function () {
      const r = await replay("steth-2022-06");
      commonChecks("steth-2022-06", r);
      const b = run(r, "baseline");
      const p = run(r, "protected");
      expect(p.liquidations).to.be.at.most(b.liquidations);
      expect(p.unnecessaryLiquidations).to.be.at.most(b.unnecessaryLiquidations);
      // the discount leaves LT alone on this venue; only the guard acts
      expect(p.minLiquidationThresholdBps).to.equal(p.initialLiquidationThresholdBps);
      expect(p.trips).to.be.greaterThan(0);
    });
  });

  describe("ezeth-2024-04-24 on the real Morpho Blue (venue morpho, LLTV 86%, market-price oracle)", function () {
    it("meets its expect block; the RiskAwareOracle market liquidates less and leaves no more bad debt than baseline", async function () {
      const r = await replay("ezeth-2024-04-24");
      commonChecks("ezeth-2024-04-24", r);
      expect(r.venue).to.equal("morpho");
      const b = run(r, "baseline");
      const p = run(r, "protected");
      expect(b.minLiquidationThresholdBps).to.equal(8600); // Morpho's LLTV, immutable
      expect(b.liquidations).to.be.greaterThan(0);
      expect(p.liquidations).to.be.lessThan(b.liquidations);
      expect(p.badDebtEth).to.be.at.most(b.badDebtEth);
      expect(p.trips).to.be.greaterThan(0);
      // The floor holds only while the guard is paused: the oracle price equals the market price outside pauses.
      for (const row of p.timeline) if (!row.paused) expect(row.oraclePrice).to.be.closeTo(row.marketPrice, 1e-6);
      // Liquidations start in the step the market first crosses 1 / HF_min, as on 2024-04-24 (02:29:47 UTC).
      const first = b.timeline.find((row) => row.liquidations > 0)!;
      expect(first.t).to.be.at.most(1800);
    });

    it("a scenario naming an unknown venue fails before anything is deployed", async function () {
      const doc = JSON.parse(fs.readFileSync(loadScenario("ezeth-2024-04-24").file, "utf8"));
      doc.venue = "gearbox";
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cg-venue-")), "bad-venue.json");
      fs.writeFileSync(file, JSON.stringify(doc));
      const blockBefore = await hre.ethers.provider.getBlockNumber();
      let err: unknown;
      try {
        await runScenarioReplay({ hre, scenario: file });
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(ScenarioValidationError);
      expect((err as Error).message).to.include(file);
      expect((err as Error).message).to.include("/venue");
      expect(await hre.ethers.provider.getBlockNumber()).to.equal(blockBefore);
    });
  });

  for (const id of ["weeth-2024-08-05", "exit-queue-2025-07"]) {
    describe(id, function () {
      it("meets its expect block within the pause caps", async function () {
        const r = await replay(id);
        commonChecks(id, r);
      });
    });
  }

  describe("protected-run inputs", function () {
    it("a params file without the collateral fails before anything is deployed", async function () {
      const paramsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cg-badparams-")), "bad-params.json");
      fs.writeFileSync(paramsFile, JSON.stringify({ schema: "cascade-guard/params@1" }));
      const blockBefore = await hre.ethers.provider.getBlockNumber();
      let err: unknown;
      try {
        await runScenarioReplay({ hre, scenario: "synthetic-flash-dislocation", paramsFile });
      } catch (e) {
        err = e;
      }
      expect((err as Error).message).to.include("bad-params.json");
      expect(await hre.ethers.provider.getBlockNumber()).to.equal(blockBefore);
    });

    it("a bad scenario params block names the file and /params/<field> before anything is deployed", async function () {
      const doc = JSON.parse(fs.readFileSync(loadScenario("ezeth-2024-04-24").file, "utf8"));
      doc.params = { guard: { maxPauseSeconds: -5 } };
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cg-badparams-")), "bad-params-scenario.json");
      fs.writeFileSync(file, JSON.stringify(doc));
      const blockBefore = await hre.ethers.provider.getBlockNumber();
      let err: unknown;
      try {
        await runScenarioReplay({ hre, scenario: file });
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(ScenarioValidationError);
      expect((err as Error).message).to.include(file);
      expect((err as Error).message).to.include("/params/guard/maxPauseSeconds");
      expect(await hre.ethers.provider.getBlockNumber()).to.equal(blockBefore);
    });
  });

  describe("a scenario file with a bad field", function () {
    it("fails naming the file, the field and the expectation, and deploys nothing", async function () {
      const doc = JSON.parse(fs.readFileSync(loadScenario("synthetic-flash-dislocation").file, "utf8"));
      doc.dex.depth = 0;
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cg-bad-")), "bad-depth.json");
      fs.writeFileSync(file, JSON.stringify(doc));
      const blockBefore = await hre.ethers.provider.getBlockNumber();
      let err: unknown;
      try {
        await runScenarioReplay({ hre, scenario: file });
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(ScenarioValidationError);
      const msg = (err as Error).message;
      expect(msg).to.include(file);
      expect(msg).to.include("/dex/depth");
      expect(msg).to.match(/expected > 0; found 0/);
      expect(await hre.ethers.provider.getBlockNumber()).to.equal(blockBefore);
    });
  });
});
