import { expect } from "chai";
import { densifyPath, eventsDue, exogenousAt, interpolate, stepTimes } from "../../scripts/replay/path";
import { ConstantProductPool, cpMoveToPrice, cpSellCollateral } from "../../spec/dexMath";
import { badDebt, countUnnecessary, unionSeconds } from "../../scripts/replay/engine";
import { debtForHealthFactor, planScenarioPopulation } from "../../scripts/markets/replica/population";
import { loadScenario } from "../../scripts/replay/loader";
import { LiquidationRecord, Scenario } from "../../scripts/replay/types";

const base: Scenario = {
  ...loadScenario("synthetic-correlated-slash").scenario,
  path: [
    { t: 0, marketPrice: 1.0, exchangeRate: 1.0 },
    { t: 600, exchangeRate: 0.9 },
    { t: 1200, marketPrice: 0.8 },
  ],
  events: [{ t: 900, kind: "slash", exchangeRateDropBps: 1000 }],
  stepSeconds: 300,
  durationSeconds: 1500,
};

describe("replay stepping logic (pure)", function () {
  it("interpolates linearly and holds a left-out field at its last value", function () {
    const dense = densifyPath(base.path);
    // marketPrice is left out at t=600: it holds 1.0 there, then falls linearly to 0.8 at 1200.
    expect(interpolate(dense.t, dense.marketPrice, 300)).to.equal(1.0);
    expect(interpolate(dense.t, dense.marketPrice, 900)).to.be.closeTo(0.9, 1e-12);
    expect(interpolate(dense.t, dense.exchangeRate, 300)).to.be.closeTo(0.95, 1e-12);
    // after the last point everything holds.
    expect(interpolate(dense.t, dense.exchangeRate, 5000)).to.equal(0.9);
    expect(interpolate(dense.t, dense.marketPrice, 5000)).to.equal(0.8);
  });

  it("applies a slash multiplicatively to the exchange rate and the market price from its time on", function () {
    const before = exogenousAt({ scenario: base, t: 899 });
    const after = exogenousAt({ scenario: base, t: 900 });
    expect(after.exchangeRate).to.be.closeTo(0.9 * 0.9, 1e-12);
    expect(before.exchangeRate).to.be.closeTo(0.9, 1e-12);
    expect(after.marketPrice).to.be.closeTo(0.9 * 0.9, 1e-12);
    expect(after.backingRatio).to.equal(1);
  });

  it("steps from 0 to the duration and fires each event once at the first step at or after it", function () {
    const times = stepTimes(base);
    expect(times).to.deep.equal([0, 300, 600, 900, 1200, 1500]);
    const fired = times.map((t, i) => eventsDue(base.events, i === 0 ? -1 : times[i - 1], t).length);
    expect(fired).to.deep.equal([0, 0, 0, 1, 0, 0]);
  });

  it("moves a constant-product pool to a target price keeping k, and a sale lowers the price", function () {
    const pool = ConstantProductPool.fromDepth(1000, 1.0);
    const k = pool.reserves.collateral * pool.reserves.eth;
    pool.moveToPrice(0.9);
    expect(pool.price()).to.be.closeTo(0.9, 1e-12);
    expect(pool.reserves.collateral * pool.reserves.eth).to.be.closeTo(k, 1e-6);
    const out = pool.sell(100);
    expect(out).to.be.lessThan(100 * 0.9);
    expect(pool.price()).to.be.lessThan(0.9);
    expect(cpSellCollateral(cpMoveToPrice({ collateral: 10, eth: 10 }, 1), 0).ethOut).to.equal(0);
  });

  it("counts a liquidation as unnecessary only when the pre-liquidation position is healthy at the end price", function () {
    const rec = (user: string, collateralBefore: number, debtBeforeEth: number): LiquidationRecord => ({
      t: 0, user, debtRepaidEth: 1, collateralSeized: 1, healthFactorBefore: 0.99, saleProceedsEth: 1, collateralBefore, debtBeforeEth,
    });
    // LT 95%, end price 1.0: 100 coll / 94 debt -> HF 1.0106 (unnecessary); 100 / 96 -> 0.9896 (necessary).
    const log = [rec("a", 100, 94), rec("b", 100, 96), rec("a", 50, 47)];
    const res = countUnnecessary({ log, endPrice: 1.0, liquidationThresholdBps: 9500 });
    expect(res.users).to.deep.equal(["a"]);
    expect(countUnnecessary({ log, endPrice: 0.9, liquidationThresholdBps: 9500 }).unnecessary).to.equal(0);
  });

  it("values bad debt at the lower of market and backed exchange rate", function () {
    const endExo = { t: 0, marketPrice: 0.95, exchangeRate: 1.0, backingRatio: 0.8 };
    const res = badDebt({ accounts: [{ user: "x", collateralTokens: 100, debtEth: 90 }, { user: "y", collateralTokens: 100, debtEth: 50 }], marketPrice: 0.95, endExo });
    expect(res.badDebtEth).to.be.closeTo(10, 1e-9);
    expect(res.accounts).to.equal(1);
  });

  it("values an attacker's invalidated forged collateral at 0 and names the bad debt on it", function () {
    const endExo = { t: 0, marketPrice: 0.86, exchangeRate: 1.0, backingRatio: 0.83 };
    const accounts = [
      { user: "honest", collateralTokens: 100, debtEth: 90 },
      { user: "attacker", collateralTokens: 1000, debtEth: 900, attacker: true },
    ];
    // Forged tokens left valid: the attacker's 1,000 rsETH keep min(0.86, 0.83) = 830 ETH; gap 70 + honest 7.
    const kept = badDebt({ accounts, marketPrice: 0.86, endExo });
    expect(kept.badDebtEth).to.be.closeTo(77, 1e-9);
    expect(kept.forgedCollateralEth).to.be.closeTo(70, 1e-9);
    // Invalidated in the recovery: the attacker's collateral recovers nothing, its whole debt is bad debt.
    const burned = badDebt({ accounts, marketPrice: 0.86, endExo, forgedCollateralInvalidated: true });
    expect(burned.badDebtEth).to.be.closeTo(907, 1e-9);
    expect(burned.forgedCollateralEth).to.be.closeTo(900, 1e-9);
    expect(burned.accounts).to.equal(2);
  });

  it("measures the union of pause intervals", function () {
    expect(unionSeconds([{ startT: 0, endT: 100 }, { startT: 50, endT: 150 }, { startT: 200, endT: 210 }])).to.equal(160);
    expect(unionSeconds([])).to.equal(0);
  });

  it("plans a reproducible population that sums to the total and respects the HF bounds", function () {
    const p = { count: 50, seed: 7, totalCollateral: 1000, healthFactor: { min: 1.01, mode: 1.08, max: 2 } };
    const a = planScenarioPopulation(p);
    const b = planScenarioPopulation(p);
    expect(a).to.deep.equal(b);
    expect(a.reduce((s, x) => s + x.collateralTokens, 0)).to.be.closeTo(1000, 1e-6);
    for (const x of a) expect(x.healthFactor).to.be.within(1.01, 2);
    expect(planScenarioPopulation({ ...p, seed: 8 })).to.not.deep.equal(a);
    expect(debtForHealthFactor({ collateralTokens: 10, priceEth: 1, liquidationThresholdBps: 9500, healthFactor: 1.0 })).to.be.closeTo(9.5, 1e-12);
  });

  it("plans a population from HF bands: every HF inside a band, each band near its share of the positions", function () {
    const bands = [
      { min: 1.01, max: 1.06, share: 0.4 },
      { min: 1.06, max: 1.25, share: 0.35 },
      { min: 1.25, max: 2.5, share: 0.25 },
    ];
    const p = { count: 1000, seed: 11, totalCollateral: 1000, healthFactor: { bands } };
    const a = planScenarioPopulation(p);
    expect(a).to.deep.equal(planScenarioPopulation(p));
    expect(a.reduce((s, x) => s + x.collateralTokens, 0)).to.be.closeTo(1000, 1e-6);
    for (const x of a) expect(x.healthFactor).to.be.within(1.01, 2.5);
    bands.forEach((b, i) => {
      const n = a.filter((x) => x.healthFactor >= b.min && (x.healthFactor < b.max || i === bands.length - 1)).length;
      // binomial sd at n = 1000 is < 16 positions: 4 sd
      expect(n, `band ${i}`).to.be.closeTo(b.share * p.count, 4 * Math.sqrt(p.count * b.share * (1 - b.share)));
    });
  });
});

describe("expectations and pause caps (pure)", function () {
  const { checkRun, pauseCapViolations } = require("../../scripts/replay/expect") as typeof import("../../scripts/replay/expect");
  const run = (over: Partial<import("../../scripts/replay/types").RunResult>) =>
    ({
      run: "protected", liquidations: 3, liquidatedDebtEth: 1, seizedCollateral: 1, positionsLiquidated: 2, unnecessaryLiquidations: 1,
      badDebtEth: 0.5, badDebtAccounts: 1, pausedSeconds: 3600, trips: 1, minLtvBps: 9000, minLiquidationThresholdBps: 9400, frozen: false,
      finalMarketPrice: 1, attackerBorrowEth: 10, guardLimits: null, pauses: [], initialLiquidationThresholdBps: 9500, timeline: [],
      liquidationLog: [], wallSeconds: 0, ...over,
    }) as import("../../scripts/replay/types").RunResult;

  it("reports every bound a run breaks, and nothing when all hold", function () {
    expect(checkRun(run({}), { liquidationsMin: 1, pausedSecondsMax: 3600, minLtvBpsMax: 9000, frozen: false, attackerBorrowEthMax: 10 })).to.deep.equal([]);
    const f = checkRun(run({}), { liquidationsMax: 2, pausedSecondsMax: 3599, tripsMin: 2, frozen: true, attackerBorrowEthMax: 9.99, unnecessaryLiquidationsMax: 0 });
    expect(f.map((x) => x.key).sort()).to.deep.equal(["attackerBorrowEthMax", "frozen", "liquidationsMax", "pausedSecondsMax", "tripsMin", "unnecessaryLiquidationsMax"]);
  });

  it("flags a pause longer than maxPauseSeconds and paused time above the rolling-window cap", function () {
    const guardLimits = { maxPauseSeconds: 100, cooldownSeconds: 200, windowSeconds: 1000, maxPausedSecondsPerWindow: 150 };
    expect(pauseCapViolations(run({ guardLimits, pauses: [{ startT: 0, endT: 100 }, { startT: 900, endT: 950 }] }))).to.deep.equal([]);
    expect(pauseCapViolations(run({ guardLimits, pauses: [{ startT: 0, endT: 101 }] }))).to.have.length(1);
    expect(pauseCapViolations(run({ guardLimits, pauses: [{ startT: 0, endT: 100 }, { startT: 300, endT: 400 }] })).length).to.be.greaterThan(0);
  });
});

describe("fork-mode version reading and --runs (pure)", function () {
  const { classifyAaveVersion } = require("../../scripts/markets/fork/aaveVersion") as typeof import("../../scripts/markets/fork/aaveVersion");
  const { parseRuns } = require("../../scripts/replay/run") as typeof import("../../scripts/replay/run");

  it("reads v3.0 (no grace period), v3.1+ (grace period, revision <= 10) and v3.7+ (revision >= 11)", function () {
    expect(classifyAaveVersion({ poolRevision: 1, hasGracePeriod: false })).to.equal("v3.0");
    expect(classifyAaveVersion({ poolRevision: 4, hasGracePeriod: true })).to.equal("v3.1+");
    expect(classifyAaveVersion({ poolRevision: 10, hasGracePeriod: true })).to.equal("v3.1+");
    expect(classifyAaveVersion({ poolRevision: 11, hasGracePeriod: true })).to.equal("v3.7+");
  });

  it("parses --runs and rejects an unknown run naming what it expects", function () {
    expect(parseRuns(undefined)).to.deep.equal(["baseline", "protected"]);
    expect(parseRuns("protected")).to.deep.equal(["protected"]);
    expect(() => parseRuns("baseline,guarded")).to.throw(/expected a comma-separated list of baseline, protected; found "guarded"/);
  });
});
