import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { buildReport, buildReportView, detectInput, inputsFromObjects, readReportInputs, reportCharts, ReportInputError } from "../../report";
import { exposureFromEcosystem, effectiveAvsFaultProbabilities, parseEcosystemLike, type EcosystemLike } from "../../report/exposure";
import type { Ecosystem } from "../../model/ecosystem/schema";
import { fmtByFieldName, fmtEth, wadToNumber } from "../../report/format";
import { atAGlance, inlineJson } from "../../report/page";
import { paramsView } from "../../report/params-input";
import { parseReplayResult, ReplayResultSchema, replayView } from "../../report/replay-input";
import type { ReplayResult } from "../../scripts/replay/types";
import { histogram, quantile, tailMetrics } from "../../report/stats";
import { frozenWindows, pauseWindows, replayChart, riskColour, condenseExposure, spreadLabels } from "../../report/charts";
import { histogramTail, parseSimulationOutput, SimulationOutputSchema, simulationViews } from "../../report/simulation-input";
import type { z } from "zod";
import { validateEcosystem as parseEcoForModel } from "../../model/ecosystem/schema";
import { simulateCascade } from "../../model/simulate";
import type { SimulationOutput } from "../../model/output";
import { computeParams, loadPolicy } from "../../model/params";
import { interpolate } from "../../report/charts";

const FIXTURES = path.join(__dirname, "fixtures");
const ecosystemJson = () => JSON.parse(fs.readFileSync(path.join(FIXTURES, "ecosystem-small.json"), "utf8"));

/** A small replay result in the replay area's format (scripts/replay/types.ts), built by hand. */
function replayResult(overrides: Record<string, unknown> = {}) {
  const run = (name: string, pausedAt: number[]) => ({
    run: name,
    liquidations: 2,
    liquidatedDebtEth: 30,
    badDebtEth: name === "baseline" ? 1.5 : 0,
    pausedSeconds: pausedAt.length * 300,
    timeline: [0, 1, 2, 3, 4, 5].map((i) => ({
      t: 1_000 + i * 300,
      marketPrice: 1 - 0.02 * i,
      exchangeRate: 1,
      backingRatio: 1,
      discountBps: 200 * i,
      oraclePrice: 1 - 0.02 * i,
      ltvBps: 9300,
      liquidationThresholdBps: 9500,
      paused: pausedAt.includes(i),
      frozen: false,
      liquidations: i === 4 ? 2 : 0,
      liquidatedDebtEth: i === 4 ? 30 : 0,
      liquidationsCumulative: i >= 4 ? 2 : 0,
    })),
  });
  return { schema: "cascade-guard/replay-result@1", scenarioId: "synthetic-dip", inputHash: "00ff", mode: "replica", seed: 3, runs: [run("baseline", []), run("protected", [1, 2, 5])], ...overrides };
}

describe("report: statistics", () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it("computes VaR as the lower empirical quantile and ES as the mean beyond it", () => {
    const t = tailMetrics(oneToHundred);
    expect(t.var95).to.equal(95);
    expect(t.var99).to.equal(99);
    expect(t.es95).to.equal((95 + 96 + 97 + 98 + 99 + 100) / 6);
    expect(t.es99).to.equal(99.5);
    expect(t.mean).to.equal(50.5);
    expect(t.probabilityPositive).to.equal(1);
    expect(quantile([3, 1, 2], 0.5)).to.equal(2);
  });

  it("counts P(positive) and keeps ES >= VaR on a loss distribution with a mass at zero", () => {
    const samples = [...new Array(90).fill(0), ...Array.from({ length: 10 }, (_, i) => (i + 1) * 10)];
    const t = tailMetrics(samples);
    expect(t.probabilityPositive).to.equal(0.1);
    expect(t.var95).to.equal(50);
    expect(t.es99).to.be.at.least(t.var99);
  });

  it("builds a histogram whose counts add up to the samples", () => {
    const h = histogram(oneToHundred, 7);
    expect(h.counts).to.have.length(7);
    expect(h.binEdges).to.have.length(8);
    expect(h.counts.reduce((a, b) => a + b, 0)).to.equal(100);
    expect(h.binEdges[0]).to.equal(1);
    expect(h.binEdges[7]).to.be.closeTo(100, 1e-9);
  });

  it("rejects empty samples and bad levels", () => {
    expect(() => tailMetrics([])).to.throw(/no samples/);
    expect(() => quantile([1], 1.5)).to.throw(/alpha/);
    expect(() => histogram([1], 0)).to.throw(/bins/);
  });
});

describe("report: formatting", () => {
  it("formats values by the unit suffix of their field name", () => {
    expect(fmtByFieldName("ltvBps", 9300)).to.equal("93.00% (9,300 bps)");
    expect(fmtByFieldName("tripThresholdWad", "950000000000000000")).to.equal("0.9500");
    expect(fmtByFieldName("maxPauseSeconds", 14_400)).to.equal("4.0 h");
    expect(fmtByFieldName("badDebtEth", 12_500)).to.equal("12.5k ETH");
    expect(fmtByFieldName("frozen", true)).to.equal("yes");
    expect(wadToNumber("1234500000000000000")).to.be.closeTo(1.2345, 1e-12);
    expect(fmtEth(undefined)).to.equal("n/a");
  });

  it("inlines JSON that cannot close the script element", () => {
    const text = inlineJson({ s: "</script><script>alert(1)</script><!--" });
    expect(text).to.not.match(/<\/script/i);
    expect(text).to.not.contain("<!--");
    expect(JSON.parse(text)).to.deep.equal({ s: "</script><script>alert(1)</script><!--" });
  });
});

describe("report: input detection", () => {
  it("recognises params, replay, simulation and ecosystem files by their schema", () => {
    expect(detectInput("p.json", { schema: "cascade-guard/params@1", assets: [] }).kind).to.equal("params");
    expect(detectInput("r.json", replayResult()).kind).to.equal("replay");
    expect(detectInput("s.json", { schema: "cascade-guard/simulation@1" }).kind).to.equal("simulation");
    expect(detectInput("e.json", ecosystemJson()).kind).to.equal("ecosystem");
  });

  it("recognises replay results without a schema field by their shape, also as a list", () => {
    const { schema: _schema, ...bare } = replayResult();
    expect(detectInput("bare.json", bare).kind).to.equal("replay");
    expect(detectInput("list.json", [bare, bare]).kind).to.equal("replay");
  });

  it("names the file for unknown or misplaced inputs", () => {
    expect(() => detectInput("mystery.json", { hello: 1 })).to.throw(ReportInputError, /^mystery\.json: schema: missing/);
    expect(() => detectInput("odd.json", { schema: "acme/thing@3" })).to.throw(ReportInputError, /^odd\.json: schema: unknown schema "acme\/thing@3"/);
    expect(() => detectInput("scen.json", { schema: "cascade-guard/scenario@1" })).to.throw(/^scen\.json: schema: .*scenario:replay/);
    expect(() => detectInput("num.json", 42)).to.throw(/^num\.json: expected a JSON object, found number/);
    // Ids are looked up exactly in spec/formats.ts, never matched by pattern.
    expect(() => detectInput("p2.json", { schema: "cascade-guard/params@2" })).to.throw(ReportInputError, /^p2\.json: schema: unknown schema "cascade-guard\/params@2"/);
    expect(() => detectInput("sim.json", { schema: "acme/simulation@1" })).to.throw(ReportInputError, /^sim\.json: schema: unknown schema "acme\/simulation@1"/);
    expect(() => detectInput("rs.json", { schema: "cascade-guard/replays@1" })).to.throw(ReportInputError, /^rs\.json: schema: unknown schema/);
  });

  it("names the file for unreadable and malformed JSON files", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-in-"));
    const bad = path.join(dir, "broken.json");
    fs.writeFileSync(bad, "{ not json");
    expect(() => readReportInputs([bad])).to.throw(ReportInputError, /broken\.json: not valid JSON/);
    expect(() => readReportInputs([path.join(dir, "missing.json")])).to.throw(ReportInputError, /missing\.json: cannot read file \(ENOENT\)/);
    expect(() => readReportInputs([])).to.throw(/at least one input/);
  });
});

describe("report: exposure graph from an ecosystem", () => {
  it("sizes edges by unique stake (stake * m / M) and AVS nodes by slashable stake", () => {
    const view = exposureFromEcosystem("eco.json", parseEcosystemLike("eco.json", ecosystemJson()));
    const link = view.links.find((l) => l.source === "op:op-1" && l.target === "avs:da");
    expect(link?.amountEth).to.equal(150_000); // 300,000 ETH * 5,000 / 10,000
    expect(view.nodes.find((n) => n.id === "avs:da")?.stakeEth).to.equal(200_000); // + op-3's full 50,000
    expect(view.nodes.find((n) => n.id === "lrt:lrt-a")?.stakeEth).to.be.closeTo(210_000, 1e-6);
    const delegation = view.links.find((l) => l.source === "lrt:lrt-a" && l.target === "op:op-1");
    expect(delegation?.amountEth).to.be.closeTo(126_000, 1e-6); // 210,000 * 0.6
    expect(view.links.filter((l) => l.kind === "dependency")).to.deep.equal([{ source: "avs:oracle", target: "avs:bridge", kind: "dependency", probability: 0.5 }]);
  });

  it("propagates fault probability along dependencies (first order, independent)", () => {
    const p = effectiveAvsFaultProbabilities("eco.json", parseEcosystemLike("eco.json", ecosystemJson()));
    expect(p.get("oracle")).to.be.closeTo(0.02, 1e-12);
    expect(p.get("bridge")).to.be.closeTo(1 - 0.99 * (1 - 0.5 * 0.02), 1e-12);
  });

  it("names the file and field for an unknown AVS or a dependency cycle", () => {
    const eco = ecosystemJson();
    eco.operators[1].strategies[0].allocations[0].avs = "ghost";
    expect(() => exposureFromEcosystem("eco.json", parseEcosystemLike("eco.json", eco))).to.throw(/^eco\.json: operators\[1\]\.strategies\[0\]\.allocations\[0\]\.avs: unknown AVS "ghost"/);
    const cyc = ecosystemJson();
    cyc.avss[1].dependencies = [{ avs: "bridge", propagationProbability: 0.1 }];
    expect(() => effectiveAvsFaultProbabilities("eco.json", parseEcosystemLike("eco.json", cyc))).to.throw(/cycle/);
    const bad = ecosystemJson();
    bad.avss[0].faultProbability = 2;
    expect(() => parseEcosystemLike("eco.json", bad)).to.throw(/^eco\.json: avss\[0\]\.faultProbability: /);
  });

  it("folds the smallest nodes into one per layer when there are too many", () => {
    const view = exposureFromEcosystem("eco.json", parseEcosystemLike("eco.json", ecosystemJson()));
    const small = condenseExposure(view, 2);
    const ops = small.nodes.filter((n) => n.kind === "operator");
    expect(ops.map((n) => n.id)).to.deep.equal(["op:op-1", "op:op-2", "other-operator"]);
    const total = (v: typeof view) => v.links.filter((l) => l.kind === "delegation").reduce((s, l) => s + (l.amountEth ?? 0), 0);
    expect(total(small)).to.be.closeTo(total(view), 1e-6);
  });

  it("colours risk on a light-to-dark scale", () => {
    expect(riskColour(0)).to.equal("#fff5d6");
    expect(riskColour(1)).to.equal("#7f0000");
    expect(riskColour(Number.NaN)).to.equal("#fff5d6");
  });
});

describe("report: replay results", () => {
  it("draws a Morpho replay like an Aave one and names the venue beside the oracle", () => {
    const v = replayView("m.json", parseReplayResult("m.json", replayResult({ venue: "morpho", oracle: "market" })));
    expect(v.oracleRegime).to.match(/^market · Morpho Blue/);
    expect(v.runs).to.have.length(2);
    expect(replayChart(v).option.series).to.not.equal(undefined);
    expect(replayView("a.json", parseReplayResult("a.json", replayResult({ oracle: "market" }))).oracleRegime).to.equal("market");
  });

  it("maps the timeline into the view and finds pause windows", () => {
    const r = replayView("r.json", parseReplayResult("r.json", replayResult()));
    const prot = r.runs.find((x) => x.run === "protected")!;
    expect(prot.steps[0].tSeconds).to.equal(0);
    expect(prot.steps[5].tSeconds).to.equal(1500);
    expect(pauseWindows(prot)).to.deep.equal([
      [300 / 3600, 900 / 3600],
      [1500 / 3600, 1500 / 3600],
    ]);
    expect(r.runs[0].summary["bad debt (ETH)"]).to.equal("1.50 ETH");
    const frozen = replayResult();
    frozen.runs[1].timeline.forEach((row, i) => (row.frozen = i === 3 || i === 4));
    expect(frozenWindows(replayView("r.json", parseReplayResult("r.json", frozen)).runs[1])).to.deep.equal([[900 / 3600, 1500 / 3600]]);
  });

  it("names the bad debt on an attacker's invalidated forged collateral, and only where there is one", () => {
    const doc = replayResult();
    Object.assign(doc.runs[0], { badDebtEth: 82_545.2, badDebtOnForgedCollateralEth: 82_465.1, forgedCollateralInvalidated: true });
    Object.assign(doc.runs[1], { badDebtOnForgedCollateralEth: 0, forgedCollateralInvalidated: false });
    const r = replayView("r.json", parseReplayResult("r.json", doc));
    expect(r.runs[0].summary["of which on the attacker's forged collateral (ETH)"]).to.match(/^82\.5k ETH \(invalidated: valued at 0\)$/);
    expect(r.runs[1].summary).to.not.have.property("of which on the attacker's forged collateral (ETH)");
  });

  it("draws the backing ratio only when it moves", () => {
    const names = (data: unknown) => (replayChart(replayView("r.json", parseReplayResult("r.json", data))).option.series as Array<{ name: string }>).map((x) => x.name);
    expect(names(replayResult())).to.not.include("backing ratio");
    const forged = replayResult();
    forged.runs.forEach((run) => run.timeline.forEach((row, i) => (row.backingRatio = i >= 2 ? 0.85 : 1)));
    expect(names(forged)).to.include("backing ratio");
  });

  it("names the file and the field of a bad timeline row", () => {
    const bad = replayResult();
    (bad.runs[0].timeline[3] as Record<string, unknown>).marketPrice = "0.9";
    expect(() => parseReplayResult("bad.json", bad)).to.throw(ReportInputError, /^bad\.json: runs\[0\]\.timeline\[3\]\.marketPrice: Expected number, received string/);
    expect(() => buildReportView({ inputs: [detectInput("list.json", [replayResult(), { ...replayResult(), runs: [{ run: "baseline", timeline: [] }] }])] })).to.throw(
      /^list\.json: \[1\]\.runs\[0\]\.timeline: a run needs at least one timeline row/,
    );
  });
});

describe("report: params files", () => {
  it("reads params files through the one reader (model/params/schema.ts) and never guesses their shape", function () {
    this.timeout(60_000);
    const eco = parseEcoForModel(ecosystemJson());
    const policy = loadPolicy(path.join(__dirname, "..", "..", "scenarios", "ecosystems", "policy-default.json"));
    const file = JSON.parse(JSON.stringify(computeParams({ ecosystem: eco, policy: { ...policy, paths: 500, protectedVenue: "aave" }, generatedAt: "2026-01-01T00:00:00.000Z" })));
    // The per-asset list sits under `assets`; another key is refused, naming the field, not read by guessing.
    const { assets, ...rest } = file;
    expect(() => paramsView("guess.json", { ...rest, params: assets })).to.throw(ReportInputError, /^guess\.json: assets: expected array, found undefined/);
    // A field the reader refuses is refused by the report too (same rule as params:push and the replay).
    const badKnots = JSON.parse(JSON.stringify(file));
    badKnots.assets[0].modelParams.knot2DiscountBps = badKnots.assets[0].modelParams.knot1DiscountBps;
    expect(() => paramsView("knots.json", badKnots)).to.throw(ReportInputError, /^knots\.json: assets\[0\]\.modelParams\.knot2DiscountBps: must be above knot1DiscountBps/);
    expect(() => paramsView("p.json", { schema: "cascade-guard/params@1" })).to.throw(/^p\.json: provenance: expected object, found undefined/);
    // `format` (the second key with the same id) is accepted but no longer needed.
    const { format: _format, ...noFormat } = file;
    expect(paramsView("p.json", noFormat).tables[0].rows).to.have.length(file.assets.reduce((n: number, a: { markets: unknown[] }) => n + a.markets.length, 0));
  });

  it("reads the parameter engine's params file: current -> recommended per market, curves, provenance", function () {
    this.timeout(60_000);
    const eco = parseEcoForModel(ecosystemJson());
    const policy = loadPolicy(path.join(__dirname, "..", "..", "scenarios", "ecosystems", "policy-default.json"));
    const file = computeParams({ ecosystem: eco, policy: { ...policy, paths: 2_000, protectedVenue: "aave" }, generatedAt: "2026-01-01T00:00:00.000Z" });
    const v = paramsView("params.json", JSON.parse(JSON.stringify(file)));
    const markets = v.tables[0];
    expect(markets.rows).to.have.length(file.assets.reduce((n, a) => n + a.markets.length, 0));
    const m0 = file.assets[0].markets[0];
    expect(markets.rows[0][0]).to.equal(`${file.assets[0].symbol} @ ${m0.venue} (${m0.mode})`);
    const lt = (bps: number) => `${(bps / 100).toFixed(2)}%`;
    const expectedLt = m0.current.liquidationThresholdBps === m0.recommended.liquidationThresholdBps ? lt(m0.recommended.liquidationThresholdBps) : `${lt(m0.current.liquidationThresholdBps)} → ${lt(m0.recommended.liquidationThresholdBps)}`;
    expect(markets.rows[0][2]).to.equal(expectedLt);
    expect(v.curves.map((c) => c.asset)).to.deep.equal(file.assets.map((a) => a.symbol));
    expect(v.curves[0].knotsPct[2]).to.deep.equal([file.assets[0].modelParams.knot2DiscountBps / 100, file.assets[0].modelParams.knot2HaircutBps / 100]);
    expect(v.curves[0].tripPct).to.equal(file.assets[0].modelParams.tripDiscountBps / 100);
    expect(v.provenance).to.include({ seed: String(file.provenance.seed), inputHash: file.provenance.inputHash, policyHash: file.provenance.policyHash, modelVersion: file.provenance.modelVersion });
    expect(interpolate([[0, 0], [2, 4], [4, 4]], 1)).to.equal(2);
    expect(interpolate([[1, 0], [2, 4]], 9)).to.equal(4);
  });
});

describe("report: page", () => {
  it("builds a self-contained page with one chart element per chart and no network references", () => {
    const inputs = inputsFromObjects([
      { name: "eco.json", data: ecosystemJson() },
      { name: "replay.json", data: replayResult() },
    ]);
    const view = buildReportView({ inputs, generatedAt: "2026-01-01T00:00:00Z" });
    const charts = reportCharts(view);
    expect(charts.map((c) => c.chart.id)).to.deep.equal(["exposure-graph", "replay-synthetic-dip"]);
    const html = buildReport({ inputs, generatedAt: "2026-01-01T00:00:00Z", title: "A <b>test</b>" });
    for (const { chart } of charts) expect(html).to.contain(`id="${chart.id}"`);
    expect(html).to.contain("<title>A &lt;b&gt;test&lt;/b&gt;</title>");
    expect(html).to.not.match(/<(script|link|img)[^>]+(src|href)=["']?(https?:)?\/\//i);
    expect(html).to.contain("echarts");
    // Deterministic for fixed inputs and timestamp.
    expect(buildReport({ inputs, generatedAt: "2026-01-01T00:00:00Z", title: "A <b>test</b>" })).to.equal(html);
  });

  it("sums up each replay at a glance, baseline -> protected", () => {
    const view = buildReportView({ inputs: inputsFromObjects([{ name: "replay.json", data: replayResult() }]) });
    expect(atAGlance(view)).to.deep.equal([
      "synthetic-dip: liquidations 2 → 2, unnecessary n/a → n/a, bad debt 1.50 ETH → 0 ETH (baseline → protected); paused 15 min.",
    ]);
  });

  it("puts a unit on every visible value axis", () => {
    const inputs = inputsFromObjects([{ name: "replay.json", data: replayResult() }]);
    for (const { chart } of reportCharts(buildReportView({ inputs }))) {
      const axes = ([] as Array<Record<string, unknown>>).concat((chart.option.yAxis as never) ?? [], (chart.option.xAxis as never) ?? []);
      for (const a of axes) {
        if (a.show === false || a.type === "category") continue;
        if (a.name === "") continue; // shared time axis: named once under the bottom panel
        expect(String(a.name), `${chart.id} axis`).to.match(/\(.+\)/);
      }
    }
  });
});

describe("report: simulation output of the model", function () {
  this.timeout(60_000);
  let sim: SimulationOutput;
  before(async () => {
    const eco = parseEcoForModel(ecosystemJson());
    sim = await simulateCascade({ ecosystem: eco, paths: 4_000, seed: 11, workers: 0 });
  });

  it("accepts the model's output type as its input (compile-time) and at run time", () => {
    // If the model's output drifts from what the report reads, this assignment stops compiling.
    const asInput: z.input<typeof SimulationOutputSchema> = sim;
    expect(() => parseSimulationOutput("sim.json", JSON.parse(JSON.stringify(asInput)))).to.not.throw();
  });

  it("draws one histogram panel per LRT whose bars and zero share add up to all paths", () => {
    const v = simulationViews("sim.json", JSON.parse(JSON.stringify(sim)));
    const nav = v.distributions.find((d) => d.metric === "navLoss")!;
    expect(nav.series.map((s) => s.asset)).to.deep.equal(sim.byLrt.map((l) => l.id));
    nav.series.forEach((s, i) => {
      const bars = s.histogram ? s.histogram.counts.reduce((a, b) => a + b, 0) : 0;
      const model = sim.byLrt[i].navLossFrac;
      expect((bars + (s.zeroShare ?? 0) * sim.paths) / sim.paths, s.asset).to.be.closeTo(1, 1e-9);
      expect(s.tail.var99, s.asset).to.equal(model.p99 * 100);
      expect(s.tail.es99!, s.asset).to.be.at.least(s.tail.var99!);
    });
    const bad = v.distributions.find((d) => d.metric === "badDebt")!;
    bad.series.forEach((s, i) => {
      expect(s.tail.var99).to.equal(sim.byLrt[i].badDebtEth.var99);
      expect(s.tail.es99).to.equal(sim.byLrt[i].badDebtEth.es99);
    });
    expect(v.provenance).to.include({ seed: "11", paths: "4000", inputHash: sim.inputHash, modelVersion: sim.modelVersion });
    // Cascade curve: the line never spans missing bins (a null sits between points more than one bin apart).
    for (const series of v.cascade[0].series) {
      for (let k = 1; k < series.points.length; k++) {
        const [x0, y0] = series.points[k - 1];
        const [x1, y1] = series.points[k];
        if (y0 !== null && y1 !== null) expect(x1 - x0, series.asset).to.be.at.most(0.25 + 1e-9);
      }
      expect(series.points.every(([x]) => x < 20), series.asset).to.equal(true); // the open >= 20% bin is drawn apart
    }
  });

  it("names the file and field of a broken simulation output", () => {
    const broken = JSON.parse(JSON.stringify(sim));
    broken.byLrt[1].badDebtEth.var99 = "high";
    expect(() => simulationViews("sim.json", broken)).to.throw(ReportInputError, /^sim\.json: byLrt\[1\]\.badDebtEth\.var99: Expected number, received string/);
  });

  it("computes histogram markers as upper bounds (VaR <= ES)", () => {
    const h = { edges: [0, 1, 2, 3, 4], counts: [90, 5, 4, 1] };
    const t99 = histogramTail(h, 0.99);
    expect(t99.varValue).to.equal(3); // cumulative 99 reached in bin [2, 3)
    expect(t99.es).to.equal(4); // the worst 1% (one path) sits in bin [3, 4): counted at its upper edge
    const t95 = histogramTail(h, 0.95);
    expect(t95.varValue).to.equal(2);
    expect(t95.es).to.be.closeTo((4 * 3 + 1 * 4) / 5, 1e-12);
  });
});

describe("report: the hardhat task", () => {
  it("writes the page from --in files and rejects a bad file naming it, writing nothing", async () => {
    const hre = (await import("hardhat")).default;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-task-"));
    const good = path.join(dir, "replay.json");
    fs.writeFileSync(good, JSON.stringify(replayResult()));
    const eco = path.join(dir, "eco.json");
    fs.writeFileSync(eco, JSON.stringify(ecosystemJson()));
    const out = path.join(dir, "out", "report.html");
    await hre.run("report", { in: good, files: [eco], out });
    const html = fs.readFileSync(out, "utf8");
    expect(html).to.contain('id="replay-synthetic-dip"').and.to.contain('id="exposure-graph"');

    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ schema: "cascade-guard/params@1", assets: "weETH" }));
    const out2 = path.join(dir, "out", "never.html");
    let message = "";
    try {
      await hre.run("report", { in: `${good},${bad}`, files: [], out: out2 });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.match(/bad\.json: provenance: expected object, found undefined/);
    expect(fs.existsSync(out2)).to.equal(false);
  });
});

describe("report: label placement", () => {
  it("spreads end labels that would overlap and leaves separated ones alone", () => {
    expect(spreadLabels([10, 100, 200], 14)).to.deep.equal([0, 0, 0]);
    const off = spreadLabels([50, 52, 120], 14);
    const placed = [50 + off[0], 52 + off[1], 120 + off[2]];
    expect(placed[1] - placed[0]).to.be.closeTo(14, 1e-9);
    expect(off[2]).to.equal(0);
    // Re-centred: the pair moved symmetrically around its original middle.
    expect((placed[0] + placed[1]) / 2).to.be.closeTo(51, 1e-9);
  });
});

/** Compile-time only: if the replay area's result type drifts from what the report reads, this stops compiling. */
export function replayResultIsReportInput(r: ReplayResult): z.input<typeof ReplayResultSchema> {
  return r;
}

/** Compile-time only: the model's ecosystem type carries every field the exposure graph reads. */
export function ecosystemIsReportInput(e: Ecosystem): EcosystemLike {
  return e;
}
