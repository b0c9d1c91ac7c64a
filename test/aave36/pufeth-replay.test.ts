/**
 * Every LRT the scenario schema accepts has a reserve on both Aave generations. Before v3.6 support a pufETH scenario
 * passed the schema and then the replica refused it ("An unexpected error occurred" and a stack trace): this replays
 * a short pufETH dislocation on v3.0 and v3.6, baseline vs protected.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import { runScenarioReplay } from "../../scripts/replay/run";
import { loadScenario } from "../../scripts/replay/loader";
import type { AaveVersion } from "../../scripts/aave";

function pufEthScenarioFile(): string {
  const base = loadScenario("synthetic-flash-dislocation").scenario;
  const s = {
    ...base,
    id: "pufeth-short-dislocation",
    title: "pufETH short dislocation (test)",
    collateral: "pufETH",
    stepSeconds: 1800,
    durationSeconds: 4 * 3600,
    positions: { ...base.positions, count: 12 },
    expect: {},
  };
  delete (s as { params?: unknown }).params;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cg-pufeth-")), "pufeth.json");
  fs.writeFileSync(file, JSON.stringify(s));
  return file;
}

describe("pufETH scenario on both Aave generations", function () {
  const file = pufEthScenarioFile();
  for (const aave of ["3.0", "3.6"] as AaveVersion[]) {
    it(`replays on Aave v${aave}: the result names the version and the population was opened`, async function () {
      const { result } = await runScenarioReplay({ hre, scenario: file, aave } as Parameters<typeof runScenarioReplay>[0]);
      expect(result.collateral).to.equal("pufETH");
      expect((result as { aaveVersion?: string }).aaveVersion).to.equal(aave);
      expect(result.runs.map((r) => r.run)).to.deep.equal(["baseline", "protected"]);
      for (const r of result.runs) expect(r.timeline.length).to.be.greaterThan(0);
    });
  }
});
