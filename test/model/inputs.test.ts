import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { EcosystemInputError, loadEcosystem, validateEcosystem } from "../../model/ecosystem/schema";
import { loadPolicy, validatePolicy } from "../../model/params/policy";
import { validateParamsFile } from "../../model/params/schema";
import { oneShotEcosystem } from "./helpers";

const DIR = path.join(__dirname, "../../scenarios/ecosystems");

function expectInputError(raw: unknown, re: RegExp) {
  expect(() => validateEcosystem(raw, "ecosystem.json")).to.throw(EcosystemInputError, re);
}

describe("model: input validation", function () {
  it("loads the bundled ethereum-2026 ecosystem, with estimates labelled", function () {
    const eco = loadEcosystem(path.join(DIR, "ethereum-2026.json"));
    expect(eco.lrts.map((l) => l.id)).to.include.members(["weETH", "ezETH", "rsETH", "pufETH", "osETH"]);
    expect(eco.avss.length).to.be.greaterThanOrEqual(8);
    expect(eco.avss.some((a) => a.dependencies.length > 0)).to.equal(true);
    for (const a of eco.avss) expect(a.estimates, `avs ${a.id}`).to.include("faultProbability");
    for (const o of eco.operators) expect(o.estimates, `operator ${o.id}`).to.be.an("array").that.is.not.empty;
    // top 5 operators hold 60-70% of the restaked stake (DOMAIN.md section 2)
    const stakes = eco.operators.map((o) => o.strategies.reduce((a, s) => a + s.stakeEth, 0)).sort((a, b) => b - a);
    const top5 = stakes.slice(0, 5).reduce((a, b) => a + b, 0) / stakes.reduce((a, b) => a + b, 0);
    expect(top5).to.be.within(0.6, 0.7);
  });

  it("names the file and the field for unknown references", function () {
    const raw = oneShotEcosystem({ slashFraction: 0.1 });
    raw.lrts[0].allocations[0].operator = "p2p";
    expectInputError(raw, /^ecosystem\.json: lrts\[0\]\.allocations\[0\]\.operator: unknown operator "p2p"/);
    const raw2 = oneShotEcosystem({ slashFraction: 0.1 });
    raw2.operators[0].strategies[0].allocations[0].avs = "nope";
    expectInputError(raw2, /operators\[0\]\.strategies\[0\]\.allocations\[0\]\.avs: unknown AVS "nope"/);
  });

  it("a forged-collateral event must post into an existing market of its LRT", function () {
    const fm = { probability: 0.01, forgedFracOfSupply: 0.2, postedShare: 0.8, venue: "nowhere", mode: "emode" as const, invalidated: true };
    const raw = oneShotEcosystem({ slashFraction: 0.1 });
    raw.lrts[0].forgedMint = fm;
    expectInputError(raw, /^ecosystem\.json: lrts\[0\]\.forgedMint\.venue: unknown venue "nowhere"/);
    const raw2 = oneShotEcosystem({ slashFraction: 0.1 });
    raw2.lrts[0].forgedMint = { ...fm, venue: "venue", mode: "base" };
    expectInputError(raw2, /lrts\[0\]\.forgedMint\.mode: venue "venue" has no lrt\/base market/);
    const raw3 = oneShotEcosystem({ slashFraction: 0.1 });
    raw3.lrts[0].forgedMint = { ...fm, venue: "venue", postedShare: 1.5 };
    expectInputError(raw3, /lrts\[0\]\.forgedMint\.postedShare/);
    const ok = oneShotEcosystem({ slashFraction: 0.1 });
    ok.lrts[0].forgedMint = { ...fm, venue: "venue" };
    expect(() => validateEcosystem(ok, "ecosystem.json")).to.not.throw();
  });

  it("rejects wrong types, out-of-range values and broken invariants", function () {
    const a = oneShotEcosystem({ slashFraction: 0.1 }) as unknown as { avss: { faultProbability: unknown }[] };
    a.avss[0].faultProbability = "1%";
    expectInputError(a, /avss\[0\]\.faultProbability: expected number, found string/);
    expectInputError(oneShotEcosystem({ slashFraction: 1.5 }), /avss\[0\]\.slashFraction/);
    const m = oneShotEcosystem({ slashFraction: 0.1 });
    m.operators[0].strategies[0].allocations[0].magnitude = 20_000;
    expectInputError(m, /allocations: allocated magnitudes sum to 20000, above maxMagnitude 10000/);
    const hf = oneShotEcosystem({ slashFraction: 0.1, positions: [{ collateralTokens: 100, debtEth: 99 }] });
    expectInputError(hf, /venues\[0\]\.markets\[0\]\.positions\.list\[0\]: starts below health factor 1/);
    const big = oneShotEcosystem({ slashFraction: 0.1 });
    big.lrts[0].supplyTokens = 5_000_000;
    expectInputError(big, /lrts\[0\]\.allocations\[0\]\.shareOfNav: delegates 5000000\.00 ETH but operator "op" holds only 1000000 ETH/);
    const extra = { ...oneShotEcosystem({ slashFraction: 0.1 }), surprise: 1 };
    expectInputError(extra, /\(root\): Unrecognized key/);
  });

  it("a Morpho Blue venue's bonus must agree with min(1.15, 1/(0.3 LLTV + 0.7)) - 1 within 1 bp", function () {
    const e = oneShotEcosystem({ slashFraction: 0.1, positions: [{ collateralTokens: 100, debtEth: 50 }] });
    const v = e.venues![0];
    v.liquidationRule = "morpho-blue";
    v.markets[0].liquidationThresholdBps = 8600;
    v.markets[0].ltvBps = Math.min(v.markets[0].ltvBps, 8600);
    v.markets[0].liquidationBonusBps = 500;
    expectInputError(e, /venues\[0\]\.markets\[0\]\.liquidationBonusBps: Morpho Blue fixes it by the LLTV: 438\.41 bps at LLTV 8600 bps; found 500/);
    v.markets[0].liquidationBonusBps = 438;
    expect(() => validateEcosystem(e, "eco.json")).to.not.throw();
  });

  it("reports malformed JSON with the file name", function () {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "eco-")), "broken.json");
    fs.writeFileSync(f, '{"schema": "cascade-guard/ecosystem@1",');
    expect(() => loadEcosystem(f)).to.throw(/^broken\.json: \(json\): malformed JSON/);
  });

  it("validates policies and params files with field paths", function () {
    const policy = loadPolicy(path.join(DIR, "policy-default.json"));
    expect(() => validatePolicy({ ...policy, maxExceedanceProbability: 2 }, "p.json")).to.throw(/^p\.json: maxExceedanceProbability:/);
    expect(() => validatePolicy({ ...policy, ltSearch: { ...policy.ltSearch, minBps: 9900 } }, "p.json")).to.throw(/ltSearch\.minBps: above maxBps/);
    expect(() => validateParamsFile({ schema: "cascade-guard/params@1", format: "cascade-guard/params@1" }, "params.json")).to.throw(/^params\.json: provenance: expected object, found undefined/);
  });
});
