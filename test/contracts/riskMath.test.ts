import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import * as rm from "../../spec/riskMath";
import { WAD } from "../../spec/units";

const KNOTS: rm.Knots = [50, 0, 200, 150, 500, 600, 1500, 2500];

async function deployHarness() {
  const harness = await ethers.deployContract("RiskMathHarness");
  return { harness };
}

/** Random valid knots: strictly increasing x, non-decreasing y <= 1e4. */
const knotsArb = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: 0, max: 9_999 }), { minLength: 4, maxLength: 4 }),
    fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 4, maxLength: 4 }),
  )
  .map(([xs, ys]) => {
    const x = [...xs].sort((a, b) => a - b);
    const y = [...ys].sort((a, b) => a - b);
    return [x[0], y[0], x[1], y[1], x[2], y[2], x[3], y[3]] as unknown as rm.Knots;
  });

describe("RiskMath (Solidity library vs TypeScript mirror)", function () {
  describe("fixed vectors", function () {
    it("shortfallBps rounds up and floors at 0", async function () {
      const { harness } = await loadFixture(deployHarness);
      const cases: [bigint, bigint, bigint][] = [
        [WAD, WAD, 0n],
        [WAD + 1n, WAD, 0n],
        [(WAD * 99n) / 100n, WAD, 100n],
        [WAD - 1n, WAD, 1n], // a tiny discount rounds up to 1 bp
        [0n, WAD, 10_000n],
        [(WAD * 9_350n) / 10_000n, (WAD * 105n) / 100n, 1_096n], // 1 - 0.935/1.05 = 10.952...% -> 1096 bp
      ];
      for (const [low, ref, expected] of cases) {
        expect(await harness.shortfallBps(low, ref)).to.equal(expected);
        expect(rm.shortfallBps({ lowWad: low, refWad: ref })).to.equal(expected);
      }
    });

    it("decayFactorWad halves every half-life and is within 2e-5 of 2^-x", async function () {
      const { harness } = await loadFixture(deployHarness);
      expect(await harness.decayFactorWad(0, 3600)).to.equal(WAD);
      expect(await harness.decayFactorWad(3600, 3600)).to.equal(WAD / 2n);
      expect(await harness.decayFactorWad(7200, 3600)).to.equal(WAD / 4n);
      expect(await harness.decayFactorWad(64 * 3600, 3600)).to.equal(0n);
      expect(await harness.decayFactorWad(10, 0)).to.equal(0n);
      for (const [t, h] of [
        [1800, 3600],
        [1234, 3600],
        [5000, 1000],
        [1, 86_400],
      ]) {
        const got = await harness.decayFactorWad(t, h);
        expect(got).to.equal(rm.decayFactorWad({ elapsedSeconds: BigInt(t), halfLifeSeconds: BigInt(h) }));
        const exact = Math.pow(2, -t / h);
        expect(Math.abs(Number(got) / 1e18 - exact)).to.be.lessThan(2e-5);
      }
    });

    it("emaBps moves toward the sample by the decay factor", async function () {
      const { harness } = await loadFixture(deployHarness);
      expect(await harness.emaBps(0, 1000, 3600, 3600)).to.equal(500n);
      expect(await harness.emaBps(1000, 0, 3600, 3600)).to.equal(500n);
      expect(await harness.emaBps(400, 400, 99, 3600)).to.equal(400n);
      expect(await harness.emaBps(0, 1000, 0, 3600)).to.equal(0n);
      expect(await harness.emaBps(0, 1000, 10, 0)).to.equal(1000n);
    });

    it("curveHaircutBps interpolates, rounds up, and is flat outside the knots", async function () {
      const { harness } = await loadFixture(deployHarness);
      const cases: [number, bigint][] = [
        [0, 0n],
        [50, 0n],
        [125, 75n],
        [126, 76n], // 150*76/150 = 76
        [127, 77n], // 77 exactly
        [200, 150n],
        [201, 152n], // 150 + ceil(450/300)
        [1000, 1550n], // 600 + ceil(1900*500/1000)
        [1500, 2500n],
        [9000, 2500n],
      ];
      for (const [d, expected] of cases) {
        expect(await harness.curveHaircutBps(d, [...KNOTS])).to.equal(expected, `d=${d}`);
        expect(rm.curveHaircutBps({ discountBps: BigInt(d), knots: KNOTS })).to.equal(expected);
      }
    });

    it("isValidCurve rejects non-increasing x, decreasing y and y > 100%", async function () {
      const { harness } = await loadFixture(deployHarness);
      const bad: rm.Knots[] = [
        [50, 0, 50, 150, 500, 600, 1500, 2500],
        [50, 200, 100, 150, 500, 600, 1500, 2500],
        [50, 0, 200, 150, 500, 600, 1500, 10_001],
      ];
      expect(await harness.isValidCurve([...KNOTS])).to.equal(true);
      for (const k of bad) {
        expect(await harness.isValidCurve([...k])).to.equal(false);
        expect(rm.isValidCurve(k)).to.equal(false);
      }
    });

    it("rampStep rounds the step down and never consumes more time than elapsed", async function () {
      const { harness } = await loadFixture(deployHarness);
      expect(await harness.rampStep(3600, 25)).to.deep.equal([25n, 3600n]);
      expect(await harness.rampStep(143, 25)).to.deep.equal([0n, 0n]);
      expect(await harness.rampStep(200, 25)).to.deep.equal([1n, 144n]);
      expect(await harness.rampStep(1000, 0)).to.deep.equal([0n, 0n]);
    });

    it("nextLevel escalates at once and de-escalates only below the hysteresis band", async function () {
      const { harness } = await loadFixture(deployHarness);
      // elevated 100, stress 300, hysteresis 50
      const cases: [number, number, boolean, number][] = [
        [0, 99, false, 0],
        [0, 100, false, 1],
        [0, 300, false, 2],
        [1, 60, false, 1], // 60 + 50 >= 100: stays ELEVATED
        [1, 49, false, 0],
        [2, 260, false, 2], // 260 + 50 >= 300
        [2, 249, false, 1], // below stress band, but still >= 100 - 50
        [2, 40, false, 0],
        [0, 0, true, 3],
        [3, 0, false, 0],
        [3, 280, false, 2], // leaving IMPAIRED is treated as leaving STRESSED
      ];
      for (const [cur, d, imp, expected] of cases) {
        expect(await harness.nextLevel(cur, d, 100, 300, 50, imp)).to.equal(expected, `cur=${cur} d=${d}`);
        expect(
          rm.nextLevel({
            currentLevel: cur,
            discountBps: BigInt(d),
            elevatedBps: 100n,
            stressBps: 300n,
            hysteresisBps: 50n,
            impaired: imp,
          }),
        ).to.equal(expected);
      }
    });
  });

  describe("random vectors agree between Solidity and TypeScript", function () {
    it("curve, total haircut, EMA, shortfall, ramp, moveToward (seeded)", async function () {
      const { harness } = await loadFixture(deployHarness);
      const samples = fc.sample(
        fc.record({
          knots: knotsArb,
          d: fc.integer({ min: 0, max: 10_000 }),
          nav: fc.integer({ min: 0, max: 10_000 }),
          mult: fc.integer({ min: 0, max: 65_535 }),
          prev: fc.integer({ min: 0, max: 10_000 }),
          t: fc.integer({ min: 0, max: 30 * 86_400 }),
          h: fc.integer({ min: 0, max: 7 * 86_400 }),
          low: fc.bigInt({ min: 0n, max: 3n * WAD }),
          ref: fc.bigInt({ min: 1n, max: 3n * WAD }),
          rate: fc.integer({ min: 0, max: 10_000 }),
        }),
        { numRuns: 60, seed: 20260418 },
      );
      for (const s of samples) {
        const k = [...s.knots];
        expect(await harness.curveHaircutBps(s.d, k)).to.equal(
          rm.curveHaircutBps({ discountBps: BigInt(s.d), knots: s.knots }),
        );
        expect(await harness.totalHaircutBps(s.d, s.nav, s.mult, k)).to.equal(
          rm.totalHaircutBps({
            discountBps: BigInt(s.d),
            navDropBps: BigInt(s.nav),
            navDropHaircutMultiplierBps: BigInt(s.mult),
            knots: s.knots,
          }),
        );
        expect(await harness.emaBps(s.prev, s.d, s.t, s.h)).to.equal(
          rm.emaBps({
            prevEmaBps: BigInt(s.prev),
            sampleBps: BigInt(s.d),
            elapsedSeconds: BigInt(s.t),
            halfLifeSeconds: BigInt(s.h),
          }),
        );
        expect(await harness.shortfallBps(s.low, s.ref)).to.equal(rm.shortfallBps({ lowWad: s.low, refWad: s.ref }));
        const step = rm.rampStep({ elapsedSeconds: BigInt(s.t), rateBpsPerHour: BigInt(s.rate) });
        expect(await harness.rampStep(s.t, s.rate)).to.deep.equal([step.stepBps, step.consumedSeconds]);
        expect(await harness.moveToward(s.prev, s.d, s.rate)).to.equal(
          rm.moveToward({ current: BigInt(s.prev), target: BigInt(s.d), maxStep: BigInt(s.rate) }),
        );
      }
    });
  });

  describe("properties of the haircut math (fast-check)", function () {
    const targetArb = fc.record({
      knots: knotsArb,
      d1: fc.integer({ min: 0, max: 10_000 }),
      d2: fc.integer({ min: 0, max: 10_000 }),
      ema: fc.integer({ min: 0, max: 10_000 }),
      nav: fc.integer({ min: 0, max: 3_000 }),
      mult: fc.integer({ min: 0, max: 30_000 }),
      impaired: fc.boolean(),
      baseLt: fc.integer({ min: 100, max: 9_800 }),
      ltvGap: fc.integer({ min: 0, max: 2_000 }),
      floorLt: fc.integer({ min: 0, max: 9_800 }),
      floorLtv: fc.integer({ min: 1, max: 9_800 }),
      lbExtra: fc.integer({ min: 1, max: 2_000 }),
    });

    type TargetSample = typeof targetArb extends fc.Arbitrary<infer T> ? T : never;
    function targetOf(s: TargetSample, d: number) {
      const baseLtBps = BigInt(s.baseLt);
      const baseLtvBps = baseLtBps - BigInt(Math.min(s.ltvGap, s.baseLt - 1));
      const floorLtBps = BigInt(Math.min(s.floorLt, s.baseLt));
      const floorLtvBps = BigInt(Math.min(s.floorLtv, Number(floorLtBps), Number(baseLtvBps)));
      return {
        baseLtBps,
        baseLtvBps,
        floorLtBps,
        floorLtvBps,
        t: rm.haircutTarget({
          discountBps: BigInt(d),
          emaDiscountBps: BigInt(s.ema),
          navDropBps: BigInt(s.nav),
          impaired: s.impaired,
          navDropHaircutMultiplierBps: BigInt(s.mult),
          knots: s.knots,
          baseLtvBps,
          baseLtBps,
          floorLtvBps,
          floorLtBps,
        }),
      };
    }

    it("haircut is monotone non-decreasing in the discount and in the NAV drop", function () {
      fc.assert(
        fc.property(knotsArb, fc.nat(10_000), fc.nat(10_000), fc.nat(5_000), fc.nat(20_000), (k, a, b, nav, m) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const h = (d: number, n: number) =>
            rm.totalHaircutBps({
              discountBps: BigInt(d),
              navDropBps: BigInt(n),
              navDropHaircutMultiplierBps: BigInt(m),
              knots: k,
            });
          return h(lo, nav) <= h(hi, nav) && h(lo, nav) <= h(lo, nav + 1);
        }),
        { seed: 1, numRuns: 2_000 },
      );
    });

    it("targets stay within [floor, base], LTV <= LT, and fall as the discount rises", function () {
      fc.assert(
        fc.property(targetArb, (s) => {
          const [lo, hi] = s.d1 <= s.d2 ? [s.d1, s.d2] : [s.d2, s.d1];
          const a = targetOf(s, lo);
          const b = targetOf(s, hi);
          for (const x of [a, b]) {
            if (x.t.targetLtBps > x.baseLtBps || x.t.targetLtBps < x.floorLtBps) return false;
            if (x.t.targetLtvBps > x.baseLtvBps || x.t.targetLtvBps < x.floorLtvBps) return false;
            if (x.t.targetLtvBps > x.t.targetLtBps) return false;
          }
          return b.t.targetLtvBps <= a.t.targetLtvBps && b.t.targetLtBps <= a.t.targetLtBps;
        }),
        { seed: 2, numRuns: 3_000 },
      );
    });

    it("LT x LB <= 100% holds for every target when it holds at base", function () {
      fc.assert(
        fc.property(targetArb, (s) => {
          const lb = 10_000n + BigInt(s.lbExtra);
          const x = targetOf(s, s.d1);
          // Aave's percentMul rounds half up: LT * LB / 1e4 <= 1e4.
          const ok = (lt: bigint) => (lt * lb + 5_000n) / 10_000n <= 10_000n;
          return !ok(x.baseLtBps) || ok(x.t.targetLtBps);
        }),
        { seed: 3, numRuns: 3_000 },
      );
    });

    it("moveToward never overshoots and never moves more than the step", function () {
      fc.assert(
        fc.property(fc.nat(10_000), fc.nat(10_000), fc.nat(10_000), (c, t, m) => {
          const v = rm.moveToward({ current: BigInt(c), target: BigInt(t), maxStep: BigInt(m) });
          const dist = (x: bigint, y: bigint) => (x > y ? x - y : y - x);
          return dist(v, BigInt(c)) <= BigInt(m) && dist(v, BigInt(t)) <= dist(BigInt(c), BigInt(t));
        }),
        { seed: 4, numRuns: 2_000 },
      );
    });
  });
});
