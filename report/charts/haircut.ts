/** The recommended haircut-widening curves of a params file. */
import type { HaircutCurveView } from "../views";
import { PALETTE, SYMBOLS, DASHES, FONT, base, valueAxis, type EChartsOptionJson, type ChartSpec } from "./common";
import { niceCeil } from "./distribution";

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
