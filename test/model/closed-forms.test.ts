import { expect } from "chai";
import { validateEcosystem } from "../../model/ecosystem/schema";
import { liquidationBreakEvenDrop, loopLeverage, queueDiscount } from "../../model/core";
import { OperatorStrategyLedger } from "../../model/restaking";
import { simulateCascade } from "../../model/simulate";
import { correlatedEcosystem, independentAvsEcosystem, oneShotEcosystem } from "./helpers";
import fc from "fast-check";

describe("model: closed forms and published facts", function () {
  describe("ELIP-002 unique stake", function () {
    it("reproduces the worked example: 50% slash of a 20% allocation", function () {
      // Operator magnitude 10,000, 2,000 (20%) allocated to the operator set; a staker holds 200.
      const ledger = new OperatorStrategyLedger(10_000, [["set", 2_000]]);
      const shareLoss = ledger.slash("set", 0.5);
      expect(shareLoss).to.equal(0.1); // w * a = 0.5 * 0.2
      expect(ledger.maxMagnitude).to.equal(9_000);
      expect(ledger.allocations.get("set")).to.equal(1_000);
      expect(200 * (1 - ledger.lossFraction())).to.be.closeTo(180, 1e-9);
    });

    it("sequential slashes equal the closed form sum_S a_S (1 - prod(1 - w)) in any order", function () {
      fc.assert(
        fc.property(
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }),
          fc.array(fc.tuple(fc.nat(4), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 12 }),
          (raw, slashes) => {
            const sum = raw.reduce((a, b) => a + b, 0) + 1e-9;
            const m = raw.map((x) => (x / sum) * 0.99 * 1e18); // allocations, sum below M
            const ledger = new OperatorStrategyLedger(1e18, m.map((x, i) => [`s${i}`, x]));
            const survive = m.map(() => 1);
            for (const [k, w] of slashes) {
              if (k >= m.length) continue;
              ledger.slash(`s${k}`, w);
              survive[k] *= 1 - w;
            }
            const closed = m.reduce((a, x, i) => a + (x / 1e18) * (1 - survive[i]), 0);
            expect(ledger.lossFraction()).to.be.closeTo(closed, 1e-9);
          },
        ),
        { numRuns: 300, seed: 20260417 }, // fixed seed: reproducible in CI
      );
    });
  });

  describe("independent faults", function () {
    it("5 AVSs at 1% give P(any slash) = 1 - 0.99^5 = 4.90% within Monte Carlo error", async function () {
      const eco = validateEcosystem(independentAvsEcosystem(5, 0.01), "independent.json");
      const paths = 200_000;
      const out = await simulateCascade({ ecosystem: eco, paths, seed: 11, workers: 0 });
      const p = 1 - Math.pow(0.99, 5);
      const se = Math.sqrt((p * (1 - p)) / paths);
      expect(p).to.be.closeTo(0.049, 0.0001);
      expect(out.events.pAnySlash).to.be.closeTo(p, 4 * se);
      // and not the naive 5% (the difference is 2 standard errors away at most by chance: use a wide margin)
      for (const a of out.events.avs) expect(a.pFaultObserved).to.be.closeTo(0.01, 4 * Math.sqrt(0.0099 / paths));
    });
  });

  describe("lending closed forms", function () {
    it("loop leverage is 16.8x at LT 95% and HF 1.01", function () {
      expect(loopLeverage({ liquidationThresholdBps: 9500, healthFactor: 1.01 })).to.be.closeTo(16.83, 0.01);
      expect(() => loopLeverage({ liquidationThresholdBps: 9500, healthFactor: 0.95 })).to.throw(/unbounded/);
    });

    it("liquidations stop covering debt near a 4% NAV drop at 93/95/1 (HF 1), ~5% at HF 1.01", function () {
      expect(liquidationBreakEvenDrop({ liquidationThresholdBps: 9500, liquidationBonusBps: 100, healthFactor: 1 })).to.be.closeTo(0.0405, 1e-4);
      expect(liquidationBreakEvenDrop({ liquidationThresholdBps: 9500, liquidationBonusBps: 100, healthFactor: 1.01 })).to.be.closeTo(0.05, 1e-3);
    });

    for (const [drop, expectBad] of [
      [0.039, false],
      [0.042, true],
    ] as const) {
      it(`the engines agree: a position at HF 1 at 93/95/1 ${expectBad ? "leaves" : "does not leave"} bad debt after a ${drop * 100}% NAV drop`, async function () {
        // market-price oracle, deep DEX, no queue discount: price = NAV
        const eco = validateEcosystem(oneShotEcosystem({ slashFraction: drop, positions: [{ collateralTokens: 100, debtEth: 95 }] }), "one-shot.json");
        for (const engine of ["reference", "fast"] as const) {
          const out = await simulateCascade({ ecosystem: eco, paths: 4, seed: 1, engine, workers: 0 });
          expect(out.byLrt[0].navLossFrac.mean).to.be.closeTo(drop, 1e-12);
          expect(out.total.liquidatedEth.mean).to.be.greaterThan(0);
          if (expectBad) {
            // collateral 100 * 0.958 = 95.8 covers 95.8/1.01 = 94.85 of the 95 debt
            expect(out.total.badDebtEth.mean).to.be.closeTo(95 - (100 * (1 - drop)) / 1.01, 1e-6);
          } else {
            expect(out.total.badDebtEth.pPositive).to.equal(0);
          }
        }
      });
    }

    it("Aave close factor: 50% above HF 0.95, 100% at or below", async function () {
      // HF after a 2% drop: 0.95*98/95 = 0.98 -> 50% rounds; after 5.5%: 0.945 -> full close (still solvent: u = 94.5/90 > 1.01)
      const half = validateEcosystem(oneShotEcosystem({ slashFraction: 0.02, positions: [{ collateralTokens: 100, debtEth: 95 }] }), "a.json");
      const out = await simulateCascade({ ecosystem: half, paths: 1, seed: 1, engine: "reference", workers: 0 });
      // u = 98/95 = 1.0316 >= U_1 = 1.01 + (1/0.95 - 1.01)/2 = 1.0313: one 50% round
      expect(out.total.liquidatedEth.mean).to.be.closeTo(95 * 0.5, 1e-9);
      // 3% drop: u = 97/95 = 1.0211 in [U_2 = 1.0207, U_1): two rounds, 75% repaid
      const two = validateEcosystem(oneShotEcosystem({ slashFraction: 0.03, positions: [{ collateralTokens: 100, debtEth: 95 }] }), "c.json");
      for (const engine of ["reference", "fast"] as const) {
        const o = await simulateCascade({ ecosystem: two, paths: 1, seed: 1, engine, workers: 0 });
        expect(o.total.liquidatedEth.mean).to.be.closeTo(95 * 0.75, 1e-9);
      }
      // At 95/1 every position at HF <= 0.95 is already insolvent (LT (1 + LB) > 0.95), so use 80/5:
      // 10% drop on collateral 100 / debt 78: HF = 0.8 * 90 / 78 = 0.923 <= 0.95 and u = 90/78 > 1.05: whole debt repaid.
      const full = validateEcosystem(
        oneShotEcosystem({ slashFraction: 0.1, ltBps: 8000, lbBps: 500, positions: [{ collateralTokens: 100, debtEth: 78 }] }),
        "b.json",
      );
      for (const engine of ["reference", "fast"] as const) {
        const out2 = await simulateCascade({ ecosystem: full, paths: 1, seed: 1, engine, workers: 0 });
        expect(out2.total.liquidatedEth.mean).to.be.closeTo(78, 1e-9);
        expect(out2.total.badDebtEth.mean).to.equal(0);
      }
    });

    it("exit-queue discount is y T / 365", function () {
      expect(queueDiscount({ requiredAnnualReturn: 0.25, exitDays: 9 })).to.be.closeTo(0.00616, 1e-5);
    });
  });

  describe("correlation", function () {
    it("a shared client bug raises the tail versus independent faults with the same marginals", async function () {
      const paths = 100_000;
      const ind = await simulateCascade({ ecosystem: validateEcosystem(independentAvsEcosystem(5, 0.02), "ind.json"), paths, seed: 5, workers: 0 });
      const cor = await simulateCascade({ ecosystem: validateEcosystem(correlatedEcosystem(5, 0.02), "cor.json"), paths, seed: 5, workers: 0 });
      // same marginals: expected NAV loss = 5 * 0.2 * 0.02 * 0.5 = 0.02 in both (within MC error)
      expect(ind.byLrt[0].navLossFrac.mean).to.be.closeTo(0.02 * 0.5, 0.001);
      expect(cor.byLrt[0].navLossFrac.mean).to.be.closeTo(0.02 * 0.5, 0.001);
      // tails: correlated losses are all-or-nothing (50% NAV loss w.p. 2%), independent ones rarely exceed 10%
      expect(cor.byLrt[0].navLossFrac.p99).to.be.greaterThan(ind.byLrt[0].navLossFrac.p99);
      expect(cor.total.badDebtEth.es99).to.be.greaterThan(2 * ind.total.badDebtEth.es99);
      expect(cor.total.badDebtEth.var99).to.be.greaterThan(ind.total.badDebtEth.var99);
      // ...while independent faults hit more often (more, smaller events): the frequency is not the tail
      expect(ind.events.pAnySlash).to.be.greaterThan(cor.events.pAnySlash);
    });
  });
});
