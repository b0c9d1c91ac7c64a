/**
 * Calibration of the replays against the record (docs/calibration.md), baseline runs. Mainly the ezETH 2024-04-24
 * scenario on the real Morpho Blue ("Morpho replay"), population = the event's one book (shared with the model, which
 * reads it from the scenario: test/model/calibration.test.ts), oracle following the aggregated market feed. Each
 * figure with a record is compared within 2x; where the replay misses, the test asserts the miss and the run that
 * shows its cause, so docs/calibration.md cannot go stale. Nothing here is tuned: the diagnostics change only the
 * DEX depth the liquidator sells into, or drop the pool's refill between liquidation rounds. The book's position count is derived
 * from the record's mean call (5,035 WETH / 138), so the liquidation count tests the mechanics given that size.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import { CALIBRATION_EVENTS, MORPHO_EZETH_86_SUPPLIED_WETH, MORPHO_EZETH_86_UTILIZATION } from "../../scripts/replay/calibration";
import { loadMorphoMarketFile } from "../../scripts/markets/morpho/marketFile";
import { planScenarioPopulation } from "../../scripts/markets/replica/population";
import { loadMarketFile } from "../../scripts/markets/replica/marketFile";
import { loadScenario } from "../../scripts/replay/loader";
import { runScenarioReplay } from "../../scripts/replay/run";
import type { RunResult } from "../../scripts/replay/types";

const within2x = (x: number, record: number) => (record === 0 ? x === 0 : x >= record / 2 && x <= record * 2);
const recordOf = (id: string) => CALIBRATION_EVENTS.find((e) => e.id === id)!.record;
const record = recordOf("ezeth-2024-04-24");

async function baseline(scenario: string): Promise<RunResult> {
  const { result } = await runScenarioReplay({ hre, scenario, aave: "3.0", runs: ["baseline"] });
  return result.runs.find((r) => r.run === "baseline")!;
}

describe("replay: calibration to the record, baseline runs (docs/calibration.md)", function () {
  this.timeout(900_000);

  it("the scenario's book is the market's published size (6,840 WETH of debt at the start price and the market file's LLTV) and its oracle the aggregated feed, not the pool", function () {
    const s = loadScenario("ezeth-2024-04-24").scenario;
    expect(s.venue).to.equal("morpho");
    expect(s.reflexive).to.equal(false);
    const lltv = loadMorphoMarketFile().markets.find((m) => m.collateral === "ezETH")!.lltvBps / 10_000;
    const debt = planScenarioPopulation(s.positions).reduce((a, p) => a + (p.collateralTokens * s.path[0].marketPrice! * lltv) / p.healthFactor, 0);
    expect(debt).to.be.closeTo(MORPHO_EZETH_86_SUPPLIED_WETH * MORPHO_EZETH_86_UTILIZATION, 0.01);
  });

  it("bundled replay (pool refilled by arbitrage between liquidation rounds): calls, repaid and seized within 2x of the record, bad debt present, liquidations over by 02:52:35 as in the record; the bad-debt amount misses", async function () {
    const b = await baseline("ezeth-2024-04-24");
    const capital = loadScenario("ezeth-2024-04-24").scenario.dex.arbitrageCapitalEth!;
    // the refill is bounded by the scenario's arbitrage capital and was used
    expect(b.arbitrageRefillEth, "refill").to.be.greaterThan(0);
    expect(b.arbitrageRefillEth!).to.be.at.most(capital);
    // calls, not positions: the exit sizes partial calls, so there are more calls than positions
    expect(within2x(b.liquidations, record.liquidations!), `liquidations ${b.liquidations}`).to.equal(true);
    expect(b.liquidations).to.be.greaterThan(b.positionsLiquidated);
    expect(within2x(b.liquidatedDebtEth, record.repaidEth!), `repaid ${b.liquidatedDebtEth}`).to.equal(true);
    expect(within2x(b.seizedCollateral, record.seizedTokens!), `seized ${b.seizedCollateral}`).to.equal(true);
    expect(b.badDebtEth > 0, `bad debt ${b.badDebtEth}`).to.equal(record.badDebtPresent);
    // record: 145 of the 146 liquidations (both ezETH markets) by 02:52:35 UTC = t 3155 s (t = 0 is 02:00)
    expect(Math.max(...b.liquidationLog.map((l) => l.t))).to.be.at.most(3155);
    // known miss: the amount (the path's feed falls at most 5 points a step; see docs/calibration.md)
    expect(within2x(b.badDebtEth, record.badDebtEth!), `bad debt ${b.badDebtEth}`).to.equal(false);
    expect(b.badDebtEth).to.be.lessThan(record.badDebtEth! / 2);
  });

  it("the same replay without the refill (one liquidation round a step, the pool re-anchored once a step): repaid and seized below half the record, so the refill is what brings it within 2x", async function () {
    const doc = JSON.parse(fs.readFileSync(loadScenario("ezeth-2024-04-24").file, "utf8"));
    doc.id = "ezeth-2024-04-24-no-refill";
    delete doc.dex.arbitrageCapitalEth;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cg-calib-")), "ezeth-no-refill.json");
    fs.writeFileSync(file, JSON.stringify(doc));
    const b = await baseline(file);
    expect(b.arbitrageRefillEth).to.equal(undefined);
    expect(b.liquidatedDebtEth, `repaid ${b.liquidatedDebtEth}`).to.be.lessThan(record.repaidEth! / 2);
    expect(b.seizedCollateral, `seized ${b.seizedCollateral}`).to.be.lessThan(record.seizedTokens! / 2);
    // the refill is bounded by the capital: 1 ETH cannot pay for one refill, so the run is the no-refill run
    doc.id = "ezeth-2024-04-24-tiny-refill";
    doc.dex.arbitrageCapitalEth = 1;
    const tinyFile = path.join(path.dirname(file), "ezeth-tiny-refill.json");
    fs.writeFileSync(tinyFile, JSON.stringify(doc));
    const tiny = await baseline(tinyFile);
    expect(tiny.arbitrageRefillEth).to.equal(0);
    expect(tiny.liquidations).to.equal(b.liquidations);
    expect(tiny.liquidatedDebtEth).to.be.closeTo(b.liquidatedDebtEth, 1e-9);
  });

  it("diagnostic: with the liquidator's exit unconstrained (DEX depth 1e6), every position the path's trough reaches is closed, in one call each, and repaid, seized and the call count are within 2x of the record: the book lets an exit reach the record", async function () {
    const doc = JSON.parse(fs.readFileSync(loadScenario("ezeth-2024-04-24").file, "utf8"));
    doc.id = "ezeth-2024-04-24-deep-dex";
    doc.dex.depth = 1_000_000;
    for (const p of doc.path) if (p.dexDepth !== undefined) p.dexDepth = 1_000_000;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cg-calib-")), "ezeth-deep-dex.json");
    fs.writeFileSync(file, JSON.stringify(doc));
    const b = await baseline(file);
    // The debt the path's trough can reach: positions whose starting HF (at price 1.0) x the lowest feed price < 1.
    const s = loadScenario("ezeth-2024-04-24").scenario;
    const start = s.path[0].marketPrice!;
    const trough = Math.min(...s.path.flatMap((p) => (p.marketPrice === undefined ? [] : [p.marketPrice])));
    const plan = planScenarioPopulation(s.positions);
    const reachable = plan.filter((p) => (p.healthFactor * trough) / start < 1);
    const reachableDebtEth = reachable.reduce((a, p) => a + (p.collateralTokens * start * 0.86) / p.healthFactor, 0);
    // with the exit unconstrained, each reachable position is closed in full (Morpho) in one call, nothing more
    expect(b.positionsLiquidated).to.equal(reachable.length);
    expect(b.liquidations).to.equal(reachable.length);
    expect(b.liquidatedDebtEth).to.be.closeTo(reachableDebtEth, reachableDebtEth * 0.02);
    // ... and the book lets an exit reach the record: repaid, seized and calls within 2x
    expect(within2x(b.liquidatedDebtEth, record.repaidEth!), `repaid ${b.liquidatedDebtEth}`).to.equal(true);
    expect(within2x(b.seizedCollateral, record.seizedTokens!), `seized ${b.seizedCollateral}`).to.equal(true);
    expect(within2x(b.liquidations, record.liquidations!), `liquidations ${b.liquidations}`).to.equal(true);
    // known miss: the path's feed falls by at most 5 points a step, so each position is closed in full before it is
    // under water; the record's 10.96 WETH came from positions the feed jumped past
    expect(b.badDebtEth > 0).to.not.equal(record.badDebtPresent);
  });

  describe("the other replays against the record (baseline)", function () {
    for (const id of ["weeth-2024-08-05", "exit-queue-2025-07"]) {
      it(`${id}: no liquidation and no bad debt, as in the record`, async function () {
        const b = await baseline(id);
        expect(within2x(b.liquidations, recordOf(id).liquidations!)).to.equal(true);
        expect(b.badDebtEth > 0).to.equal(recordOf(id).badDebtPresent);
      });
    }

    it("steth-2022-06: no bad debt, as in the record", async function () {
      const b = await baseline("steth-2022-06");
      expect(b.badDebtEth > 0).to.equal(recordOf("steth-2022-06").badDebtPresent);
    });

    it("rseth-2026-04-18: bad debt present and within 2x of the 75,081 ETH gap (the forged collateral was invalidated in the recovery: valued at 0)", async function () {
      const rec = recordOf("rseth-2026-04-18");
      const b = await baseline("rseth-2026-04-18");
      expect(b.badDebtEth > 0).to.equal(rec.badDebtPresent);
      expect(within2x(b.badDebtEth, rec.badDebtEth!), `bad debt ${b.badDebtEth}`).to.equal(true);
      // the part on the forged collateral is named: the attacker's whole debt (nothing recovered on burned tokens)
      // (its debt at the end: the borrow plus the interest accrued over the event's hours, well under 0.05%)
      expect(b.badDebtOnForgedCollateralEth, "bad debt on forged collateral").to.be.within(b.attackerBorrowEth, b.attackerBorrowEth * 1.0005);
      expect(b.badDebtEth - b.badDebtOnForgedCollateralEth!).to.be.lessThan(b.badDebtOnForgedCollateralEth! / 10);
    });

    it("rseth-2026-04-18: the honest book is sized to the Aave Core anchor (400-666K rsETH, DOMAIN.md §6) and the replica's cap holds it with the attacker's", () => {
      const s = loadScenario("rseth-2026-04-18").scenario;
      expect(s.positions.totalCollateral).to.be.within(400_000, 666_000);
      const attacker = s.events.find((e) => e.kind === "attacker-borrow");
      const cap = loadMarketFile().reserves.find((r) => r.symbol === "rsETH")!.supplyCap;
      expect(attacker?.kind).to.equal("attacker-borrow");
      const attackerTokens = attacker?.kind === "attacker-borrow" ? attacker.collateral : 0;
      expect(cap === 0 || cap >= s.positions.totalCollateral + attackerTokens, `cap ${cap}`).to.equal(true);
    });
  });
});
