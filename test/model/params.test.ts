import { expect } from "chai";
import fs from "fs";
import path from "path";
import { loadEcosystem } from "../../model/ecosystem/schema";
import { clopperPearsonUpper, computeParams } from "../../model/params/engine";
import { loadPolicy, Policy } from "../../model/params/policy";
import { ParamsFile, validateParamsFile } from "../../model/params/schema";
import { HAIRCUT_CONFIG_FIELDS, MODEL_PARAMS_FIELDS } from "../../spec/contracts";
import { solidityStruct } from "../spec/solidity";
import { compileModel } from "../../model/fast/compile";
import { FastKernel } from "../../model/fast/kernel";
import { seedWords } from "../../model/rng";
import type { Ecosystem } from "../../model/ecosystem/schema";

const ROOT = path.join(__dirname, "../..");
const ECO = path.join(ROOT, "scenarios/ecosystems/ethereum-2026.json");
const POLICY = path.join(ROOT, "scenarios/ecosystems/policy-default.json");

/**
 * Independent re-check of market `id` with the given parameters on `seed`: P(bad debt > K), the number of such paths
 * and ES at `level` (mean of the ceil((1 - level) n) largest bad debts), computed here without the engine's helpers.
 */
function exceedance(
  eco: Ecosystem,
  policy: Policy,
  marketId: string,
  p: { ltvBps: number; liquidationThresholdBps: number; liquidationBonusBps: number },
  K = policy.badDebtThresholdEth,
  seed = policy.seed,
): { p: number; count: number; es: number } {
  const copy = structuredClone(eco);
  let index = -1;
  let k = 0;
  for (const v of copy.venues)
    for (const m of v.markets) {
      if (`${v.id}/${m.lrt}/${m.mode}` === marketId) {
        index = k;
        if (m.positions.kind === "explicit") m.positions.list = m.positions.list.map((q) => ({ ...q, debtEth: (q.debtEth * p.liquidationThresholdBps) / m.liquidationThresholdBps }));
        m.ltvBps = p.ltvBps;
        m.liquidationThresholdBps = p.liquidationThresholdBps;
        m.liquidationBonusBps = p.liquidationBonusBps;
      }
      k++;
    }
  expect(index, marketId).to.be.at.least(0);
  const kernel = new FastKernel(compileModel(copy));
  const [lo, hi] = seedWords(seed);
  let n = 0;
  const bad: number[] = [];
  kernel.run(lo, hi, 0, policy.paths, null, (f) => {
    if (f.mktBadDebt[index] > K) n++;
    bad.push(f.mktBadDebt[index]);
  });
  bad.sort((x, y) => y - x);
  const level = policy.expectedShortfall?.level ?? 0.99;
  const tail = Math.ceil((1 - level) * policy.paths);
  const es = bad.slice(0, tail).reduce((x, y) => x + y, 0) / tail;
  return { p: n / policy.paths, count: n, es };
}

/** Solidity struct field names, in order, from the contracts' interface (the source of truth). */
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
    expect(params, "writers put the id under `schema` only (spec/formats.ts)").to.not.have.property("format");
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

  it("Clopper-Pearson upper bound matches exact binomial values", function () {
    // exact one-sided 95% bounds (bisection on the binomial CDF with exact integer binomials)
    expect(clopperPearsonUpper(10, 1000, 0.95)).to.be.closeTo(0.016903175, 1e-8);
    expect(clopperPearsonUpper(3, 200, 0.95)).to.be.closeTo(0.038309708, 1e-8);
    expect(clopperPearsonUpper(0, 20000, 0.95)).to.be.closeTo(0.000149775396, 1e-12);
    expect(clopperPearsonUpper(50, 100, 0.95)).to.be.greaterThan(0.5);
  });

  it("accepted LTs hold out of sample: upper bound and ES on the search seed and on an independent seed; one more step fails", function () {
    let checkedEdge = 0;
    const recheckSeed = policy.seed + policy.recheckSeedOffset;
    expect(params.provenance.recheckSeed).to.equal(recheckSeed);
    const passes = (id: string, rec: { ltvBps: number; liquidationThresholdBps: number; liquidationBonusBps: number }, K: number, limit: number) =>
      [policy.seed, recheckSeed].every((seed) => {
        const r = exceedance(eco, policy, id, rec, K, seed);
        return clopperPearsonUpper(r.count, policy.paths, policy.confidence) <= policy.maxExceedanceProbability && r.es <= limit;
      });
    for (const a of params.assets)
      for (const m of a.markets) {
        const id = `${m.venue}/${a.lrt}/${m.mode}`;
        if (!m.policyHolds) continue;
        const K = m.thresholdEth!;
        expect(K, id).to.be.at.least(policy.badDebtThresholdEth);
        const limit = m.esLimitEth ?? Infinity;
        const r = exceedance(eco, policy, id, m.recommended, K);
        expect(r.p, id).to.equal(m.pExceedRecommended);
        expect(clopperPearsonUpper(r.count, policy.paths, policy.confidence), id).to.equal(m.pExceedUpperBound);
        expect(m.pExceedUpperBound!, id).to.be.at.most(policy.maxExceedanceProbability);
        expect(m.pExceedRecheckUpperBound!, id).to.be.at.most(policy.maxExceedanceProbability);
        expect(passes(id, m.recommended, K, limit), id).to.equal(true);
        expect(m.rationale, id).to.match(/vs Aave\/venue live/);
        expect(m.rationale, id).to.match(/Seed documents ask LTV 50-60%/);
        const cap = m.mode === "emode" ? policy.ltSearch.maxBps : policy.ltSearch.baseMaxBps;
        const next = m.recommended.liquidationThresholdBps + policy.ltSearch.stepBps;
        if (next <= cap && next * (10_000 + m.recommended.liquidationBonusBps) <= 1e8) {
          expect(m.gridCapBinds, id).to.equal(false);
          const gap = m.mode === "emode" ? policy.eModeLtvGapBps : policy.ltvGapBps;
          expect(passes(id, { ...m.recommended, ltvBps: next - gap, liquidationThresholdBps: next }, K, limit), `${id} at LT ${next}`).to.equal(false);
          checkedEdge++;
        } else {
          // the grid cap binds: reported, never presented as a risk limit
          expect(m.gridCapBinds, id).to.equal(true);
          expect(m.rationale, id).to.match(/grid cap .* binds/);
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

describe("model: parameter engine reacts to risk", function () {
  this.timeout(600_000);
  const eco = loadEcosystem(ECO);
  const policy = { ...loadPolicy(POLICY), paths: 8000 };
  const lt = (file: ParamsFile, lrt: string, venue: string, mode: string) =>
    file.assets.find((a) => a.lrt === lrt)!.markets.find((m) => m.venue === venue && m.mode === mode)!.recommended.liquidationThresholdBps;
  const base = computeParams({ ecosystem: eco, policy, generatedAt: "2026-01-01T00:00:00.000Z" });

  it("8x the rsETH backing-shock probability lowers rsETH's eMode LT by at least 100 bp", function () {
    const e = structuredClone(eco);
    e.lrts.find((l) => l.id === "rsETH")!.backingShock!.probability *= 8;
    const f = computeParams({ ecosystem: e, policy, generatedAt: "2026-01-01T00:00:00.000Z" });
    expect(lt(base, "rsETH", "aave-v3-core", "emode") - lt(f, "rsETH", "aave-v3-core", "emode")).to.be.at.least(100);
  });

  it("4x every AVS fault rate lowers weETH's eMode LT by at least 75 bp (3x the old engine's 25 bp)", function () {
    const e = structuredClone(eco);
    for (const a of e.avss) a.faultProbability = Math.min(1, a.faultProbability * 4);
    const f = computeParams({ ecosystem: e, policy, generatedAt: "2026-01-01T00:00:00.000Z" });
    expect(lt(base, "weETH", "aave-v3-core", "emode") - lt(f, "weETH", "aave-v3-core", "emode")).to.be.at.least(75);
  });
});
