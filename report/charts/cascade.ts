/** The cascade curve: bad debt against the size of the shock. */
import { escapeHtml, fmtEth, fmtPct } from "../format";
import type { CascadeCurveView } from "../views";
import { PALETTE, SYMBOLS, DASHES, FONT, base, valueAxis, type EChartsOptionJson, type ChartSpec } from "./common";

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
