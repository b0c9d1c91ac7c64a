/**
 * Renders a `ReportView` into one self-contained HTML page: the ECharts bundle and every chart
 * option are inlined, so the file opens from disk with no network access.
 */
import fs from "fs";
import {
  type ChartSpec,
  cascadeCurveChart,
  distributionChart,
  exceedanceChart,
  exposureGraphChart,
  replayChart,
  haircutCurveChart,
  impactHistogramChart,
} from "./charts";
import { escapeHtml, fmtEth, fmtPct } from "./format";
import type { ParamsView, ReplayView, ReportView, SummaryTable } from "./views";

/** Version of the report generator; printed in the page footer. */
export const REPORT_VERSION = "0.1.0";

let echartsBundleCache: { source: string; version: string } | undefined;

/** The minified ECharts bundle and its version, read once from node_modules. */
export function echartsBundle(): { source: string; version: string } {
  if (!echartsBundleCache) {
    const file = require.resolve("echarts/dist/echarts.min.js");
    const pkgFile = require.resolve("echarts/package.json");
    const source = fs.readFileSync(file, "utf8");
    const version = (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { version: string }).version;
    if (/<\/script/i.test(source)) throw new Error(`${file}: bundle contains "</script" and cannot be inlined`);
    echartsBundleCache = { source, version };
  }
  return echartsBundleCache;
}

/** JSON safe to place inside a <script> element (no "</script", no "<!--", no U+2028/9). */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Every chart of the report, in page order. Pure. */
export function reportCharts(view: ReportView): { section: string; chart: ChartSpec }[] {
  const out: { section: string; chart: ChartSpec }[] = [];
  view.exposure.forEach((e, i) => out.push({ section: "exposure", chart: exposureGraphChart(e, i) }));
  for (const d of view.distributions) {
    const dist = distributionChart(d);
    if (dist) out.push({ section: "distributions", chart: dist });
    const ex = exceedanceChart(d);
    if (ex) out.push({ section: "distributions", chart: ex });
  }
  view.cascade.forEach((c, i) => out.push({ section: "cascade", chart: cascadeCurveChart(c, i) }));
  for (const r of view.replays) out.push({ section: `replay:${r.scenarioId}`, chart: replayChart(r) });
  view.params.forEach((p, i) => {
    const c = haircutCurveChart(p.curves, p.sourceFile, i);
    if (c) out.push({ section: `params:${i}`, chart: c });
  });
  view.impacts.forEach((v, i) => out.push({ section: `impact:${i}`, chart: impactHistogramChart(v, i) }));
  // Ids must be unique: they are DOM ids and PNG file names.
  const seen = new Map<string, number>();
  for (const { chart } of out) {
    const n = seen.get(chart.id) ?? 0;
    seen.set(chart.id, n + 1);
    if (n > 0) chart.id = `${chart.id}-${n + 1}`;
  }
  return out;
}

function tableHtml(t: SummaryTable): string {
  const head = t.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join("");
  const body = t.rows
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join("")}</tr>`)
    .join("\n");
  return `<figure class="table"><figcaption>${escapeHtml(t.title)}</figcaption><div class="scroll"><table${t.className ? ` class="${escapeHtml(t.className)}"` : ""}>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody></table></div>${t.note ? `<p class="note">${escapeHtml(t.note)}</p>` : ""}</figure>`;
}

function kvTable(title: string, kv: Record<string, string>): string {
  return tableHtml({ title, columns: ["field", "value"], rows: Object.entries(kv).map(([k, v]) => [k, v]) });
}

function chartHtml(c: ChartSpec): string {
  return `<figure class="chart">
<div class="chart-box" id="${escapeHtml(c.id)}" data-chart="${escapeHtml(c.id)}" role="img" aria-label="${escapeHtml(c.title)}" style="height:${c.heightPx}px"></div>
<figcaption>${escapeHtml(c.caption)}</figcaption>
</figure>`;
}

function replaySummaryTable(r: ReplayView): SummaryTable {
  const keys: string[] = [];
  for (const run of r.runs) for (const k of Object.keys(run.summary)) if (!keys.includes(k)) keys.push(k);
  return {
    title: `${r.title}: baseline vs protected`,
    columns: ["metric", ...r.runs.map((x) => x.run)],
    rows: keys.map((k) => [k, ...r.runs.map((run) => {
      const v = run.summary[k];
      return v === null || v === undefined ? "n/a" : String(v);
    })]),
    note: `source: ${r.sourceFile}`,
  };
}

function paramsHtml(p: ParamsView, charts: ChartSpec[]): string {
  return [
    ...charts.map(chartHtml),
    ...p.tables.map(tableHtml),
    kvTable(`Provenance of ${p.sourceFile}`, p.provenance),
    Object.keys(p.policy).length ? kvTable("Policy the parameters satisfy", p.policy) : "",
  ].join("\n");
}

/** Headline sentences drawn from the views (no new numbers: each one is shown in detail further down). */
export function atAGlance(view: ReportView): string[] {
  const out: string[] = [];
  const bad = view.distributions.find((d) => d.metric === "badDebt");
  if (bad && bad.series.length) {
    const worst = [...bad.series].sort((a, b) => (b.tail.es99 ?? 0) - (a.tail.es99 ?? 0))[0];
    const pAny = [...bad.series].sort((a, b) => (b.tail.probabilityPositive ?? 0) - (a.tail.probabilityPositive ?? 0))[0];
    out.push(
      `Fattest bad-debt tail: ${worst.asset}, ES 99% ${fmtEth(worst.tail.es99)} (VaR 99% ${fmtEth(worst.tail.var99)}) over ${worst.paths.toLocaleString("en-US")} paths.`,
    );
    out.push(`Most likely to cause any bad debt: ${pAny.asset}, P(bad debt > 0) = ${fmtPct((pAny.tail.probabilityPositive ?? 0) * 100)}.`);
  }
  const nav = view.distributions.find((d) => d.metric === "navLoss");
  if (nav && nav.series.length) {
    const worst = [...nav.series].sort((a, b) => (b.tail.probabilityPositive ?? 0) - (a.tail.probabilityPositive ?? 0))[0];
    out.push(`Most exposed to slashing: ${worst.asset}, P(NAV loss > 0) = ${fmtPct((worst.tail.probabilityPositive ?? 0) * 100)}, NAV loss VaR 99% ≤ ${fmtPct(worst.tail.var99)}.`);
  }
  for (const r of view.replays) {
    const b = r.runs.find((x) => /base/i.test(x.run));
    const p = r.runs.find((x) => /protect/i.test(x.run));
    const f = (run: typeof b, k: string) => (run ? String(run.summary[k] ?? "n/a") : "n/a");
    if (b && p) {
      out.push(
        `${r.title}: liquidations ${f(b, "liquidations (count)")} → ${f(p, "liquidations (count)")}, unnecessary ${f(b, "unnecessary liquidations")} → ${f(p, "unnecessary liquidations")}, bad debt ${f(b, "bad debt (ETH)")} → ${f(p, "bad debt (ETH)")} (baseline → protected); paused ${f(p, "time paused")}.`,
      );
      const attacker = [f(b, "attacker borrow (ETH)"), f(p, "attacker borrow (ETH)")];
      if (attacker.some((a) => a !== "0 ETH" && a !== "n/a")) out.push(`${r.title}: attacker borrowed ${attacker[0]} → ${attacker[1]} (baseline → protected).`);
    } else if (b) {
      out.push(`${r.title} (baseline only): ${f(b, "liquidations (count)")} liquidations, ${f(b, "unnecessary liquidations")} unnecessary, bad debt ${f(b, "bad debt (ETH)")}.`);
    }
  }
  for (const p of view.params) {
    const markets = p.tables[0];
    const holdCol = markets?.columns.indexOf("policy holds") ?? -1;
    if (markets && holdCol >= 0) {
      const failing = markets.rows.filter((r) => r[holdCol] === "NO").map((r) => r[0]);
      out.push(
        failing.length
          ? `Parameter engine: the policy cannot be met in ${failing.length} of ${markets.rows.length} markets (${failing.join("; ")}).`
          : `Parameter engine: recommended parameters meet the policy in all ${markets.rows.length} markets.`,
      );
    }
  }
  return out;
}

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 15px; line-height: 1.45; color: #1a1a1a; background: #f4f5f7; }
header { background: #10233f; color: #fff; padding: 22px 32px 18px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
header p { margin: 2px 0; color: #dce3ee; }
nav { background: #fff; border-bottom: 1px solid #d8dce3; padding: 10px 32px; position: sticky; top: 0; z-index: 5; }
nav a { margin-right: 18px; color: #0b4f8a; text-decoration: none; font-weight: 600; }
nav a:hover, nav a:focus { text-decoration: underline; }
main { max-width: 1280px; margin: 0 auto; padding: 12px 24px 40px; }
section { background: #fff; border: 1px solid #d8dce3; border-radius: 6px; margin: 18px 0; padding: 16px 20px; }
section > h2 { margin: 0 0 6px; font-size: 21px; }
section > p.lead { margin: 0 0 12px; color: #333; max-width: 75em; }
figure { margin: 12px 0 20px; }
figure.chart .chart-box { width: 100%; min-height: 300px; }
figcaption { font-size: 13.5px; color: #333; margin-top: 6px; max-width: 80em; }
figure.table figcaption { font-weight: 600; font-size: 15px; color: #111; margin: 0 0 6px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 14px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #cfd5dd; padding: 5px 10px; text-align: right; vertical-align: top; }
thead th { background: #eef1f5; text-align: center; }
tbody th { text-align: left; font-weight: 600; background: #fafbfc; }
tbody tr:nth-child(even) td { background: #fafbfc; }
p.note, p.empty { color: #555; font-size: 13px; }
table.left td { text-align: left; }
ul.glance { margin: 4px 0 0; padding-left: 1.2em; font-size: 15.5px; }
ul.glance li { margin: 4px 0; }
table.prov td:last-child { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12.5px; word-break: break-all; min-width: 28em; }
p.empty { font-style: italic; }
footer { max-width: 1280px; margin: 0 auto; padding: 0 24px 30px; color: #555; font-size: 13px; }
@media print { nav { position: static; } section { break-inside: avoid; } }
`;

const BOOT = `
(function () {
  var specs = JSON.parse(document.getElementById("cg-charts").textContent);
  var rendered = [];
  var errors = [];
  specs.forEach(function (s) {
    var el = document.getElementById(s.id);
    try {
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(s.option);
      rendered.push(s.id);
    } catch (e) {
      errors.push(s.id + ": " + (e && e.message ? e.message : String(e)));
      el.textContent = "This chart failed to render: " + (e && e.message ? e.message : String(e));
      console.error("chart " + s.id + " failed", e);
    }
  });
  window.addEventListener("resize", function () {
    specs.forEach(function (s) { var c = echarts.getInstanceByDom(document.getElementById(s.id)); if (c) c.resize(); });
  });
  window.cascadeGuardReport = { chartIds: specs.map(function (s) { return s.id; }), rendered: rendered, errors: errors };
  document.body.setAttribute("data-charts-ready", errors.length ? "error" : "true");
})();
`;

export interface RenderPageRequest {
  view: ReportView;
}

/** The full HTML document for a report view. Deterministic for a given view. */
export function renderPage({ view }: RenderPageRequest): string {
  const charts = reportCharts(view);
  const bySection = (prefix: string) => charts.filter((c) => c.section === prefix || c.section.startsWith(`${prefix}:`));
  const { source: echartsSource, version: echartsVersion } = echartsBundle();
  const sections: string[] = [];
  const nav: string[] = [];
  const add = (id: string, title: string, body: string) => {
    nav.push(`<a href="#${id}">${escapeHtml(title)}</a>`);
    sections.push(`<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${escapeHtml(title)}</h2>\n${body}\n</section>`);
  };
  const none = (what: string) => `<p class="empty">No ${what} in the inputs of this report.</p>`;

  const glance = atAGlance(view);
  if (glance.length) add("glance", "At a glance", `<ul class="glance">${glance.map((g) => `<li>${escapeHtml(g)}</li>`).join("\n")}</ul>`);
  add(
    "sources",
    "Inputs and provenance",
    `<p class="lead">Every figure below comes from these files; seeds and input hashes let anyone reproduce them.</p>` +
      tableHtml({
        className: "left prov",
        title: "Input files",
        columns: ["file", "kind", "schema", "provenance"],
        rows: view.sources.map((s) => [s.file, s.kind, s.schema, Object.entries(s.fields).map(([k, v]) => `${k}: ${v}`).join("  ·  ") || "—"]),
      }),
  );
  add(
    "exposure",
    "Exposure: LRT → operators → AVSs",
    `<p class="lead">Which operators each LRT is delegated to, and which AVSs can slash those operators. AVS → AVS arrows are dependencies along which a fault propagates.</p>` +
      (bySection("exposure").map((c) => chartHtml(c.chart)).join("\n") || none("exposure graph (simulation output)")),
  );
  add(
    "distributions",
    "Loss distributions",
    `<p class="lead">Monte Carlo distributions per LRT over the model horizon, with value-at-risk and expected-shortfall markers.</p>` +
      (bySection("distributions").map((c) => chartHtml(c.chart)).join("\n") || none("distributions (simulation output)")) +
      view.simulationTables.map(tableHtml).join("\n"),
  );
  add(
    "cascade",
    "Cascade curve",
    `<p class="lead">Depeg against liquidated volume: how the reflexive loop amplifies a NAV loss.</p>` +
      (bySection("cascade").map((c) => chartHtml(c.chart)).join("\n") || none("cascade curve (simulation output)")),
  );
  add(
    "replays",
    "Scenario replays: baseline vs protected",
    `<p class="lead">Each scenario replayed against a real Aave v3 Pool twice: without Cascade Guard (baseline) and with it (protected).</p>` +
      (view.replays.length
        ? view.replays
            .map((r) => {
              const c = charts.find((x) => x.section === `replay:${r.scenarioId}`);
              // The chart carries the scenario title (it also goes into the PNG); the table repeats it.
              return `${c ? chartHtml(c.chart) : ""}\n${tableHtml(replaySummaryTable(r))}`;
            })
            .join("\n")
        : none("replay results")),
  );
  add(
    "params",
    "Recommended parameters",
    `<p class="lead">Parameters computed by the parameter engine for the keeper to push, with the provenance needed to reproduce them.</p>` +
      (view.params.map((p, i) => paramsHtml(p, charts.filter((c) => c.section === `params:${i}`).map((c) => c.chart))).join("\n") || none("params file")),
  );

  if (view.impacts.length) {
    add(
      "impact",
      "Parameter change impact",
      `<p class="lead">What a parameter change does to real positions, measured on a fork of the target chain before anything is sent: health factors without and with the change, and the accounts it makes liquidatable.</p>` +
        view.impacts
          .map((v, i) => [...charts.filter((c) => c.section === `impact:${i}`).map((c) => chartHtml(c.chart)), ...v.tables.map(tableHtml), kvTable(`Provenance of ${v.sourceFile}`, v.provenance)].join("\n"))
          .join("\n"),
    );
  }

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cascade-guard report ${REPORT_VERSION}">
<title>${escapeHtml(view.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(view.title)}</h1>
<p>Generated ${escapeHtml(view.generatedAt)} from ${view.sources.length} input file(s). Charts: ${charts.length}.</p>
</header>
<nav aria-label="sections">${nav.join("")}</nav>
<main>
${sections.join("\n")}
</main>
<footer>Cascade Guard report generator ${REPORT_VERSION}. Charts drawn with Apache ECharts ${escapeHtml(echartsVersion)}, inlined; this file needs no network access.</footer>
<script>${echartsSource}</script>
<script type="application/json" id="cg-charts">${inlineJson(charts.map((c) => ({ id: c.chart.id, title: c.chart.title, option: c.chart.option })))}</script>
<script>${BOOT}</script>
</body>
</html>
`;
}
