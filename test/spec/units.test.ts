import { expect } from "chai";
import fs from "fs";
import path from "path";
import * as units from "../../spec/units";
import { BPS as modelBps } from "../../model/core";
import { BPS as paramsBps } from "../../spec/modelParams";
import { BPS as riskMathBps, WAD as riskMathWad } from "../../spec/riskMath";
import { BPS as reservesBps, RAY as reservesRay } from "../../scripts/aave/reserves";
import { WAD as replicaWad } from "../../scripts/markets/replica/deployReplicaMarket";
import { DAY, HOUR } from "../../scripts/guard/deploy";

describe("spec/units: one definition each", () => {
  it("has the values the contracts use", () => {
    expect(units.BPS).to.equal(10_000);
    expect(units.BPS_BIGINT).to.equal(BigInt(units.BPS));
    expect(units.HALF_BPS_BIGINT * 2n).to.equal(units.BPS_BIGINT);
    expect(units.WAD).to.equal(10n ** 18n);
    expect(units.WAD_NUMBER).to.equal(Number(units.WAD));
    expect(units.RAY).to.equal(10n ** 27n);
    expect(units.SECONDS_PER_DAY).to.equal(24 * units.SECONDS_PER_HOUR);
    expect(units.SECONDS_PER_YEAR).to.equal(365 * 86_400);
  });

  it("the modules that exported their own copies now re-export these", () => {
    expect(modelBps).to.equal(units.BPS);
    expect(paramsBps).to.equal(units.BPS);
    expect(riskMathBps).to.equal(units.BPS_BIGINT);
    expect(riskMathWad).to.equal(units.WAD);
    expect(reservesBps).to.equal(units.BPS_BIGINT);
    expect(reservesRay).to.equal(units.RAY);
    expect(replicaWad).to.equal(units.WAD);
    expect(DAY).to.equal(units.SECONDS_PER_DAY);
    expect(HOUR).to.equal(units.SECONDS_PER_HOUR);
  });

  it("no module outside spec/ defines its own BPS, WAD, RAY, HOUR or DAY", () => {
    const root = path.join(__dirname, "..", "..");
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
    const found: string[] = [];
    for (const dir of ["model", "scripts", "report", "bench", "tasks"]) {
      for (const f of files(path.join(root, dir))) {
        for (const m of fs.readFileSync(f, "utf8").matchAll(/^\s*(?:export\s+)?const\s+(BPS|WAD|RAY|HOUR|DAY)\s*=/gm)) found.push(`${path.relative(root, f)}: ${m[1]}`);
      }
    }
    expect(found).to.deep.equal([]);
  });
});
