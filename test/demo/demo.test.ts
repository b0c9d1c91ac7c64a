import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import { runDemo } from "../../scripts/demo";
import { validateParamsFile } from "../../model/params/schema";

// The quick start's main command, end to end on a smaller budget: every step must hand real output to the next.
describe("npm run demo (pipeline)", function () {
  this.timeout(600_000);

  it("simulates, computes params, replays baseline vs protected on the replica and writes a report", async function () {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "cascade-demo-"));
    const lines: string[] = [];
    const outcome = await runDemo({ hre, outDir, paths: 5_000, seed: 11, scenarios: ["synthetic-flash-dislocation"], log: (l) => lines.push(l) });

    const simulation = JSON.parse(fs.readFileSync(outcome.simulationFile, "utf8"));
    expect(simulation.schema).to.equal("cascade-guard/simulation@1");
    expect(simulation.paths).to.equal(5_000);
    expect(simulation.seed).to.equal(11);

    const params = validateParamsFile(JSON.parse(fs.readFileSync(outcome.paramsFile, "utf8")), outcome.paramsFile);
    expect(params.assets.length).to.be.greaterThan(0);

    expect(outcome.replays).to.have.length(1);
    const runs = outcome.replays[0].runs.map((r) => r.run);
    expect(runs).to.deep.equal(["baseline", "protected"]);
    const protectedRun = outcome.replays[0].runs[1];
    expect(protectedRun.guardSettingsSource).to.equal("params-file");

    const html = fs.readFileSync(outcome.reportFile, "utf8");
    expect(outcome.charts).to.be.greaterThan(3);
    expect(html).to.include("synthetic-flash-dislocation");
    expect(lines.join("\n")).to.match(/synthetic-flash-dislocation\s*│\s*protected\s*│/);
  });
});
