import { expect } from "chai";
import { generateEcosystem, PRESETS } from "../../model/ecosystem/generate";
import { validateEcosystem } from "../../model/ecosystem/schema";
import { exposureTables } from "../../model/exposure";
import { hashCanonical } from "../../model/hash";
import { ethBin, fracBin, FRAC_EDGES, ETH_EDGES, tailMetrics } from "../../model/stats";
import { independentAvsEcosystem } from "./helpers";

describe("model: statistics, exposure and the generator", function () {
  it("VaR and ES follow their stated definitions (zeros included)", function () {
    // 100 paths: 95 zeros and losses 1..5
    const t = tailMetrics(Float64Array.from([3, 1, 5, 2, 4]), 100);
    expect(t.pPositive).to.equal(0.05);
    expect(t.mean).to.equal(15 / 100);
    expect(t.var95).to.equal(0); // 95th smallest of 100 is still a zero
    expect(t.var99).to.equal(4); // 99th smallest
    expect(t.es95).to.equal((5 + 4 + 3 + 2 + 1) / 5); // mean of the 5 largest
    expect(t.es99).to.equal(5); // mean of the largest 1
    expect(t.max).to.equal(5);
    expect(t.quantiles.find((q) => q.q === 0.5)!.value).to.equal(0);
  });

  it("histogram bins match their edges", function () {
    for (const v of [0, 1e-9, 1e-6, 3.2e-4, 0.05, 0.5, 0.999, 1, 2]) {
      const b = fracBin(v);
      if (v === 0) expect(b).to.equal(0);
      else if (v < 1) {
        expect(v, `frac ${v}`).to.be.at.least(FRAC_EDGES[b]);
        expect(v, `frac ${v}`).to.be.below(FRAC_EDGES[b + 1] * (1 + 1e-12));
      }
    }
    for (const v of [0, 1e-4, 0.5, 12, 1e5, 9.9e7]) {
      const b = ethBin(v);
      if (v === 0) expect(b).to.equal(0);
      else {
        expect(v, `eth ${v}`).to.be.at.least(ETH_EDGES[b]);
        expect(v, `eth ${v}`).to.be.below(ETH_EDGES[b + 1] * (1 + 1e-12));
      }
    }
  });

  it("exposure tables: shares, slashable exposure and HHI", function () {
    const eco = validateEcosystem(independentAvsEcosystem(4, 0.01, 0.5), "x.json");
    const t = exposureTables(eco);
    const l = t.lrts[0];
    expect(l.operators).to.have.length(4);
    for (const o of l.operators) expect(o.shareOfNav).to.be.closeTo(0.25, 1e-12);
    expect(l.operatorHhi).to.be.closeTo(0.25, 1e-12); // 4 equal shares
    for (const a of l.avss) expect(a.slashableShareOfNav).to.be.closeTo(0.25, 1e-12); // fully allocated
    expect(l.worstSingleAvsLossFrac).to.be.closeTo(0.125, 1e-12); // 25% at a 50% slash
    expect(t.operatorConcentration.top3Share).to.be.closeTo(0.75, 1e-12);
  });

  it("the large benchmark ecosystem has the stated size and is reproducible from its seed", function () {
    const a = generateEcosystem({ seed: 1, ...PRESETS.large });
    expect(a.lrts).to.have.length(20);
    expect(a.operators).to.have.length(500);
    expect(a.avss).to.have.length(100);
    const positions = a.venues.flatMap((v) => v.markets).reduce((s, m) => s + (m.positions.kind === "bands" ? m.positions.bands.reduce((x, b) => x + b.count, 0) : m.positions.list.length), 0);
    expect(positions).to.equal(100_000);
    expect(hashCanonical(generateEcosystem({ seed: 1, ...PRESETS.large }))).to.equal(hashCanonical(a));
    expect(hashCanonical(generateEcosystem({ seed: 2, ...PRESETS.large }))).to.not.equal(hashCanonical(a));
  });
});
