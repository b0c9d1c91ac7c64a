import { expect } from "chai";
import path from "path";
import { morphoLif } from "../../model/venues";
import { modelMarkets } from "../../model/core";
import { generateEcosystem, PRESETS } from "../../model/ecosystem/generate";
import { Ecosystem, loadEcosystem, validateEcosystem } from "../../model/ecosystem/schema";
import { compileModel } from "../../model/fast/compile";
import { FastKernel } from "../../model/fast/kernel";
import { hashCanonical } from "../../model/hash";
import { prepareReference, simulatePathReference } from "../../model/reference";
import { seedWords } from "../../model/rng";
import { referenceToFlat, simulateCascade } from "../../model/simulate";
import { PathFlat } from "../../model/stats";
import { MODEL_VERSION } from "../../model/version";
import { oneShotEcosystem } from "./helpers";

const BUNDLED = path.join(__dirname, "../../scenarios/ecosystems/ethereum-2026.json");

/**
 * Equality contract between the engines:
 *  - events (which AVSs fault, which shocks fire, which operators are compromised) are identical bit for bit,
 *    because both engines consume the same per-path sfc32 stream in the same order;
 *  - every per-path number (NAV loss, price, depeg, repaid debt, seized collateral, bad debt, iterations) agrees to
 *    a relative tolerance of 1e-9 (absolute 1e-6 ETH for amounts): the engines sum in different orders (ledger
 *    bookkeeping vs closed form; per position vs prefix sums).
 */
const REL = 1e-9;
function close(a: number, b: number, abs: number): boolean {
  return Math.abs(a - b) <= Math.max(abs, REL * Math.max(Math.abs(a), Math.abs(b)));
}

function comparePaths(eco: Ecosystem, seed: number, paths: number): { stressed: number; liquidated: number; bad: number } {
  const cm = compileModel(eco);
  const ref = prepareReference(eco);
  const kernel = new FastKernel(cm);
  const [lo, hi] = seedWords(seed);
  const rflat = new PathFlat(cm.dims);
  let stressed = 0;
  let liquidated = 0;
  let bad = 0;
  kernel.run(lo, hi, 0, paths, null, (f, i) => {
    const r = referenceToFlat(simulatePathReference(ref, seed, i), rflat);
    expect(Array.from(f.avsFaulted), `path ${i} AVS faults`).to.deep.equal(Array.from(r.avsFaulted));
    expect(Array.from(f.shockFired), `path ${i} shocks`).to.deep.equal(Array.from(r.shockFired));
    expect(Array.from(f.opCompromised), `path ${i} compromises`).to.deep.equal(Array.from(r.opCompromised));
    expect(Array.from(f.liqShockFired), `path ${i} liquidity shocks`).to.deep.equal(Array.from(r.liqShockFired));
    expect(Array.from(f.opFaulted), `path ${i} operator faults`).to.deep.equal(Array.from(r.opFaulted));
    expect(Array.from(f.lrtIterations), `path ${i} iterations`).to.deep.equal(Array.from(r.lrtIterations));
    expect(Array.from(f.lrtConverged), `path ${i} converged`).to.deep.equal(Array.from(r.lrtConverged));
    const fields: [keyof PathFlat, number][] = [
      ["lrtNavLoss", 1e-12],
      ["lrtPrice", 1e-12],
      ["lrtDepeg", 1e-12],
      ["lrtSold", 1e-6],
      ["mktRepaid", 1e-6],
      ["mktSeized", 1e-6],
      ["mktBadDebt", 1e-6],
    ];
    for (const [k, abs] of fields) {
      const a = f[k] as Float64Array;
      const b = r[k] as Float64Array;
      for (let j = 0; j < a.length; j++) if (!close(a[j], b[j], abs)) expect.fail(`path ${i} ${String(k)}[${j}]: fast ${a[j]} vs reference ${b[j]}`);
    }
    if (r.lrtNavLoss.some((x) => x > 0)) stressed++;
    if (r.mktRepaid.some((x) => x > 0)) liquidated++;
    if (r.mktBadDebt.some((x) => x > 0)) bad++;
  });
  return { stressed, liquidated, bad };
}

describe("model: fast engine vs reference engine", function () {
  it("agree path by path on a small generated ecosystem", function () {
    const c = comparePaths(generateEcosystem({ seed: 3, ...PRESETS.small }), 99, 3000);
    // the comparison must have exercised the interesting branches
    expect(c.stressed).to.be.greaterThan(50);
    expect(c.liquidated).to.be.greaterThan(20);
    expect(c.bad).to.be.greaterThan(5);
  });

  it("agree path by path on a medium generated ecosystem", function () {
    const c = comparePaths(generateEcosystem({ seed: 4, ...PRESETS.medium }), 7, 150);
    expect(c.stressed).to.be.greaterThan(20);
  });

  it("agree path by path when the market-priced venue is Morpho Blue (full close, LIF from the LLTV)", function () {
    const base = generateEcosystem({ seed: 4, ...PRESETS.medium });
    const eco = {
      ...base,
      venues: base.venues.map((v) =>
        v.oracleRegime === "market-price"
          ? {
              ...v,
              liquidationRule: "morpho-blue" as const,
              markets: v.markets.map((m) => ({ ...m, liquidationBonusBps: Math.round((morphoLif(m.liquidationThresholdBps / 1e4) - 1) * 1e4) })),
            }
          : v,
      ),
    };
    const mk = modelMarkets(eco).filter((m) => eco.venues[m.venueIndex].liquidationRule === "morpho-blue");
    expect(mk.length).to.be.greaterThan(0);
    for (const m of mk) {
      expect(m.liquidationRule).to.equal("full");
      expect(m.liquidationBonusBps).to.be.closeTo((Math.min(1.15, 1 / (0.3 * (m.liquidationThresholdBps / 1e4) + 0.7)) - 1) * 1e4, 1e-9);
    }
    const c = comparePaths(eco, 7, 150);
    expect(c.stressed).to.be.greaterThan(20);
  });

  it("agree path by path on the bundled ethereum-2026 ecosystem", function () {
    const c = comparePaths(loadEcosystem(BUNDLED), 2026, 1500);
    expect(c.stressed).to.be.greaterThan(100);
    expect(c.liquidated).to.be.greaterThan(50);
  });

  it("agree path by path with forged-collateral events (invalidated and not, on both oracle regimes)", function () {
    const base = generateEcosystem({ seed: 3, ...PRESETS.small });
    const markets = modelMarkets(base);
    let k = 0;
    const regimes = new Set<string>();
    const eco = validateEcosystem(
      {
        ...base,
        lrts: base.lrts.map((l, li) => {
          const mine = markets.filter((x) => x.lrtIndex === li);
          const m = mine.find((x) => x.oracleRegime === (li % 2 ? "market-price" : "exchange-rate")) ?? mine[0];
          if (!m) return l;
          regimes.add(m.oracleRegime);
          const invalidated = k++ % 2 === 0;
          return { ...l, forgedMint: { probability: 0.05, forgedFracOfSupply: 0.05 + 0.05 * (li % 4), postedShare: 0.6, venue: m.venue, mode: m.mode, borrowFracOfMax: 0.9, invalidated } };
        }),
      },
      "forged.json",
    );
    expect(k).to.be.at.least(2);
    expect([...regimes].sort()).to.deep.equal(["exchange-rate", "market-price"]);
    const cm = compileModel(eco);
    const ref = prepareReference(eco);
    const kernel = new FastKernel(cm);
    const [lo, hi] = seedWords(41);
    const rflat = new PathFlat(cm.dims);
    let fired = 0;
    kernel.run(lo, hi, 0, 1500, null, (f, i) => {
      const r = referenceToFlat(simulatePathReference(ref, 41, i), rflat);
      expect(Array.from(f.forgedMinted), `path ${i} forged mints`).to.deep.equal(Array.from(r.forgedMinted));
      if (r.forgedMinted.some((x) => x > 0)) fired++;
    });
    expect(fired).to.be.greaterThan(100);
    const c = comparePaths(eco, 41, 1500);
    expect(c.bad).to.be.greaterThan(100);
  });

  it("forged collateral: the lender loses the forged position's debt less the recovered collateral (closed form)", function () {
    // one LRT, supply 1M at rate 1, no restaking loss; f = 0.2 forged, 0.75 posted, borrowed at 0.9 of LTV 93%
    const mk = (invalidated: boolean) => {
      const raw = oneShotEcosystem({ slashFraction: 0, faultProbability: 0, regime: "exchange-rate", positions: [{ collateralTokens: 100, debtEth: 50 }] });
      raw.lrts[0].forgedMint = { probability: 1, forgedFracOfSupply: 0.2, postedShare: 0.75, venue: "venue", mode: "emode", borrowFracOfMax: 0.9, invalidated };
      return validateEcosystem(raw, "forged.json");
    };
    const debt = 0.9 * 0.75 * 0.2 * 1_000_000 * 0.93;
    // invalidated: recovered 0; the 25% unposted forged tokens dilute NAV: 0.05 / 1.05
    const a = simulatePathReference(prepareReference(mk(true)), 1, 0);
    expect(a.events.forgedMinted).to.deep.equal([true]);
    expect(a.lrts[0].navLossFrac).to.be.closeTo(0.05 / 1.05, 1e-15);
    expect(a.markets[0].badDebtEth).to.be.closeTo(debt, 1e-6);
    // not invalidated: every forged token dilutes (0.2 / 1.2); the forged collateral recovers its diluted NAV
    const b = simulatePathReference(prepareReference(mk(false)), 1, 0);
    expect(b.lrts[0].navLossFrac).to.be.closeTo(0.2 / 1.2, 1e-15);
    expect(b.markets[0].badDebtEth).to.be.closeTo(Math.max(0, debt - 0.75 * 0.2 * 1_000_000 * (1 - 0.2 / 1.2)), 1e-6);
    for (const eco of [mk(true), mk(false)]) {
      const cm = compileModel(eco);
      const [lo, hi] = seedWords(1);
      new FastKernel(cm).run(lo, hi, 0, 1, null, (f) => {
        const r = simulatePathReference(prepareReference(eco), 1, 0);
        expect(f.mktBadDebt[0]).to.be.closeTo(r.markets[0].badDebtEth, 1e-6);
      });
    }
  });

  it("agree on aggregates (VaR / ES within 1e-9 relative, same event counts)", async function () {
    const eco = generateEcosystem({ seed: 5, ...PRESETS.small });
    const a = await simulateCascade({ ecosystem: eco, paths: 5000, seed: 3, engine: "fast", workers: 0 });
    const b = await simulateCascade({ ecosystem: eco, paths: 5000, seed: 3, engine: "reference" });
    expect(a.events).to.deep.equal(b.events);
    for (const k of ["mean", "var95", "var99", "es95", "es99", "max", "pPositive"] as const) {
      expect(close(a.total.badDebtEth[k], b.total.badDebtEth[k], 1e-6), `badDebt ${k}`).to.equal(true);
      expect(close(a.total.liquidatedEth[k], b.total.liquidatedEth[k], 1e-6), `liquidated ${k}`).to.equal(true);
    }
    expect(a.total.badDebtEth.pPositive).to.be.greaterThan(0);
  });

  it("give bit-identical output whatever the number of worker threads", async function () {
    this.timeout(120_000);
    const eco = generateEcosystem({ seed: 6, ...PRESETS.small });
    const req = { ecosystem: eco, paths: 40_000, seed: 12 };
    const one = await simulateCascade({ ...req, workers: 0 });
    const two = await simulateCascade({ ...req, workers: 2 });
    const three = await simulateCascade({ ...req, workers: 3 });
    delete one.wallSeconds;
    delete two.wallSeconds;
    delete three.wallSeconds;
    expect(two).to.deep.equal(one);
    expect(three).to.deep.equal(one);
  });
});

describe("model: market fixed point and provenance", function () {
  it("spreads a market-priced cascade over several steps and reports no unconverged path", async function () {
    // The fixed-point model of issue 4 oscillated here (exchange-rate oracle, 1% bonus, thin pool): now the same
    // book is liquidated while the marginal sale pays and the rest is reported as rationed, never as a 2-cycle.
    const eco = validateEcosystem(
      oneShotEcosystem({ slashFraction: 0.1, regime: "exchange-rate", dexDepthEth: 100, dexImpactBps: 500, positions: [{ collateralTokens: 1000, debtEth: 940 }] }),
      "cycle.json",
    );
    for (const engine of ["reference", "fast"] as const) {
      const out = await simulateCascade({ ecosystem: eco, paths: 3, seed: 1, engine, workers: 0 });
      expect(out.convergence.pathsNotConverged, engine).to.equal(0);
    }
    // market-price oracle: each step's liquidation sales lower the price the next step's oracle reads
    const mp = validateEcosystem(
      oneShotEcosystem({ slashFraction: 0.02, regime: "market-price", rule: "full", dexDepthEth: 500, dexImpactBps: 750, exitDays: 10, positions: [{ collateralTokens: 1000, debtEth: 945 }, { collateralTokens: 1000, debtEth: 925 }, { collateralTokens: 1000, debtEth: 915 }] }),
      "steps.json",
    );
    const r = simulatePathReference(prepareReference(mp), 1, 0);
    expect(r.lrts[0].iterations).to.be.greaterThan(1);
    expect(r.markets[0].liquidatedPositions).to.be.at.least(2);
  });

  it("liquidation sales move the price beyond the NAV loss", async function () {
    const eco = validateEcosystem(
      oneShotEcosystem({ slashFraction: 0.02, regime: "market-price", dexDepthEth: 500, dexImpactBps: 750, exitDays: 10, positions: [{ collateralTokens: 1000, debtEth: 945 }] }),
      "fp.json",
    );
    const out = await simulateCascade({ ecosystem: eco, paths: 1, seed: 1, engine: "reference" });
    const l = out.byLrt[0];
    expect(out.convergence.pathsNotConverged).to.equal(0);
    expect(l.meanIterations).to.be.greaterThan(1);
    expect(l.depegFrac.mean).to.be.greaterThan(0.001);
    expect(out.total.liquidatedEth.mean).to.be.greaterThan(0);
  });

  it("stamps seed, model version and the canonical input hash on every output", async function () {
    const raw = oneShotEcosystem({ slashFraction: 0.01 });
    const eco = validateEcosystem(raw, "x.json");
    const out = await simulateCascade({ ecosystem: eco, paths: 10, seed: 77, workers: 0 });
    expect(out.seed).to.equal(77);
    expect(out.modelVersion).to.equal(MODEL_VERSION);
    expect(out.inputHash).to.match(/^sha256:[0-9a-f]{64}$/);
    // key order does not change the hash, content does
    const reordered = validateEcosystem(JSON.parse(JSON.stringify(raw, Object.keys(raw).reverse().concat(...allKeys(raw)))), "y.json");
    expect(hashCanonical(reordered)).to.equal(out.inputHash);
    const changed = validateEcosystem(oneShotEcosystem({ slashFraction: 0.011 }), "z.json");
    expect(hashCanonical(changed)).to.not.equal(out.inputHash);
  });
});

function allKeys(o: unknown, acc = new Set<string>()): string[] {
  if (o && typeof o === "object") for (const [k, v] of Object.entries(o)) {
    acc.add(k);
    allKeys(v, acc);
  }
  return [...acc].reverse();
}
