/** The impact of a parameter change: the health-factor histogram before and after, from params:push --impact-out. */
import type { ImpactView } from "../views";
import { FONT, AXIS_NAME_STYLE, AXIS_LABEL_STYLE, base, valueAxis, type EChartsOptionJson, type ChartSpec } from "./common";

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
