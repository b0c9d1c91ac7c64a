import { expect } from "chai";
import fs from "fs";
import path from "path";
import { loadEcosystem } from "../../model/ecosystem/schema";
import { computeParams } from "../../model/params/engine";
import { loadPolicy, Policy } from "../../model/params/policy";
import { HAIRCUT_CONFIG_FIELDS, MODEL_PARAMS_FIELDS, ParamsFile, validateParamsFile } from "../../model/params/schema";
import { compileModel } from "../../model/fast/compile";
import { FastKernel } from "../../model/fast/kernel";
import { seedWords } from "../../model/rng";
import type { Ecosystem } from "../../model/ecosystem/schema";

const ROOT = path.join(__dirname, "../..");
const ECO = path.join(ROOT, "scenarios/ecosystems/ethereum-2026.json");
const POLICY = path.join(ROOT, "scenarios/ecosystems/policy-default.json");

/** Independent re-check: P(bad debt of market `id` > K) with the market set to the given parameters. */
function exceedance(eco: Ecosystem, policy: Policy, marketId: string, p: { ltvBps: number; liquidationThresholdBps: number; liquidationBonusBps: number }): number {
  const copy = structuredClone(eco);
  let index = -1;
  let k = 0;
  for (const v of copy.venues)
    for (const m of v.markets) {
      if (`${v.id}/${m.lrt}/${m.mode}` === marketId) {
        index = k;
        m.ltvBps = p.ltvBps;
        m.liquidationThresholdBps = p.liquidationThresholdBps;
        m.liquidationBonusBps = p.liquidationBonusBps;
      }
      k++;
    }
  expect(index, marketId).to.be.at.least(0);
  const kernel = new FastKernel(compileModel(copy));
  const [lo, hi] = seedWords(policy.seed);
  let n = 0;
  kernel.run(lo, hi, 0, policy.paths, null, (f) => {
    if (f.mktBadDebt[index] > policy.badDebtThresholdEth) n++;
  });
  return n / policy.paths;
}

/** Solidity struct field names, in order, from the contracts' interface (the source of truth). */
function solidityStruct(file: string, name: string): string[] {
  const src = fs.readFileSync(path.join(ROOT, "contracts/interfaces", file), "utf8");
  const m = new RegExp(`struct ${name} \\{([^}]*)\\}`).exec(src);
  if (!m) throw new Error(`struct ${name} not found in ${file}`);
  return m[1]
    .split(";")
    .map((l) => l.trim().split(/\s+/).pop() ?? "")
    .filter((x) => x.length > 0);
}

describe("model: parameter engine", function () {
  this.timeout(300_000);
  let eco: Ecosystem;
  let policy: Policy;
  let params: ParamsFile;

  before(function () {
    eco = loadEcosystem(ECO);
    policy = { ...loadPolicy(POLICY), paths: 4000 };
    params = computeParams({ ecosystem: eco, policy, generatedAt: "2026-01-01T00:00:00.000Z" });
  });

  it("mirrors the contracts' structs field by field (ModelParams, HaircutConfig)", function () {
    expect([...MODEL_PARAMS_FIELDS]).to.deep.equal(solidityStruct("ICollateralRiskOracle.sol", "ModelParams"));
    expect([...HAIRCUT_CONFIG_FIELDS]).to.deep.equal(solidityStruct("IWideningHaircutModule.sol", "HaircutConfig"));
    for (const a of params.assets) {
      expect(Object.keys(a.modelParams)).to.deep.equal([...MODEL_PARAMS_FIELDS]);
      expect(Object.keys(a.haircut)).to.deep.equal([...HAIRCUT_CONFIG_FIELDS]);
    }
  });

  it("writes a schema-valid params file with provenance", function () {
    expect(() => validateParamsFile(JSON.parse(JSON.stringify(params)), "params.json")).to.not.throw();
    expect(params.schema).to.equal("cascade-guard/params@1");
    expect(params.format).to.equal(params.schema);
    expect(params.provenance.seed).to.equal(policy.seed);
    expect(params.provenance.paths).to.equal(4000);
    expect(params.provenance.inputHash).to.match(/^sha256:/);
    expect(params.provenance.policyHash).to.match(/^sha256:/);
    expect(params.assets.map((a) => a.lrt)).to.include.members(["weETH", "ezETH", "rsETH"]);
  });

  it("is deterministic for the same inputs", function () {
    const again = computeParams({ ecosystem: eco, policy, generatedAt: "2026-01-01T00:00:00.000Z" });
    expect(again).to.deep.equal(params);
  });

  it("recommended parameters meet the policy on an independent re-simulation, and one more LT step does not", function () {
    let checkedEdge = 0;
    for (const a of params.assets)
      for (const m of a.markets) {
        const id = `${m.venue}/${a.lrt}/${m.mode}`;
        if (!m.policyHolds) continue;
        const p = exceedance(eco, policy, id, m.recommended);
        expect(p, id).to.equal(m.pExceedRecommended);
        expect(p, id).to.be.at.most(policy.maxExceedanceProbability);
        const cap = m.mode === "emode" ? policy.ltSearch.maxBps : policy.ltSearch.baseMaxBps;
        const next = m.recommended.liquidationThresholdBps + policy.ltSearch.stepBps;
        if (next <= cap && next * (10_000 + m.recommended.liquidationBonusBps) <= 1e8) {
          const gap = m.mode === "emode" ? policy.eModeLtvGapBps : policy.ltvGapBps;
          const pNext = exceedance(eco, policy, id, { ...m.recommended, ltvBps: next - gap, liquidationThresholdBps: next });
          expect(pNext, `${id} at LT ${next}`).to.be.greaterThan(policy.maxExceedanceProbability);
          checkedEdge++;
        }
      }
    expect(checkedEdge).to.be.greaterThan(0);
  });

  it("a stricter policy never recommends a higher LT", function () {
    const strict = computeParams({ ecosystem: eco, policy: { ...policy, maxExceedanceProbability: policy.maxExceedanceProbability / 4 }, generatedAt: "2026-01-01T00:00:00.000Z" });
    for (const a of strict.assets) {
      const loose = params.assets.find((x) => x.lrt === a.lrt)!;
      a.markets.forEach((m, i) => expect(m.recommended.liquidationThresholdBps).to.be.at.most(loose.markets[i].recommended.liquidationThresholdBps));
    }
  });

  it("haircut curve and guard thresholds follow the stressed discount distribution", function () {
    for (const a of params.assets) {
      const p = a.modelParams;
      expect(p.knot0DiscountBps).to.be.lessThan(p.knot1DiscountBps);
      expect(p.knot2DiscountBps).to.be.lessThan(p.knot3DiscountBps);
      expect(p.knot0HaircutBps).to.equal(0);
      expect(p.tripDiscountBps).to.be.within(policy.guard.minTripDiscountBps, policy.guard.maxTripDiscountBps);
      expect(p.stressDiscountBps).to.be.at.most(p.tripDiscountBps);
      // the trip sits just beyond the discount the exit queue explains, not at a tail quantile (a 30% trip fires after the spiral)
      const g = policy.guard;
      const expectedTrip = Math.max(policy.oracle.elevatedDiscountBps + 1, Math.min(g.maxTripDiscountBps, Math.max(g.minTripDiscountBps, p.knot0DiscountBps + g.tripMarginBps)));
      expect(p.tripDiscountBps, a.symbol).to.equal(expectedTrip);
      expect(p.tripDiscountBps, a.symbol).to.be.at.most(Math.max(g.minTripDiscountBps, 500));
      const q99 = a.evidence.depegQuantilesBps.find((q) => q.q === 0.99)!.discountBps;
      expect(p.knot2DiscountBps).to.be.at.least(Math.min(q99, 10_000 - 1));
    }
  });

  it("keeps the stress discount and the trip above the oracle's ELEVATED threshold (the oracle refuses otherwise)", function () {
    for (const elevated of [100, 400]) {
      const strict = { ...policy, oracle: { elevatedDiscountBps: elevated } };
      const file = computeParams({ ecosystem: eco, policy: strict, generatedAt: "2026-01-01T00:00:00.000Z" });
      for (const a of file.assets) {
        expect(a.modelParams.stressDiscountBps, `${a.symbol} stress`).to.be.greaterThan(elevated);
        expect(a.modelParams.tripDiscountBps, `${a.symbol} trip`).to.be.at.least(a.modelParams.stressDiscountBps);
      }
    }
  });

  it("gives a venue priced by the market feed a flat haircut curve (its HFs already carry the discount)", function () {
    const marketVenue = eco.venues.find((v) => v.oracleRegime === "market-price")!;
    const file = computeParams({ ecosystem: eco, policy: { ...policy, protectedVenue: marketVenue.id }, generatedAt: "2026-01-01T00:00:00.000Z" });
    expect(file.assets.length).to.be.greaterThan(0);
    for (const a of file.assets) {
      const p = a.modelParams;
      expect([p.knot0HaircutBps, p.knot1HaircutBps, p.knot2HaircutBps, p.knot3HaircutBps], a.symbol).to.deep.equal([0, 0, 0, 0]);
      expect(p.knot0DiscountBps).to.be.lessThan(p.knot3DiscountBps);
    }
    // the exchange-rate venue of the same ecosystem does cut
    expect(params.assets.some((a) => a.modelParams.knot3HaircutBps > 0)).to.equal(true);
  });

  it("rejects a policy naming a venue the ecosystem does not have", function () {
    expect(() => computeParams({ ecosystem: eco, policy: { ...policy, protectedVenue: "nowhere" } })).to.throw(/policy: protectedVenue: unknown venue "nowhere"/);
  });
});
