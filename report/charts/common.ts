/** What every chart shares: the ChartSpec shape, the colour-blind-safe palette, run styles, axes and the base option. */
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
export const SYMBOLS = ["circle", "triangle", "rect", "diamond", "emptyCircle", "emptyTriangle", "emptyRect", "emptyDiamond"];
export const DASHES: Array<"solid" | "dashed" | "dotted"> = ["solid", "dashed", "dotted"];

/** Run styles: the protected run is solid blue circles, the baseline dashed vermillion triangles. */
export function runStyle(run: string): { color: string; type: "solid" | "dashed" | "dotted"; symbol: string; label: string } {
  if (/protect/i.test(run)) return { color: "#0072B2", type: "solid", symbol: "circle", label: "protected" };
  if (/base/i.test(run)) return { color: "#D55E00", type: "dashed", symbol: "triangle", label: "baseline" };
  return { color: "#009E73", type: "dotted", symbol: "rect", label: run };
}

export const FONT = 13;
export const AXIS_NAME_STYLE = { fontSize: FONT, color: "#222" };
export const AXIS_LABEL_STYLE = { fontSize: 12, color: "#333" };

export function base(title: string, subtext?: string): EChartsOptionJson {
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

export function valueAxis(name: string, extra: EChartsOptionJson = {}): EChartsOptionJson {
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
