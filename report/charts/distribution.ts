/** Loss distributions: one histogram panel per LRT or market, and the exceedance curve, with VaR/ES markers. */
import { fmtEth, fmtPct, slug } from "../format";
import type { DistributionSeries, DistributionView } from "../views";
import { PALETTE, SYMBOLS, DASHES, FONT, base, valueAxis, type EChartsOptionJson, type ChartSpec } from "./common";

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
