/**
 * Real-loss scenarios replayed on the real Aave v3.6 replica: the scenario's own `expect` block must hold on v3.6 as
 * on v3.0. Here the haircut module drives each LRT's own liquid-eMode category (rsETH: category 3, weETH: 26), the
 * loops' LTV; rsETH's reserve LTV is 0 on v3.6 and stays 0, yet the module cuts its category and freezes it on
 * IMPAIRED (forged backing).
 */
import { expect } from "chai";
import hre from "hardhat";
import { runScenarioReplay } from "../../scripts/replay/run";
import { checkExpectations, formatFailures, pauseCapViolations } from "../../scripts/replay/expect";
import { loadScenario } from "../../scripts/replay/loader";
import type { RunResult } from "../../scripts/replay/types";

describe("real-loss scenarios on Aave v3.6 (haircut on the LRT's own liquid-eMode category)", function () {
  it("rseth-2026-04-18: meets its expect block (protected attacker borrow <= 40,000 WETH); the reserve is frozen", async function () {
    const { result } = await runScenarioReplay({ hre, scenario: "rseth-2026-04-18", aave: "3.6" });
    expect(result.aaveVersion).to.equal("3.6");
    const failures = checkExpectations(loadScenario("rseth-2026-04-18").scenario, result);
    expect(failures, formatFailures(failures)).to.deep.equal([]);
    const [b, p] = ["baseline", "protected"].map((k) => result.runs.find((r) => r.run === k) as RunResult);
    expect(p.attackerBorrowEth).to.be.lessThan(b.attackerBorrowEth);
    expect(p.frozen).to.equal(true);
    expect(p.trips).to.equal(0);
    expect(pauseCapViolations(p)).to.deep.equal([]);
  });

  it("synthetic-correlated-slash: meets its expect block (the weETH category LTV is cut), never pauses", async function () {
    const { result } = await runScenarioReplay({ hre, scenario: "synthetic-correlated-slash", aave: "3.6" });
    expect(result.aaveVersion).to.equal("3.6");
    const failures = checkExpectations(loadScenario("synthetic-correlated-slash").scenario, result);
    expect(failures, formatFailures(failures)).to.deep.equal([]);
    const p = result.runs.find((r) => r.run === "protected") as RunResult;
    expect(p.pausedSeconds).to.equal(0);
    expect(p.minLtvBps).to.be.lessThan(9300);
  });
});
