/**
 * Pure builders from report views to ECharts options. Options are plain JSON (no functions), so
 * they can be inlined into the page and checked in Node tests. Every chart is readable without
 * colour: line dash styles, marker shapes, end labels and decal patterns (aria.decal) carry the
 * series identity; every axis carries its unit in its name.
 */
import { escapeHtml, fmtEth, fmtPct, slug } from "./format";
import type {
  CascadeCurveView,
  DistributionSeries,
  DistributionView,
  ExposureNode,
  ExposureNodeKind,
  ExposureView,
  HaircutCurveView,
  ImpactView,
  ReplayRunView,
  ReplayView,
} from "./views";

export type EChartsOptionJson = Record<string, unknown>;

export interface ChartSpec {
  /** DOM id and PNG file stem. */
  id: string;
  title: string;
  /** One or two sentences on how to read the chart, shown under it. */
  caption: string;
  heightPx: number;
  option: EChartsOptionJson;
}

/** Okabe-Ito palette (colour-blind safe), yellow dropped for contrast on white. */
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#7F7F7F"];
const SYMBOLS = ["circle", "triangle", "rect", "diamond", "emptyCircle", "emptyTriangle", "emptyRect", "emptyDiamond"];
const DASHES: Array<"solid" | "dashed" | "dotted"> = ["solid", "dashed", "dotted"];

/** Run styles: the protected run is solid blue circles, the baseline dashed vermillion triangles. */
export function runStyle(run: string): { color: string; type: "solid" | "dashed" | "dotted"; symbol: string; label: string } {
  if (/protect/i.test(run)) return { color: "#0072B2", type: "solid", symbol: "circle", label: "protected" };
  if (/base/i.test(run)) return { color: "#D55E00", type: "dashed", symbol: "triangle", label: "baseline" };
  return { color: "#009E73", type: "dotted", symbol: "rect", label: run };
}

const FONT = 13;
const AXIS_NAME_STYLE = { fontSize: FONT, color: "#222" };
const AXIS_LABEL_STYLE = { fontSize: 12, color: "#333" };

function base(title: string, subtext?: string): EChartsOptionJson {
  return {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: { fontFamily: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", fontSize: FONT, color: "#222" },
    aria: { enabled: true, decal: { show: true } },
    color: PALETTE,
    title: { text: title, subtext, left: 12, top: 8, textStyle: { fontSize: 17, fontWeight: 600 }, subtextStyle: { fontSize: 12, color: "#444" } },
    tooltip: { trigger: "item", confine: true },
  };
}

function valueAxis(name: string, extra: EChartsOptionJson = {}): EChartsOptionJson {
  return {
    type: "value",
    name,
    nameLocation: "middle",
    nameTextStyle: AXIS_NAME_STYLE,
    axisLabel: AXIS_LABEL_STYLE,
    axisLine: { show: true, lineStyle: { color: "#666" } },
    splitLine: { lineStyle: { color: "#e6e6e6" } },
    scale: false,
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------
// Exposure graph

const KIND_ORDER: ExposureNodeKind[] = ["lrt", "operator", "avs"];
const KIND_LABEL: Record<ExposureNodeKind, string> = { lrt: "LRT", operator: "Operator", avs: "AVS" };
const KIND_SYMBOL: Record<ExposureNodeKind, string> = { lrt: "roundRect", operator: "circle", avs: "diamond" };

/** Sequential light-to-dark scale: darker is riskier, so it also reads in greyscale. */
export const RISK_STOPS = ["#fff5d6", "#fdbb84", "#e34a33", "#7f0000"];

/** Colour of a risk share t in [0, 1] on RISK_STOPS (linear RGB interpolation). */
export function riskColour(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (RISK_STOPS.length - 1);
  const i = Math.min(RISK_STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const rgb = (h: string) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16));
  const a = rgb(RISK_STOPS[i]);
  const b = rgb(RISK_STOPS[i + 1]);
  return `#${a.map((v, k) => Math.round(v + (b[k] - v) * f).toString(16).padStart(2, "0")).join("")}`;
}

/** Drops a parenthetical remark from a long label ("operator 1 (anonymised; ...)" -> "operator 1"). */
export function shortLabel(label: string): string {
  const short = label.replace(/\s*\(.*\)\s*$/, "");
  return short.length > 0 ? short : label;
}

/** Keeps the `maxPerKind` largest nodes of each kind and folds the rest into one "other" node. */
export function condenseExposure(view: ExposureView, maxPerKind = 24): ExposureView {
  const keep = new Map<string, string>();
  const nodes: ExposureNode[] = [];
  for (const kind of KIND_ORDER) {
    const ofKind = view.nodes.filter((n) => n.kind === kind).sort((a, b) => b.stakeEth - a.stakeEth);
    const kept = ofKind.slice(0, maxPerKind);
    const rest = ofKind.slice(maxPerKind);
    for (const n of kept) { keep.set(n.id, n.id); nodes.push(n); }
    if (rest.length > 0) {
      const id = `other-${kind}`;
      const stakeEth = rest.reduce((s, n) => s + n.stakeEth, 0);
      const risk = stakeEth > 0 ? rest.reduce((s, n) => s + n.risk * n.stakeEth, 0) / stakeEth : 0;
      nodes.push({ id, label: `${rest.length} other ${KIND_LABEL[kind]}s`, kind, stakeEth, risk, riskText: `stake-weighted risk ${risk.toFixed(3)}` });
      for (const n of rest) keep.set(n.id, id);
    }
  }
  const merged = new Map<string, { source: string; target: string; kind: ExposureView["links"][number]["kind"]; amountEth?: number; probability?: number }>();
  for (const l of view.links) {
    const source = keep.get(l.source);
    const target = keep.get(l.target);
    if (!source || !target || source === target) continue;
    const key = `${source}|${target}|${l.kind}`;
    const prev = merged.get(key);
    if (prev) {
      if (l.amountEth !== undefined) prev.amountEth = (prev.amountEth ?? 0) + l.amountEth;
      if (l.probability !== undefined) prev.probability = Math.max(prev.probability ?? 0, l.probability);
    } else merged.set(key, { ...l, source, target });
  }
  return { ...view, nodes, links: [...merged.values()] };
}

export function exposureGraphChart(input: ExposureView, index = 0): ChartSpec {
  const view = condenseExposure(input);
  // Largest first; a folded "N other ..." node always goes last in its column.
  const isOther = (n: ExposureNode) => n.id.startsWith("other-");
  const columns = KIND_ORDER.map((k) =>
    view.nodes.filter((n) => n.kind === k).sort((a, b) => Number(isOther(a)) - Number(isOther(b)) || b.stakeEth - a.stakeEth),
  );
  const tallest = Math.max(1, ...columns.map((c) => c.length));
  const rowGap = 44;
  const maxStake = Math.max(1e-9, ...view.nodes.map((n) => n.stakeEth));
  const maxRisk = Math.max(1e-9, ...view.nodes.map((n) => n.risk));
  const maxAmount = Math.max(1e-9, ...view.links.map((l) => l.amountEth ?? 0));
  const data: EChartsOptionJson[] = [];
  columns.forEach((col, c) => {
    col.forEach((n, i) => {
      const size = 10 + 44 * Math.sqrt(n.stakeEth / maxStake);
      data.push({
        id: n.id,
        name: n.kind === "operator" ? shortLabel(n.label) : n.label,
        // [column, row position in (0, 1), risk]; the graph sits on a hidden cartesian grid so
        // symbols keep their pixel size and aspect whatever the chart's width.
        value: [c, Number(((i + 0.5) / col.length).toFixed(5)), Number(n.risk.toFixed(6))],
        symbolSize: Number(size.toFixed(1)),
        category: c,
        itemStyle: { color: riskColour(n.risk / maxRisk), borderColor: "#222", borderWidth: 1 },
        label: {
          show: true,
          position: n.kind === "lrt" ? "left" : "right",
          fontSize: n.kind === "operator" ? 11 : 13,
          fontWeight: n.kind === "lrt" ? 600 : 400,
          color: "#111",
          lineHeight: 16,
          // Risk as text too, so the graph reads without colour.
          formatter: n.kind === "operator" ? `{b}  ${fmtPct(n.risk * 100)}` : `{b}\n${fmtEth(n.stakeEth)} · ${fmtPct(n.risk * 100)}`,
        },
        tooltip: { formatter: `${KIND_LABEL[n.kind]} <b>${escapeHtml(n.label)}</b><br/>stake ${fmtEth(n.stakeEth)}<br/>${escapeHtml(n.riskText)}` },
      });
    });
  });
  const labelOf = new Map(view.nodes.map((n) => [n.id, n.label] as const));
  const links = view.links.map((l) => {
    const dep = l.kind === "dependency";
    const width = dep ? 2 : 0.8 + 7 * Math.sqrt((l.amountEth ?? 0) / maxAmount);
    return {
      source: l.source,
      target: l.target,
      value: l.amountEth ?? l.probability ?? 0,
      symbol: dep ? ["none", "arrow"] : ["none", "none"],
      symbolSize: dep ? 9 : 0,
      lineStyle: dep
        ? { type: "dashed", color: "#111", width: 2.5, curveness: -0.5, opacity: 1 }
        : { type: "solid", color: "#7a8ca3", width: Number(width.toFixed(2)), curveness: 0.08, opacity: 0.45 },
      tooltip: {
        formatter: dep
          ? `dependency ${escapeHtml(labelOf.get(l.source) ?? "")} → ${escapeHtml(labelOf.get(l.target) ?? "")}${l.probability !== undefined ? `<br/>propagation probability ${fmtPct(l.probability * 100)}` : ""}`
          : `${l.kind} ${escapeHtml(labelOf.get(l.source) ?? "")} → ${escapeHtml(labelOf.get(l.target) ?? "")}<br/>${fmtEth(l.amountEth ?? 0)}`,
      },
    };
  });
  const heightPx = Math.max(460, 170 + tallest * rowGap);
  const option: EChartsOptionJson = {
    ...base(input.title, "node size = stake (ETH); colour and % after each name = risk of a loss event over the horizon (darker = riskier); shape = layer; dashed arrows = AVS → AVS dependencies"),
    legend: {
      top: 56,
      left: 12,
      data: KIND_ORDER.map((k) => ({ name: KIND_LABEL[k], icon: KIND_SYMBOL[k] })),
      textStyle: { fontSize: FONT },
      itemWidth: 18,
      itemHeight: 14,
    },
    // Legend of the colour scale only: node colours are computed above (riskColour), the map is
    // bound to an empty helper series so it recolours nothing.
    visualMap: {
      type: "continuous",
      seriesIndex: 1,
      min: 0,
      max: Number((maxRisk * 100).toPrecision(3)),
      calculable: false,
      orient: "horizontal",
      right: 20,
      top: 56,
      itemWidth: 14,
      itemHeight: 160,
      text: [`${fmtPct(maxRisk * 100)} (higher risk)`, "0% (lower risk)"],
      textStyle: { fontSize: 12 },
      inRange: { color: RISK_STOPS },
    },
    grid: { left: 200, right: 220, top: 140, bottom: 30 },
    // Column headers: a category axis on top, one category per layer (index = column).
    xAxis: {
      type: "category",
      data: KIND_ORDER.map((k) => `${KIND_LABEL[k]}s`),
      boundaryGap: false,
      position: "top",
      axisLine: { show: false },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: { fontSize: 14, fontWeight: 600, color: "#222", margin: 22 },
    },
    yAxis: { type: "value", show: false, min: 0, max: 1, inverse: true },
    series: [
      {
        type: "graph",
        coordinateSystem: "cartesian2d",
        roam: false,
        categories: KIND_ORDER.map((k) => ({ name: KIND_LABEL[k], symbol: KIND_SYMBOL[k], itemStyle: { color: "#999", borderColor: "#333" } })),
        data,
        links,
        itemStyle: { borderColor: "#333", borderWidth: 1 },
        labelLayout: { hideOverlap: true },
        emphasis: { focus: "adjacency", lineStyle: { width: 4 } },
      },
      { type: "scatter", name: "risk scale", data: [], silent: true },
    ],
  };
  const meaning = KIND_ORDER.map((k) => `${KIND_LABEL[k]}: ${input.riskMeaning[k]}`).join("; ");
  return {
    id: index === 0 ? "exposure-graph" : `exposure-graph-${index + 1}`,
    title: input.title,
    caption: `Left to right: LRTs, the operators they delegate to, the AVSs those operators are slashable by. Edge width = ETH delegated or allocated. Colour scale: ${meaning}.${
      input.nodes.length !== view.nodes.length ? " Smaller operators/AVSs are folded into an \"other\" node per column." : ""
    }`,
    heightPx,
    option,
  };
}

// ---------------------------------------------------------------------------------------------
// Distributions

/** Smallest of 1, 2, 4 x 10^k at or above `v` (halves are round numbers too). */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 4, 10]) if (m * p >= v - 1e-12) return m * p;
  return 10 * p;
}

/**
 * Step outline of a histogram as [x, share of paths in %] points: each bin contributes its left
 * edge at its share; the last edge closes the shape. Counts are shares of `series.paths` unless the
 * histogram is conditional on positive values (then shares of its own total).
 */
export function histogramPoints(series: DistributionSeries): Array<[number, number]> {
  const h = series.histogram;
  if (!h) return [];
  const total = series.conditionalOnPositive ? h.counts.reduce((s, c) => s + c, 0) || 1 : series.paths || 1;
  const pts: Array<[number, number]> = [];
  h.counts.forEach((c, i) => pts.push([Number(h.binEdges[i].toPrecision(8)), Number(((100 * c) / total).toPrecision(6))]));
  pts.push([Number(h.binEdges[h.binEdges.length - 1].toPrecision(8)), 0]);
  return pts;
}

function fmtUnit(unit: string, v: number): string {
  return unit === "ETH" ? fmtEth(v) : fmtPct(v);
}

/** Marker values as text for a panel subtitle: "VaR95 ≤ 1.2% · VaR99 ≤ 3.4% · ES99 ≈ 4.5%". */
export function tailText(series: DistributionSeries, unit: string): string {
  const t = series.tail;
  const le = series.approxMarkers ? "≤ " : "";
  const about = series.approxMarkers ? "≤ " : "";
  const v = (x: number) => (Number.isFinite(x) ? fmtUnit(unit, x) : "beyond the last bin");
  return [
    t.var95 !== undefined ? `VaR95 ${le}${v(t.var95)}` : "",
    t.var99 !== undefined ? `VaR99 ${le}${v(t.var99)}` : "",
    t.es99 !== undefined ? `ES99 ${about}${v(t.es99)}` : "",
  ].filter(Boolean).join("   ·   ");
}

/** VaR95 (thin dashed), VaR99 (thick dashed), ES99 (solid dark red) as vertical lines; values are in the panel subtitle. */
function tailMarkLine(series: DistributionSeries, logX: boolean): EChartsOptionJson {
  const lines: EChartsOptionJson[] = [];
  const t = series.tail;
  const drawable = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && (!logX || v > 0);
  if (drawable(t.var95)) lines.push({ name: "VaR 95%", xAxis: t.var95, lineStyle: { type: "dashed", color: "#333", width: 1.5 } });
  if (drawable(t.var99)) lines.push({ name: "VaR 99%", xAxis: t.var99, lineStyle: { type: "dashed", color: "#000", width: 2.8 } });
  if (drawable(t.es99)) lines.push({ name: "ES 99%", xAxis: t.es99, lineStyle: { type: "solid", color: "#8b0000", width: 2.5 } });
  return { symbol: ["none", "none"], silent: false, label: { show: false }, data: lines };
}

/** One chart per metric with one small histogram per LRT (or market), VaR95/VaR99/ES99 as vertical lines. */
export function distributionChart(view: DistributionView): ChartSpec | undefined {
  const drawn = view.series.filter((s) => s.histogram && s.histogram.counts.length > 0);
  const skipped = view.series.filter((s) => !drawn.includes(s));
  if (drawn.length === 0) return undefined;
  const logX = view.logX === true;
  const n = drawn.length;
  const cols = n >= 3 ? 2 : Math.max(1, n);
  const rows = Math.ceil(n / cols);
  const cellH = 250;
  const top0 = 84;
  const heightPx = top0 + rows * cellH + 16;
  const panel = view.panelKind ?? "LRT";
  const grids: EChartsOptionJson[] = [];
  const xAxes: EChartsOptionJson[] = [];
  const yAxes: EChartsOptionJson[] = [];
  const series: EChartsOptionJson[] = [];
  const subtitle = [
    "share of paths per bin",
    logX ? "log x axis; zero-valued paths are counted in each panel title" : "",
    "thin dashed = VaR 95%, thick dashed = VaR 99%, solid dark red = ES 99%",
  ].filter(Boolean).join("; ");
  const chartTitle = view.panelKind === "market" ? view.label : `${view.label} per ${panel}`;
  const titles: EChartsOptionJson[] = [{ text: chartTitle, subtext: subtitle, left: 12, top: 8, textStyle: { fontSize: 17, fontWeight: 600 }, subtextStyle: { fontSize: 12, color: "#444" } }];
  // Each panel gets its own ranges (labelled axes); a shared range would flatten the small panels.
  const rangeOf = (s: DistributionSeries) => {
    const pts = histogramPoints(s);
    const xs = pts.map((p) => p[0]).filter((x) => !logX || x > 0);
    const marks = [s.tail.var95, s.tail.var99, s.tail.es99].filter((x): x is number => x !== undefined && Number.isFinite(x) && (!logX || x > 0));
    return { xMin: Math.min(...xs, ...marks), xMax: Math.max(...xs, ...marks), yMax: niceCeil(Math.max(0.01, ...pts.map((p) => p[1]))) };
  };
  drawn.forEach((s, i) => {
    const r = Math.floor(i / cols);
    const c = i % cols;
    const leftPct = c === 0 ? 7 : 56;
    const widthPct = cols === 1 ? 88 : 39;
    const top = top0 + r * cellH + 70;
    grids.push({ left: `${leftPct}%`, width: `${widthPct}%`, top, height: cellH - 132 });
    const zero = s.zeroShare !== undefined ? `zero on ${fmtPct(s.zeroShare * 100)} of paths` : "";
    const pAny = s.tail.probabilityPositive !== undefined && s.zeroShare === undefined ? `P(> 0) ${fmtPct(s.tail.probabilityPositive * 100)}` : "";
    const { xMin, xMax, yMax } = rangeOf(s);
    const tailBits = [s.tail.mean !== undefined ? `mean ${fmtUnit(view.unit, s.tail.mean)}` : "", pAny, zero, s.conditionalOnPositive ? "histogram of paths > 0" : ""].filter(Boolean);
    titles.push({
      text: s.asset,
      subtext: `${tailBits.join("   ·   ")}\n${tailText(s, view.unit)}`,
      left: `${leftPct}%`,
      top: top - 62,
      itemGap: 4,
      textStyle: { fontSize: 13, fontWeight: 600 },
      subtextStyle: { fontSize: 12, color: "#222", lineHeight: 17 },
    });
    xAxes.push(
      valueAxis(`${view.label} (${view.unit}${logX ? ", log" : ""})`, {
        gridIndex: i,
        nameGap: 26,
        ...(logX ? { type: "log", logBase: 10, min: niceFloorLog(xMin), max: niceCeilLog(xMax) } : { min: xMin, max: xMax }),
      }),
    );
    yAxes.push(valueAxis(s.conditionalOnPositive ? "of paths > 0 (%)" : "paths (%)", { gridIndex: i, nameGap: 40, min: 0, max: yMax, interval: yMax / 2 }));
    series.push({
      type: "line",
      name: s.asset,
      xAxisIndex: i,
      yAxisIndex: i,
      step: "end",
      showSymbol: false,
      data: histogramPoints(s),
      lineStyle: { width: 1.5, color: PALETTE[i % PALETTE.length] },
      itemStyle: { color: PALETTE[i % PALETTE.length] },
      areaStyle: { opacity: 0.35 },
      markLine: tailMarkLine(s, logX),
    });
  });
  const option: EChartsOptionJson = { ...base(view.label), title: titles, grid: grids, xAxis: xAxes, yAxis: yAxes, series, tooltip: { trigger: "axis", confine: true } };
  const approx = drawn.some((s) => s.approxMarkers);
  return {
    id: `dist-${slug(view.metric)}`,
    title: chartTitle,
    caption:
      `Histogram of ${view.label.toLowerCase()} across simulated paths (${view.unit}). VaR 99% = the level exceeded on 1% of paths; ES 99% = the average over those worst 1% of paths; a wide gap between them means a fat tail.` +
      (approx ? " Markers come from the histogram and are upper bounds within one bin (10 bins per decade), hence \"≤\"." : "") +
      (skipped.length ? ` No histogram for: ${skipped.map((x) => x.asset).join(", ")}.` : ""),
    heightPx,
    option,
  };
}

/** Powers of ten around a positive range, for log axes. */
export function niceFloorLog(v: number): number {
  return v > 0 ? 10 ** Math.floor(Math.log10(v) + 1e-9) : 1e-6;
}
export function niceCeilLog(v: number): number {
  return v > 0 ? 10 ** Math.ceil(Math.log10(v) - 1e-9) : 1;
}

/**
 * Exceedance curves P(X > x) for all assets of one metric (from quantiles), log-log, with each
 * asset's VaR 99% (filled marker) and ES 99% (hollow diamond) on the 1% line.
 */
export function exceedanceChart(view: DistributionView): ChartSpec | undefined {
  const withQ = view.series.filter((s) => s.quantiles && s.quantiles.length > 1);
  if (withQ.length === 0) return undefined;
  const logX = view.logX === true;
  const series: EChartsOptionJson[] = [];
  const empty: string[] = [];
  withQ.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const pts = (s.quantiles ?? []).filter(([a, v]) => a < 1 && (!logX || v > 0)).map(([a, v]) => [Number(v.toPrecision(8)), Number(((1 - a) * 100).toPrecision(6))]);
    if (pts.length === 0) { empty.push(s.asset); return; }
    const marks: EChartsOptionJson[] = [];
    if (s.tail.es99 !== undefined && s.tail.es99 > 0)
      // Labelled with the asset name (alternating above/below) so the marker reads without colour; values are in the table.
      marks.push({ name: "ES99", coord: [Number(s.tail.es99.toPrecision(8)), 1], value: `ES99 ${fmtUnit(view.unit, s.tail.es99)}`, symbol: "emptyDiamond", symbolSize: 14, itemStyle: { color, borderColor: color, borderWidth: 2 }, label: { show: true, formatter: `ES ${s.asset}`, position: i % 2 === 0 ? "top" : "bottom", fontSize: 11, color } });
    series.push({
      type: "line",
      name: s.asset,
      data: pts,
      symbol: SYMBOLS[i % SYMBOLS.length],
      symbolSize: 8,
      lineStyle: { type: DASHES[i % DASHES.length], width: 2.2, color },
      itemStyle: { color },
      endLabel: { show: true, formatter: "{a}", fontSize: 12, color },
      labelLayout: { moveOverlap: "shiftY" },
      markPoint: marks.length ? { data: marks } : undefined,
      markLine:
        i === 0
          ? {
              silent: true,
              symbol: ["none", "none"],
              lineStyle: { type: "dotted", color: "#555", width: 1.2 },
              label: { formatter: "{b}", position: "insideStartTop", fontSize: 11, color: "#333" },
              data: [
                { name: "5% of paths (VaR 95%)", yAxis: 5 },
                { name: "1% of paths (VaR 99%)", yAxis: 1 },
              ],
            }
          : undefined,
    });
  });
  if (series.length === 0) return undefined;
  const option: EChartsOptionJson = {
    ...base(`${view.label}: tail exceedance per LRT`, "share of paths with a loss above x (log-log); a curve crossing the 1% line at x has VaR 99% = x; hollow diamonds = ES 99%"),
    legend: { top: 58, left: 12, textStyle: { fontSize: FONT } },
    grid: { left: 90, right: 110, top: 104, bottom: 62 },
    tooltip: { trigger: "item", confine: true },
    xAxis: valueAxis(`${view.label} (${view.unit}${logX ? ", log" : ""})`, { nameGap: 32, ...(logX ? { type: "log", logBase: 10 } : {}) }),
    yAxis: valueAxis("paths above x (%, log)", { type: "log", nameGap: 56, logBase: 10, min: 0.001, max: 100 }),
    series,
  };
  return {
    id: `exceedance-${slug(view.metric)}`,
    title: `${view.label}: tail exceedance`,
    caption:
      "Each point is an exact model quantile (50% … 99.99%): x = loss level, y = share of paths above it. Curves further right at the same height have fatter tails." +
      (empty.length ? ` No positive ${view.label.toLowerCase()} at any listed quantile for: ${empty.join(", ")}.` : ""),
    heightPx: 460,
    option,
  };
}

// ---------------------------------------------------------------------------------------------
// Cascade curve

export function cascadeCurveChart(view: CascadeCurveView, index = 0): ChartSpec {
  const series: EChartsOptionJson[] = [];
  const openEdges = view.series.flatMap((s) => (s.openBin ? [s.openBin.fromPct] : []));
  const openAt = openEdges.length ? Math.max(...openEdges) : undefined;
  // Labels of the pooled-bin markers sit in one column: push close ones apart vertically (px).
  const opens = view.series.filter((s) => s.openBin).map((s) => ({ asset: s.asset, v: s.openBin!.liquidatedEth }));
  const vMax = Math.max(1e-9, ...view.series.flatMap((s) => [...s.points.map((p) => p[1] ?? 0), s.openBin?.liquidatedEth ?? 0]));
  const labelShift = new Map<string, number>();
  [...opens].sort((a, b) => b.v - a.v).forEach((o, k, arr) => {
    const prev = k > 0 ? arr[k - 1] : undefined;
    const prevShift = prev ? labelShift.get(prev.asset) ?? 0 : 0;
    // ~300 px of plot height: 16 px of label height is ~5% of the value range.
    const gapPx = prev ? ((prev.v - o.v) / vMax) * 300 - prevShift : Infinity;
    labelShift.set(o.asset, gapPx < 20 ? 20 - gapPx : 0);
  });
  view.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    if (s.kind === "samples") {
      series.push({ type: "scatter", name: s.asset, data: s.points, symbol: SYMBOLS[i % SYMBOLS.length], symbolSize: 6, itemStyle: { color, opacity: 0.65 } });
      return;
    }
    series.push({
      type: "line",
      name: s.asset,
      // ECharts' "empty value" marker is "-": the line breaks there.
      data: s.points.map(([x, y]) => [x, y === null ? "-" : y]),
      symbol: SYMBOLS[i % SYMBOLS.length],
      symbolSize: 7,
      connectNulls: false,
      lineStyle: { type: DASHES[i % DASHES.length], width: 2.5, color },
      itemStyle: { color },
      endLabel: { show: s.openBin === undefined, formatter: "{a}", fontSize: 12, color },
      labelLayout: { moveOverlap: "shiftY" },
      markLine:
        i === 0 && openAt !== undefined
          ? {
              silent: true,
              symbol: ["none", "none"],
              lineStyle: { type: "dotted", color: "#333", width: 1.5 },
              label: { formatter: `≥ ${fmtPct(openAt)} pooled →`, position: "insideStartTop", fontSize: 11, color: "#222" },
              data: [{ xAxis: openAt }],
            }
          : undefined,
    });
    if (s.openBin) {
      series.push({
        type: "scatter",
        name: s.asset,
        data: [[Number((s.openBin.fromPct + 1).toFixed(4)), Number(s.openBin.liquidatedEth.toFixed(4))]],
        symbol: SYMBOLS[(i + 4) % SYMBOLS.length].startsWith("empty") ? SYMBOLS[(i + 4) % SYMBOLS.length] : "emptyCircle",
        symbolSize: 13,
        itemStyle: { color, borderColor: color, borderWidth: 2 },
        label: { show: true, position: "right", offset: [0, Number((labelShift.get(s.asset) ?? 0).toFixed(1))], formatter: `${s.asset} (${s.openBin.paths.toLocaleString("en-US")} paths)`, fontSize: 12, color },
        tooltip: { formatter: `${escapeHtml(s.asset)}: depeg ≥ ${fmtPct(s.openBin.fromPct)} on ${s.openBin.paths} paths<br/>mean liquidated ${fmtEth(s.openBin.liquidatedEth)}` },
      });
    }
  });
  const option: EChartsOptionJson = {
    ...base(view.title, "mean liquidated collateral volume against market depeg, per LRT"),
    legend: { top: 56, left: 12, textStyle: { fontSize: FONT }, data: view.series.map((s) => s.asset) },
    grid: { left: 90, right: 190, top: 100, bottom: 60 },
    xAxis: valueAxis("depeg vs NAV (%)", { nameGap: 30, max: openAt !== undefined ? Math.ceil((openAt + 3) / 5) * 5 : undefined }),
    yAxis: valueAxis("mean liquidated volume (ETH)", { nameGap: 62 }),
    series,
  };
  return {
    id: index === 0 ? "cascade-curve" : `cascade-curve-${index + 1}`,
    title: view.title,
    caption: `How much collateral is liquidated at each depeg level. A curve that bends upward is the reflexive loop: liquidations sell into the DEX, deepening the depeg.${view.note ? ` ${view.note}` : ""}`,
    heightPx: 460,
    option,
  };
}

// ---------------------------------------------------------------------------------------------
// Replay timeline

/**
 * Vertical pixel offsets that keep labels at least `gapPx` apart: labels are taken top to bottom and
 * each is pushed down below its predecessor if needed, then the group is re-centred on the originals.
 */
export function spreadLabels(yPx: number[], gapPx: number): number[] {
  const order = yPx.map((y, i) => ({ y: Number.isFinite(y) ? y : 0, i })).sort((a, b) => a.y - b.y);
  const placed: number[] = [];
  order.forEach((o, k) => placed.push(k === 0 ? o.y : Math.max(o.y, placed[k - 1] + gapPx)));
  // Re-centre clusters: shift every label up by half the total push of its run of touching labels.
  const offsets = new Array<number>(yPx.length).fill(0);
  let start = 0;
  for (let k = 1; k <= order.length; k++) {
    if (k === order.length || placed[k] - placed[k - 1] > gapPx + 1e-9) {
      const run = order.slice(start, k);
      const push = run.reduce((acc, o, j) => acc + (placed[start + j] - o.y), 0) / Math.max(1, run.length);
      run.forEach((o, j) => (offsets[o.i] = placed[start + j] - push - o.y));
      start = k;
    }
  }
  return offsets;
}

/** Intervals [startHours, endHours] where the reserve was frozen, from the per-step flags. */
export function frozenWindows(run: ReplayRunView): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start: number | undefined;
  run.steps.forEach((s, i) => {
    const h = s.tSeconds / 3600;
    if (s.frozen && start === undefined) start = h;
    if (!s.frozen && start !== undefined) { out.push([start, h]); start = undefined; }
    if (i === run.steps.length - 1 && start !== undefined) out.push([start, h]);
  });
  return out;
}

/** Paused intervals of a run as [startHours, endHours]: the listed pauses, else the per-step flags. */
export function pauseWindows(run: ReplayRunView): Array<[number, number]> {
  if (run.pausesSeconds) return run.pausesSeconds.map(([a, b]) => [a / 3600, b / 3600]);
  const out: Array<[number, number]> = [];
  let start: number | undefined;
  run.steps.forEach((s, i) => {
    const h = s.tSeconds / 3600;
    if (s.paused && start === undefined) start = h;
    if (!s.paused && start !== undefined) { out.push([start, h]); start = undefined; }
    if (i === run.steps.length - 1 && start !== undefined) out.push([start, h]);
  });
  return out;
}

const round = (v: number, d = 6) => Number(v.toFixed(d));

export function replayChart(view: ReplayView): ChartSpec {
  const spanSeconds = Math.max(0, ...view.runs.flatMap((r) => r.steps.map((st) => st.tSeconds)));
  // Short replays read better in minutes; pause windows are kept in hours and converted with the same factor.
  const minutes = spanSeconds <= 3 * 3600;
  const perHour = minutes ? 60 : 1;
  const grids: EChartsOptionJson[] = [];
  const xAxes: EChartsOptionJson[] = [];
  const yAxes: EChartsOptionJson[] = [];
  const series: EChartsOptionJson[] = [];
  const panelH = 150;
  const gap = 46;
  const top0 = 96;
  // LTV/LT panel: a few points of headroom so lines at the extremes do not sit on the frame.
  const ltVals = view.runs.flatMap((r) => r.steps.flatMap((st) => [st.ltvBps, st.ltBps])).filter((v): v is number => v !== undefined).map((v) => v / 100);
  const ltMin = ltVals.length ? Math.max(0, Math.floor((Math.min(...ltVals) - 1) / 5) * 5) : 0;
  const ltMax = ltVals.length ? Math.min(100, Math.ceil((Math.max(...ltVals) + 1) / 5) * 5) : 100;
  const ltRange = ltVals.length ? { min: ltMin, max: ltMax, interval: (ltMax - ltMin) / 4 } : {};
  // Explicit ranges for the line panels, so end labels can be spread without overlapping (below).
  const prices = view.runs.flatMap((r) => r.steps.flatMap((st) => [st.marketPrice, st.exchangeRate, ...(st.backingRatio !== undefined ? [st.backingRatio] : [])]));
  const pStep = prices.length && Math.max(...prices) - Math.min(...prices) > 0.3 ? 0.1 : 0.05;
  const pLo = prices.length ? Math.max(0, Math.floor((Math.min(...prices) - 0.01) / pStep) * pStep) : 0;
  const pHi = prices.length ? Math.ceil((Math.max(...prices) + 0.01) / pStep) * pStep : 1;
  const priceRange = { min: Number(pLo.toFixed(2)), max: Number(pHi.toFixed(2)) };
  const discounts = view.runs.flatMap((r) => r.steps.map((st) => st.discountBps / 100));
  const dLo = Math.min(0, Math.floor(Math.min(0, ...discounts)));
  const dHi = niceCeil(Math.max(1, ...discounts) * 1.05);
  // niceCeil gives 1, 2 or 4 x 10^k: quarters are round numbers. With a premium (negative discount) echarts picks the ticks.
  const discountRange = dLo === 0 ? { min: 0, max: dHi, interval: dHi / 4 } : { min: dLo, max: dHi };
  const showsBacking = (view.runs[0]?.steps ?? []).some((st) => st.backingRatio !== undefined && Math.abs(st.backingRatio - 1) > 1e-9);
  const panels = [showsBacking ? "price (ETH per LRT)\nbacking (ratio)" : "price (ETH per LRT)", "discount to NAV (%)", "LTV / LT (%)", "liquidated per step (ETH)"];
  panels.forEach((name, i) => {
    const top = top0 + i * (panelH + gap);
    grids.push({ left: 90, right: 130, top, height: panelH });
    xAxes.push(valueAxis(i === panels.length - 1 ? `time since scenario start (${minutes ? "min" : "h"})` : "", {
      gridIndex: i,
      nameGap: 28,
      min: "dataMin",
      max: "dataMax",
      axisLabel: { ...AXIS_LABEL_STYLE, show: true },
    }));
    yAxes.push(valueAxis(name, { gridIndex: i, nameGap: 58, splitNumber: 3, ...[priceRange, discountRange, ltRange, {}][i] }));
  });
  const windows = view.runs.filter((r) => /protect/i.test(r.run)).flatMap(pauseWindows);
  const pauseArea = (withLabel: boolean) =>
    windows.length === 0
      ? undefined
      : {
          silent: true,
          itemStyle: { color: "rgba(120,120,120,0.18)", borderColor: "#555", borderType: "dotted", borderWidth: 1 },
          label: { show: withLabel, position: "insideTop", formatter: "guard paused", fontSize: 12, color: "#222", backgroundColor: "rgba(255,255,255,0.85)", padding: [1, 4] },
          data: windows.map(([a, b]) => [{ xAxis: round(a * perHour) }, { xAxis: round((b === a ? a + 1 / 60 : b) * perHour) }]),
        };
  const showSymbols = (steps: number) => steps <= 60;
  const frozenArea = (run: ReplayRunView) => {
    const w = frozenWindows(run);
    return w.length === 0
      ? undefined
      : {
          silent: true,
          itemStyle: { color: "rgba(139,0,0,0.10)", borderColor: "#8b0000", borderType: "dashed", borderWidth: 1 },
          label: { show: true, position: "insideBottom", formatter: `reserve frozen (${runStyle(run.run).label})`, fontSize: 11, color: "#5a0000" },
          data: w.map(([a, b]) => [{ xAxis: round(a * perHour) }, { xAxis: round((b === a ? a + 1 / 60 : b) * perHour) }]),
        };
  };
  const exchangeRun = view.runs[0];
  // Protected first, baseline last: the dashed baseline is drawn over the solid protected line,
  // so both stay visible where they coincide.
  const ordered = [...view.runs].sort((a, b) => Number(/base/i.test(a.run)) - Number(/base/i.test(b.run)));
  ordered.forEach((run, r) => {
    const st = runStyle(run.run);
    const common = {
      labelLayout: { moveOverlap: "shiftY" },
      symbol: st.symbol,
      symbolSize: 6,
      showSymbol: showSymbols(run.steps.length),
      itemStyle: { color: st.color },
    };
    const hours = (s: { tSeconds: number }) => round((s.tSeconds / 3600) * perHour);
    series.push({
      ...common,
      type: "line",
      name: st.label,
      xAxisIndex: 0,
      yAxisIndex: 0,
      data: run.steps.map((s) => [hours(s), round(s.marketPrice)]),
      lineStyle: { type: st.type, width: 2, color: st.color },
      endLabel: { show: true, formatter: st.label, fontSize: 12, color: st.color },
      markArea: r === 0 ? pauseArea(true) : undefined,
    });
    series.push({
      ...common,
      type: "line",
      name: st.label,
      xAxisIndex: 1,
      yAxisIndex: 1,
      data: run.steps.map((s) => [hours(s), round(s.discountBps / 100, 4)]),
      lineStyle: { type: st.type, width: 2, color: st.color },
      endLabel: { show: true, formatter: st.label, fontSize: 12, color: st.color },
      markArea: r === 0 ? pauseArea(false) : undefined,
    });
    if (run.steps.some((s) => s.ltBps !== undefined)) {
      series.push({
        ...common,
        type: "line",
        step: "end",
        name: st.label,
        xAxisIndex: 2,
        yAxisIndex: 2,
        data: run.steps.map((s) => [hours(s), s.ltBps === undefined ? null : round(s.ltBps / 100, 4)]),
        lineStyle: { type: st.type, width: 2.5, color: st.color },
        endLabel: { show: true, formatter: `LT ${st.label}`, fontSize: 11, color: st.color },
        markArea: r === 0 ? pauseArea(false) : undefined,
      });
    }
    if (run.steps.some((s) => s.ltvBps !== undefined)) {
      series.push({
        ...common,
        type: "line",
        step: "end",
        name: st.label,
        xAxisIndex: 2,
        yAxisIndex: 2,
        data: run.steps.map((s) => [hours(s), s.ltvBps === undefined ? null : round(s.ltvBps / 100, 4)]),
        lineStyle: { type: st.type, width: 1.2, color: st.color, opacity: 0.8 },
        symbol: "emptyCircle",
        endLabel: { show: true, formatter: `LTV ${st.label}`, fontSize: 11, color: st.color },
        markArea: frozenArea(run),
      });
    }
    series.push({
      type: "bar",
      name: st.label,
      xAxisIndex: 3,
      yAxisIndex: 3,
      data: run.steps.map((s) => [hours(s), round(s.liquidatedEth, 4)]),
      itemStyle: { color: st.color, borderColor: "#222", borderWidth: 0.5 },
      barMaxWidth: 14,
      barMinWidth: 2,
      markArea: r === 0 ? pauseArea(false) : undefined,
    });
  });
  // Backing (proof of reserve) only when it moves: the forged-backing case, where NAV stays put.
  if (exchangeRun && exchangeRun.steps.some((st) => st.backingRatio !== undefined && Math.abs(st.backingRatio - 1) > 1e-9)) {
    series.push({
      type: "line",
      name: "backing ratio",
      xAxisIndex: 0,
      yAxisIndex: 0,
      data: exchangeRun.steps.map((st) => [round((st.tSeconds / 3600) * perHour), st.backingRatio === undefined ? "-" : round(st.backingRatio)]),
      showSymbol: false,
      lineStyle: { type: [10, 4, 2, 4], width: 2.5, color: "#6a3d9a" },
      itemStyle: { color: "#6a3d9a" },
      endLabel: { show: true, formatter: "backing", fontSize: 12, color: "#6a3d9a" },
    });
  }
  if (exchangeRun) {
    series.push({
      type: "line",
      name: "NAV (exchange rate)",
      xAxisIndex: 0,
      yAxisIndex: 0,
      data: exchangeRun.steps.map((s) => [round((s.tSeconds / 3600) * perHour), round(s.exchangeRate)]),
      showSymbol: false,
      lineStyle: { type: "dotted", width: 2.5, color: "#000" },
      itemStyle: { color: "#000" },
      endLabel: { show: true, formatter: "NAV", fontSize: 12 },
    });
  }
  // End labels of lines ending close together are pushed apart vertically (pixel offsets).
  const ranges: Array<{ min?: number; max?: number }> = [priceRange, discountRange, ltRange];
  for (let panel = 0; panel < 3; panel++) {
    const { min, max } = ranges[panel];
    if (min === undefined || max === undefined || max <= min) continue;
    const labelled = series.filter((x) => x.xAxisIndex === panel && x.endLabel !== undefined);
    const ends = labelled.map((x) => {
      const pts = (x.data as Array<[number, number | null]>).filter((d) => d[1] !== null);
      return pts.length ? (pts[pts.length - 1][1] as number) : NaN;
    });
    const offsets = spreadLabels(ends.map((v) => ((max - v) / (max - min)) * panelH), 14);
    labelled.forEach((x, k) => {
      if (offsets[k] !== 0) (x.endLabel as Record<string, unknown>).offset = [0, Number(offsets[k].toFixed(1))];
    });
  }
  const heightPx = top0 + panels.length * (panelH + gap) + 20;
  const hasProtected = view.runs.some((r) => /protect/i.test(r.run));
  const pauseNote = !hasProtected ? "no protected run in this result" : windows.length ? "grey bands = guard paused (protected run)" : "no pause in the protected run";
  const sub = [view.asset, view.oracleRegime ? `oracle: ${view.oracleRegime}` : "", pauseNote]
    .filter(Boolean)
    .join("  ·  ");
  const option: EChartsOptionJson = {
    ...base(view.title, sub),
    legend: {
      top: 56,
      left: 12,
      textStyle: { fontSize: FONT },
      itemWidth: 28,
      data: [...view.runs.map((r) => runStyle(r.run).label), "NAV (exchange rate)", ...(series.some((x) => x.name === "backing ratio") ? ["backing ratio"] : [])],
    },
    tooltip: { trigger: "axis", confine: true },
    axisPointer: { link: [{ xAxisIndex: "all" }] },
    grid: grids,
    xAxis: xAxes,
    yAxis: yAxes,
    series,
  };
  return {
    id: `replay-${slug(view.scenarioId)}`,
    title: view.title,
    caption: "Top to bottom: market price and exchange rate; discount of market price to NAV; the collateral's LTV and liquidation threshold as Cascade Guard moved them; liquidated collateral per step. Dashed/triangles = baseline (no guard), solid/circles = protected.",
    heightPx,
    option,
  };
}

// ---------------------------------------------------------------------------------------------
// Haircut curves (params file)

/** The recommended haircut-widening curves, discount -> haircut, with each asset's guard trip discount. */
export function haircutCurveChart(curves: HaircutCurveView[], sourceFile: string, index = 0): ChartSpec | undefined {
  const drawn = curves.filter((c) => c.knotsPct.length > 1);
  if (drawn.length === 0) return undefined;
  const xMax = niceCeil(Math.max(...drawn.flatMap((c) => [...c.knotsPct.map((k) => k[0]), c.tripPct ?? 0])) * 1.15);
  const series: EChartsOptionJson[] = drawn.map((c, i) => {
    const color = PALETTE[i % PALETTE.length];
    const last = c.knotsPct[c.knotsPct.length - 1];
    // Flat beyond the last knot (the curve is clamped there).
    const data = [...c.knotsPct, [xMax, last[1]]];
    return {
      type: "line",
      name: c.asset,
      data,
      symbol: SYMBOLS[i % SYMBOLS.length],
      symbolSize: 8,
      lineStyle: { type: DASHES[i % DASHES.length], width: 2.2, color },
      itemStyle: { color },
      endLabel: { show: true, formatter: "{a}", fontSize: 12, color },
      labelLayout: { moveOverlap: "shiftY" },
      markPoint:
        c.tripPct !== undefined
          ? {
              symbol: "pin",
              symbolSize: 30,
              data: [{ name: "trip", coord: [c.tripPct, interpolate(c.knotsPct, c.tripPct)], value: "trip", itemStyle: { color } }],
              label: { fontSize: 9, color: "#fff" },
            }
          : undefined,
    };
  });
  const option: EChartsOptionJson = {
    ...base("Recommended haircut-widening curves", "haircut subtracted from base LTV/LT as the market discount to NAV grows; pins = guard trip discount"),
    legend: { top: 56, left: 12, textStyle: { fontSize: FONT } },
    grid: { left: 80, right: 110, top: 104, bottom: 60 },
    tooltip: { trigger: "item", confine: true },
    xAxis: valueAxis("market discount to NAV (%)", { nameGap: 30, min: 0, max: xMax }),
    yAxis: valueAxis("haircut (percentage points)", { nameGap: 50, min: 0 }),
    series,
  };
  return {
    id: index === 0 ? "haircut-curves" : `haircut-curves-${index + 1}`,
    title: "Recommended haircut-widening curves",
    caption: `Knots from ${sourceFile}: at a discount d the module lowers LTV and LT by the haircut read off the curve (linear between knots, flat after the last). A pin marks the discount at which anyone may trip the guard's liquidation pause for that asset.`,
    heightPx: 440,
    option,
  };
}

/** Piecewise-linear interpolation on knots sorted by x, flat outside. */
export function interpolate(knots: Array<[number, number]>, x: number): number {
  if (knots.length === 0) return 0;
  if (x <= knots[0][0]) return knots[0][1];
  for (let i = 1; i < knots.length; i++) {
    const [x0, y0] = knots[i - 1];
    const [x1, y1] = knots[i];
    if (x <= x1) return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return knots[knots.length - 1][1];
}

// ---------------------------------------------------------------------------------------------
// Impact of a parameter change: health-factor histogram before/after

/**
 * Accounts per health-factor bin without and with the change (grouped bars; "before" hatched grey, "after"
 * vermillion with a different decal, so the two read apart without colour).
 */
export function impactHistogramChart(view: ImpactView, index = 0): ChartSpec {
  const labels = view.bins.map((b) => b.label);
  const option: EChartsOptionJson = {
    ...base("Health factors before and after the change", "accounts per HF bin on a fork: without the change vs with it"),
    legend: { top: 56, left: 12, textStyle: { fontSize: FONT } },
    grid: { left: 80, right: 30, top: 104, bottom: 90 },
    tooltip: { trigger: "axis", confine: true },
    xAxis: { type: "category", data: labels, name: "health factor", nameLocation: "middle", nameGap: 62, nameTextStyle: AXIS_NAME_STYLE, axisLabel: { ...AXIS_LABEL_STYLE, interval: 0, rotate: 30 } },
    yAxis: valueAxis("accounts", { nameGap: 50, min: 0, minInterval: 1 }),
    series: [
      { type: "bar", name: "before (without the change)", data: view.bins.map((b) => b.before), itemStyle: { color: "#7F7F7F", decal: { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [2, 5], rotation: Math.PI / 4 } } },
      { type: "bar", name: "after (with the change)", data: view.bins.map((b) => b.after), itemStyle: { color: "#D55E00", decal: { symbol: "circle", symbolSize: 0.6 } } },
    ],
  };
  return {
    id: index === 0 ? "impact-hf-histogram" : `impact-hf-histogram-${index + 1}`,
    title: "Health factors before and after the change",
    caption: `From ${view.sourceFile}: bars count accounts per health-factor bin measured on a fork of the target chain, without the change (grey, hatched) and with it (vermillion, dotted). Bars left of 1.00 are liquidatable.`,
    heightPx: 420,
    option,
  };
}
