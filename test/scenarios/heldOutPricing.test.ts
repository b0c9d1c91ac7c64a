/**
 * Held-out measurement (not a bundled scenario): rsETH 3% below its exchange rate for five days on a venue that
 * prices rsETH by exchange rate (Aave's CAPO). A market discount liquidates nobody there, so the guard must not
 * pause: before the guard knew the collateral's pricing it paused 12 h (market-wide on v3.0) for nothing.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import { runScenarioReplay } from "../../scripts/replay/run";

const DAY = 86_400;

function heldOutScenario(): string {
  const scenario = {
    schema: "cascade-guard/scenario@1",
    id: "held-out-rseth-3pct-5d-exchange-rate",
    title: "rsETH 3% below its exchange rate for five days, exchange-rate venue (held out, synthetic)",
    description:
      "Synthetic (our construction, held out of scenarios/). rsETH trades 3% under an intact exchange rate and full backing for five days; the venue prices rsETH by exchange rate (CAPO), so no health factor moves.",
    sources: ["held-out measurement, rsETH at a 3% discount for five days on an exchange-rate venue"],
    collateral: "rsETH",
    debt: "WETH",
    oracle: "exchange-rate",
    emode: true,
    stepSeconds: 3600,
    durationSeconds: 5 * DAY,
    path: [
      { t: 0, marketPrice: 0.97, exchangeRate: 1.0, backingRatio: 1.0 },
      { t: 5 * DAY, marketPrice: 0.97 },
    ],
    events: [],
    positions: { count: 60, seed: 1104, totalCollateral: 20000, healthFactor: { min: 1.01, mode: 1.05, max: 1.6 } },
    dex: { kind: "constant-product", depth: 4000 },
    reflexive: true,
    expect: {
      baseline: { liquidationsMax: 0 },
      protected: { liquidationsMax: 0, tripsMax: 0, frozen: false },
    },
  };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cascade-heldout-")), "rseth-3pct-5d.json");
  fs.writeFileSync(file, JSON.stringify(scenario, null, 2));
  return file;
}

describe("held-out: rsETH 3% discount for five days on an exchange-rate venue", function () {
  for (const aave of ["3.6", "3.0"] as const) {
    it(`Aave v${aave}: 0 liquidations in both runs and the protected run never pauses`, async function () {
      const { result } = await runScenarioReplay({ hre, scenario: heldOutScenario(), aave });
      const baseline = result.runs.find((r) => r.run === "baseline")!;
      const protectedRun = result.runs.find((r) => r.run === "protected")!;
      expect(baseline.liquidations).to.equal(0);
      expect(protectedRun.liquidations).to.equal(0);
      expect(protectedRun.trips).to.equal(0);
      expect(protectedRun.pausedSeconds).to.equal(0);
    });
  }
});
