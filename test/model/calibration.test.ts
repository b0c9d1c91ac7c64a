import { expect } from "chai";
import { CALIBRATION_EVENTS, impliedBookRun, runCalibrationEvent } from "../../model/calibration";

/**
 * Calibration against the record (docs/calibration.md). Each figure that has a record is checked in one of two ways:
 *  - "within 2x": the model figure is within a factor 2 of the record (0 means 0; presence / absence of bad debt
 *    must match);
 *  - "known miss": the model misses the record and docs/calibration.md says so; the test pins the miss so the doc
 *    cannot silently go stale (if the model starts to match, this test fails and the doc must be updated).
 * Shocks are sized to the record's broad price only; nothing here is tuned to make a figure pass.
 */
const within2x = (model: number, record: number) => (record === 0 ? model === 0 : model >= record / 2 && model <= record * 2);
const event = (id: string) => CALIBRATION_EVENTS.find((e) => e.id === id)!;

describe("model: calibration to the record (docs/calibration.md)", function () {
  this.timeout(120_000);

  it("every calibration event and record figure carries its sources", function () {
    for (const e of CALIBRATION_EVENTS) {
      expect(e.record.sources.length, e.id).to.be.greaterThan(0);
      for (const s of e.record.sources) expect(s, e.id).to.match(/DOMAIN\.md|est\./);
    }
  });

  it("shocks are sized to the record's broad price (market alone, no lending venue)", function () {
    for (const e of CALIBRATION_EVENTS) {
      const r = runCalibrationEvent(e);
      // rsETH: the backing loss alone is below the record price, no seller is added
      if (r.sellFracOfSupply > 0) expect(r.exogenousMinPrice, e.id).to.be.closeTo(e.record.broadPrice, 1e-6);
    }
  });

  describe("within 2x of the record", function () {
    it("weETH 2024-08-05: no liquidation and no bad debt on Aave (exchange-rate oracle)", function () {
      const r = runCalibrationEvent(event("weeth-2024-08-05"));
      expect(within2x(r.liquidations, 0)).to.equal(true);
      expect(r.badDebtEth > 0).to.equal(event("weeth-2024-08-05").record.badDebtPresent);
    });

    it("exit queue 2025-07: no liquidation and no bad debt", function () {
      const r = runCalibrationEvent(event("exit-queue-2025-07"));
      expect(within2x(r.liquidations, 0)).to.equal(true);
      expect(r.badDebtEth > 0).to.equal(false);
    });

    it("ezETH 2024-04-24: bad debt present; with the book the record's repaid volume implies, bad debt within 2x of 10.96 WETH", function () {
      const ev = event("ezeth-2024-04-24");
      expect(runCalibrationEvent(ev).badDebtEth > 0).to.equal(ev.record.badDebtPresent);
      const r = impliedBookRun(ev)!;
      expect(r.repaidEth).to.be.closeTo(ev.record.repaidEth!, 1);
      expect(within2x(r.badDebtEth, ev.record.badDebtEth!), `bad debt ${r.badDebtEth}`).to.equal(true);
      // the market-oracle cascade deepens the 0.87 broad shock but stays above the record feed's < 0.80 floor
      expect(r.minPrice).to.be.within(0.78, 0.87);
    });

    it("rsETH 2026-04-18: bad debt present", function () {
      const r = runCalibrationEvent(event("rseth-2026-04-18"));
      expect(r.badDebtEth > 0).to.equal(true);
    });
  });

  describe("known misses (stated in docs/calibration.md)", function () {
    it("ezETH 2024-04-24 with the estimated Morpho book (222K ETH): repaid and bad debt far above the record", function () {
      const ev = event("ezeth-2024-04-24");
      const r = runCalibrationEvent(ev);
      expect(within2x(r.repaidEth, ev.record.repaidEth!)).to.equal(false);
      expect(r.badDebtEth).to.be.greaterThan(100 * ev.record.badDebtEth!);
    });

    it("ezETH 2024-04-24: the liquidation count misses even with the implied book (the position count is an estimate)", function () {
      const ev = event("ezeth-2024-04-24");
      expect(within2x(impliedBookRun(ev)!.liquidations, ev.record.liquidations!)).to.equal(false);
    });

    it("stETH 2022-06: the estimated loop book leaves bad debt the record does not have", function () {
      const r = runCalibrationEvent(event("steth-2022-06"));
      expect(r.badDebtEth > 0).to.not.equal(event("steth-2022-06").record.badDebtPresent);
    });

    it("rsETH 2026-04-18: bad debt below half the 75,081 ETH gap (the model's oracle sees the loss; the real one did not)", function () {
      const r = runCalibrationEvent(event("rseth-2026-04-18"));
      expect(r.badDebtEth).to.be.lessThan(event("rseth-2026-04-18").record.badDebtEth! / 2);
    });
  });
});
