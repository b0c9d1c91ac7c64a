/** The exposure graph: LRT -> operator -> AVS, sized by stake, coloured by risk. */
import { escapeHtml, fmtEth, fmtPct } from "../format";
import type { ExposureNode, ExposureNodeKind, ExposureView } from "../views";
import { FONT, base, type EChartsOptionJson, type ChartSpec } from "./common";

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
