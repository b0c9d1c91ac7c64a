import { expect } from "chai";
import { loadEcosystem } from "../../model/ecosystem/schema";
import {
  RestakingGraph,
  cascadeLossBound,
  exactSlack,
  pooledGraph,
  robustnessReport,
  uniqueStakeSlack,
  whitepaperCheck,
  worstCascadeLoss,
} from "../../model/robustness";
import { Sfc32 } from "../../model/rng";
import path from "path";
import { validateEcosystem } from "../../model/ecosystem/schema";
import { oneShotEcosystem } from "./helpers";

/** Random small graph: n validators, m services, each service on a random non-empty validator subset. */
function randomGraph(rng: Sfc32, n: number, m: number): RestakingGraph {
  const validators = Array.from({ length: n }, (_, i) => ({ id: `v${i}`, stakeEth: 1 + Math.floor(rng.next() * 10) }));
  const services = Array.from({ length: m }, (_, s) => {
    let vs = validators.map((_, i) => i).filter(() => rng.next() < 0.6);
    if (vs.length === 0) vs = [Math.floor(rng.next() * n)];
    return { id: `s${s}`, profitEth: 1 + Math.floor(rng.next() * 20), threshold: [0.34, 0.5, 0.67][Math.floor(rng.next() * 3)], validators: vs };
  });
  return { validators, services };
}

/** Scale profits so the graph has exactly slack gamma: (1 + gamma) pi_A <= sigma_B, tight for some attack. */
function withSlack(g: RestakingGraph, gamma: number): RestakingGraph {
  const g0 = exactSlack(g);
  const k = (1 + g0) / (1 + gamma);
  return { ...g, services: g.services.map((s) => ({ ...s, profitEth: s.profitEth * k })) };
}

describe("model: Durvasula-Roughgarden robustness", function () {
  it("the worst cascade loss after a shock psi stays below (1 + 1/gamma) psi on random graphs with slack gamma", function () {
    this.timeout(120_000);
    const rng = new Sfc32();
    rng.seedPath(7, 0, 0);
    let cascades = 0;
    let checks = 0;
    for (let t = 0; t < 40; t++) {
      const gamma = [0.1, 0.25, 0.5, 1][t % 4];
      const g = withSlack(randomGraph(rng, 5 + (t % 2), 2 + (t % 2)), gamma);
      expect(exactSlack(g)).to.be.closeTo(gamma, 1e-9);
      for (const psi of [0.1, 0.2, 0.35]) {
        const { lossFrac } = worstCascadeLoss(g, psi);
        expect(lossFrac, `graph ${t} gamma ${gamma} psi ${psi}`).to.be.at.most(cascadeLossBound(gamma, psi) + 1e-12);
        checks++;
        if (lossFrac > psi + 1e-12) cascades++;
      }
    }
    // the test must see real cascades (loss beyond the shock itself), or it proves nothing
    expect(cascades).to.be.greaterThan(5);
    expect(checks).to.equal(120);
  });

  it("the bound is violated when the slack is overstated (the check can fail)", function () {
    const rng = new Sfc32();
    rng.seedPath(9, 0, 0);
    let violated = 0;
    for (let t = 0; t < 40 && violated === 0; t++) {
      const g = withSlack(randomGraph(rng, 6, 3), 0.1);
      for (const psi of [0.1, 0.2, 0.35]) if (worstCascadeLoss(g, psi).lossFrac > cascadeLossBound(10, psi)) violated++;
    }
    expect(violated).to.be.greaterThan(0);
  });

  it("the whitepaper condition with (1 + gamma) pi implies slack >= gamma", function () {
    const rng = new Sfc32();
    rng.seedPath(11, 0, 0);
    let holds = 0;
    for (let t = 0; t < 60; t++) {
      const g0 = randomGraph(rng, 5, 3);
      const k = 2 + rng.next() * 40; // cheaper attacks, so the condition holds on some graphs
      const g = { ...g0, services: g0.services.map((x) => ({ ...x, profitEth: x.profitEth / k })) };
      const wp = whitepaperCheck(g);
      if (wp.maxGamma > 0 && Number.isFinite(wp.maxGamma)) {
        holds++;
        expect(exactSlack(g)).to.be.at.least(wp.maxGamma - 1e-9);
      }
    }
    expect(holds).to.be.greaterThan(5);
  });

  it("unique stake: gamma_S = alpha_S U_S / pi_S - 1", function () {
    const raw = oneShotEcosystem({ slashFraction: 0.1 });
    raw.operators[0].strategies[0].allocations[0].magnitude = 2_500; // a = 25% of 1,000,000 ETH
    raw.avss[0].profitFromCorruptionEth = 100_000;
    raw.avss[0].corruptionThreshold = 0.5;
    const eco = validateEcosystem(raw, "u.json");
    const [s] = uniqueStakeSlack(eco);
    expect(s.allocatedStakeEth).to.be.closeTo(250_000, 1e-6);
    expect(s.gamma).to.be.closeTo((0.5 * 250_000) / 100_000 - 1, 1e-12);
  });

  it("reports robustness of the bundled ecosystem with the method used", function () {
    const eco = loadEcosystem(path.join(__dirname, "../../scenarios/ecosystems/ethereum-2026.json"));
    const r = robustnessReport(eco);
    expect(r.pooled.method).to.equal("whitepaper-sufficient-condition");
    expect(r.uniqueStake).to.have.length(eco.avss.length);
    const g = pooledGraph(eco);
    expect(g.validators).to.have.length(eco.operators.length);
  });
});
