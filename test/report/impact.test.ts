/**
 * The report's impact view: an impact file (`cascade-guard/impact@1`, what params:push --impact-out writes) becomes
 * an HF histogram before/after and tables of the accounts newly liquidatable / at risk. The fixture is typed as
 * the engine's own `ImpactResult`, so a change of the engine's output shape breaks this test at compile time.
 */
import { expect } from "chai";
import { buildReport, buildReportView, detectInput, inputsFromObjects, reportCharts, ReportInputError } from "../../report";
import { impactView } from "../../report/impact-input";
import { HF_BINS, type ImpactResult } from "../../scripts/ops/impact/check";
import { IMPACT_SCHEMA } from "../../spec/formats";

function impactFile(over: Partial<ImpactResult> = {}): ImpactResult {
  const acct = (i: number, hfBefore: number, hfAfter: number) => ({ account: `0x${String(i).padStart(40, "0")}`, hfBefore, hfAfter, debtEth: 100 + i, collateralEth: 110 + i });
  const bins = [...HF_BINS.map((b) => ({ ...b, before: 0, after: 0 })), { label: "no debt", lo: null, hi: null, before: 1, after: 1 }];
  bins[1].after = 2; // 0.95-1.00
  bins[3].before = 2; // 1.01-1.02
  bins[4].before = 5;
  bins[4].after = 5;
  return {
    schema: IMPACT_SCHEMA,
    network: "localhost",
    chainId: 31337,
    forkBlock: 123,
    forkTimestamp: 1_800_000_000,
    generatedAt: "2026-12-05T00:00:00.000Z",
    horizonHours: 0,
    accountsSource: { kind: "file", file: "accounts.txt" },
    accountsChecked: 8,
    accountsWithDebt: 7,
    writes: [{ label: "WideningHaircutModule.configureAsset(weETH)", from: "0x" + "1".repeat(40), to: "0x" + "2".repeat(40), data: "0x" }],
    writeFailures: [],
    keeperNotes: [],
    policy: { maxNewLiquidatableAccounts: 0, maxNewLiquidatableDebtEth: 0 },
    summary: { liquidatableBefore: 0, liquidatableAfter: 2, newlyLiquidatable: 2, newlyLiquidatableDebtEth: 203, newlyAtRisk: 1 },
    hfHistogram: bins,
    newlyLiquidatable: [acct(1, 1.015, 0.994), acct(2, 1.018, 0.997)],
    newlyAtRisk: [acct(3, 1.06, 1.04)],
    prices: [{ symbol: "weETH", asset: "0x" + "3".repeat(40), aavePriceEthBefore: 1.06, aavePriceEthAfter: 1.06, aavePriceChangeBps: 0, exchangeRateBefore: 1.06, exchangeRateAfter: 1.06, marketPriceAfter: 1.06, levelAfter: "NORMAL" }],
    module: [],
    consistency: { introduced: [], existing: [] },
    refusals: ["2 account(s) become liquidatable (limit 0)"],
    refused: true,
    accepted: { reason: "AIP-000 reviewed" },
    elapsedMs: 1234,
    ...over,
  };
}

describe("report: impact view (HF histogram before/after, accounts newly at risk)", () => {
  it("recognises an impact file by its schema and draws the histogram before/after from its bins", () => {
    const input = detectInput("impact.json", impactFile());
    expect(input.kind).to.equal("impact");
    const view = buildReportView({ inputs: [input], generatedAt: "x" });
    expect(view.impacts).to.have.length(1);
    const charts = reportCharts(view).filter((c) => c.section.startsWith("impact"));
    expect(charts.map((c) => c.chart.id)).to.deep.equal(["impact-hf-histogram"]);
    const series = (charts[0].chart.option.series as Array<{ name: string; data: number[] }>);
    const f = impactFile();
    expect(series[0].data).to.deep.equal(f.hfHistogram.map((b) => b.before));
    expect(series[1].data).to.deep.equal(f.hfHistogram.map((b) => b.after));
    expect((charts[0].chart.option.xAxis as { data: string[] }).data).to.deep.equal(f.hfHistogram.map((b) => b.label));
  });

  it("lists every newly liquidatable and newly at-risk account with HF before/after and debt, and the operator's reason", () => {
    const html = buildReport({ inputs: inputsFromObjects([{ name: "impact.json", data: impactFile() }]), generatedAt: "x" });
    expect(html).to.contain('id="impact"');
    expect(html).to.contain("Accounts newly liquidatable (2)");
    expect(html).to.contain(`0x${"1".padStart(40, "0")}`);
    expect(html).to.contain("0.9940");
    expect(html).to.contain("Accounts newly at risk, HF in [1, 1.05) (1)");
    expect(html).to.contain("accepted by the operator: AIP-000 reviewed");
    expect(html).to.contain("2 account(s) become liquidatable (limit 0)");
  });

  it("a report without an impact file has no impact section", () => {
    const html = buildReport({ inputs: [], generatedAt: "x" });
    expect(html).to.not.contain('id="impact"');
  });

  it("a malformed impact file is refused naming the file and the field", () => {
    const bad = impactFile() as unknown as { hfHistogram: Array<Record<string, unknown>> };
    bad.hfHistogram[1].after = "two";
    expect(() => impactView("impact.json", bad)).to.throw(ReportInputError, /^impact\.json: hfHistogram\[1\]\.after: Expected number, received string/);
    const noAcc = { ...impactFile(), newlyLiquidatable: [{ account: "0x1", hfBefore: 1, hfAfter: 0.9 }] };
    expect(() => impactView("i.json", noAcc)).to.throw(ReportInputError, /^i\.json: newlyLiquidatable\[0\]\.debtEth: Required/);
  });
});
