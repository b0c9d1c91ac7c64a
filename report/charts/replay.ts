/** The replay timeline: baseline vs protected, price, health, pauses, haircuts and freezes over time. */
import { slug } from "../format";
import type { ReplayRunView, ReplayView } from "../views";
import { runStyle, FONT, AXIS_LABEL_STYLE, base, valueAxis, type EChartsOptionJson, type ChartSpec } from "./common";
import { niceCeil } from "./distribution";

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
