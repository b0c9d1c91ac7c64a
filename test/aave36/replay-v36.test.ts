/**
 * The flash-dislocation scenarios replayed on the real Aave v3.6 replica: the guard's pause is mirrored into the
 * collateral's liquidation grace period (blocks liquidations at every HF), so protected unnecessary liquidations fall
 * to (near) zero, within the guard's pause caps; the baseline's bad debt shows up as v3.3 reserve deficit.
 */
import { expect } from "chai";
import hre from "hardhat";
import { runScenarioReplay } from "../../scripts/replay/run";
import { pauseCapViolations } from "../../scripts/replay/expect";
import type { RunResult } from "../../scripts/replay/types";

describe("flash dislocations on Aave v3.6 (grace period), baseline vs protected", function () {
  // ezeth-2024-04-24 replays on its own venue (Morpho Blue) since the morpho branch: no Aave version there (its
  // result names "none"); its Morpho figures are checked in test/scenarios/replay.test.ts.
  for (const id of ["synthetic-flash-dislocation"]) {
    it(`${id}: protected unnecessary liquidations near zero, fewer than baseline, within the pause caps`, async function () {
      const { result } = await runScenarioReplay({ hre, scenario: id, aave: "3.6" });
      expect(result.aaveVersion).to.equal("3.6");
      const [b, p] = ["baseline", "protected"].map((k) => result.runs.find((r) => r.run === k) as RunResult);
      expect(b.unnecessaryLiquidations).to.be.greaterThan(10);
      expect(p.unnecessaryLiquidations).to.be.lessThanOrEqual(1);
      expect(p.trips).to.be.greaterThan(0);
      expect(pauseCapViolations(p)).to.deep.equal([]);
      expect(p.badDebtEth).to.be.lessThanOrEqual(b.badDebtEth);
      expect(b.reserveDeficitEth).to.be.a("number");
    });
  }
});
