/**
 * Reader for the model's simulation output (`cascade-guard/simulation@1`, model/output.ts,
 * written by `cascade:simulate --out`). Validates the fields the report draws (zod, errors name the
 * file and field) and maps them to views:
 *   byLrt[].navLossFrac / depegFrac     -> histograms per LRT (log-binned, shown on a log axis)
 *   byMarket[].badDebtEth.histogram     -> bad-debt histograms per market (LRT @ venue)
 *   byLrt[].badDebtEth (exact tail)     -> bad-debt exceedance curves per LRT, VaR / ES table
 *   byLrt[].cascadeCurve                -> cascade curve (depeg vs mean liquidated volume)
 *   exposure, robustness, byVenue       -> tables
 */
import { z } from "zod";
import { fromZod } from "./errors";
import { fmtEth, fmtNumber, fmtPct } from "./format";
import type { CascadeCurveView, DistributionSeries, DistributionView, SummaryTable } from "./views";
import { SIMULATION_SCHEMA } from "../spec/formats";

const finite = z.number().finite();
const HistogramSchema = z.object({ edges: z.array(finite), counts: z.array(z.number().nonnegative()) }).superRefine((h, ctx) => {
  if (h.edges.length !== h.counts.length + 1 && h.edges.length !== h.counts.length)
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected edges.length = counts.length + 1, found ${h.edges.length} edges for ${h.counts.length} bins`, path: ["edges"] });
});
// Histogram quantiles are upper bin edges; past the last edge the model returns Infinity, which
// JSON writes as null: read null as "beyond the last bin edge".
const edgeQuantile = z.number().nullable().transform((v) => (v === null ? Number.POSITIVE_INFINITY : v));
const FracDistributionSchema = z
  .object({ mean: finite, pPositive: finite, max: finite, p50: edgeQuantile, p95: edgeQuantile, p99: edgeQuantile, p999: edgeQuantile, histogram: HistogramSchema })
  ;
const TailMetricsSchema = z
  .object({
    mean: finite,
    pPositive: finite,
    var95: finite,
    var99: finite,
    es95: finite,
    es99: finite,
    max: finite,
    quantiles: z.array(z.object({ q: finite, value: finite })),
  })
  ;

/** Fields the report reads; other fields are dropped on parse (zod's default), so the schema's input type is checked against the model's `SimulationOutput` in the tests. */
export const SimulationOutputSchema = z
  .object({
    schema: z.literal(SIMULATION_SCHEMA),
    modelVersion: z.string(),
    engine: z.string().optional(),
    seed: z.union([z.number(), z.string()]),
    paths: z.number().int().positive(),
    inputHash: z.string(),
    ecosystem: z.object({ name: z.string(), asOf: z.string().optional(), horizonDays: finite }),
    convergence: z.object({ pathsNotConverged: z.number() }).optional(),
    events: z
      .object({ pAnySlash: finite, avs: z.array(z.object({ id: z.string(), pFaultModel: finite, pFaultObserved: finite })) })
      .optional(),
    total: z.object({ badDebtEth: TailMetricsSchema, liquidatedEth: TailMetricsSchema }).optional(),
    byLrt: z
      .array(
        z
          .object({
            id: z.string(),
            navLossFrac: FracDistributionSchema,
            depegFrac: FracDistributionSchema,
            badDebtEth: TailMetricsSchema,
            liquidatedEth: z.object({ mean: finite }),
            pathsNotConverged: z.number().optional(),
            cascadeCurve: z.array(
              z.object({ depegFracLow: finite, depegFracHigh: finite, paths: z.number().nonnegative(), meanLiquidatedEth: finite }),
            ),
          })
          ,
      )
      .min(1),
    byVenue: z
      .array(z.object({ id: z.string(), oracleRegime: z.string(), badDebtEth: TailMetricsSchema, liquidatedEth: z.object({ mean: finite }) }))
      .default([]),
    byMarket: z
      .array(
        z
          .object({
            id: z.string(),
            venue: z.string(),
            lrt: z.string(),
            mode: z.string(),
            collateralEth: finite,
            debtEth: finite,
            positions: z.number(),
            badDebtEth: z.object({ mean: finite, pPositive: finite, max: finite, histogram: HistogramSchema }),
          })
          ,
      )
      .default([]),
    exposure: z
      .object({
        lrts: z.array(
          z
            .object({
              lrt: z.string(),
              navEth: finite,
              operators: z.array(z.object({ operator: z.string(), shareOfNav: finite })),
              avss: z.array(z.object({ avs: z.string(), slashableShareOfNav: finite })),
              operatorHhi: finite,
              avsHhi: finite,
              worstSingleAvsLossFrac: finite,
            })
            ,
        ),
        operatorConcentration: z.object({ totalRestakedEth: finite, top5Share: finite, top3Share: finite, hhi: finite }),
      })
      .optional(),
    robustness: z
      .object({
        uniqueStake: z.array(z.object({ avs: z.string(), allocatedStakeEth: finite, gamma: z.number(), secure: z.boolean() })),
        pooled: z
          .object({
            method: z.string(),
            gamma: z.number(),
            whitepaperHolds: z.boolean(),
            lossBounds: z.array(z.object({ shockFrac: finite, lossBoundFrac: z.number().nullable(), exactWorstLossFrac: z.number().optional() })),
          })
          ,
      })
      .optional(),
  })
  ;

export type SimulationOutputInput = z.infer<typeof SimulationOutputSchema>;
type Hist = z.infer<typeof HistogramSchema>;

export interface SimulationViews {
  distributions: DistributionView[];
  cascade: CascadeCurveView[];
  tables: SummaryTable[];
  provenance: Record<string, string>;
  /** Monte Carlo risk figures to colour the exposure graph with (by ecosystem id). */
  risk: { ecosystemName: string; lrtPLoss: Map<string, number>; avsPFault: Map<string, number> };
}

export function parseSimulationOutput(file: string, data: unknown): SimulationOutputInput {
  const parsed = SimulationOutputSchema.safeParse(data);
  if (!parsed.success) throw fromZod(file, parsed.error);
  return parsed.data;
}

/**
 * Markers from a histogram, both as upper bounds within one bin width (the model's convention for
 * quantiles): VaR_a = upper edge of the bin holding the a-th mass; ES_a = mean of the worst (1 - a)
 * mass with every path at its bin's upper edge. So VaR <= ES always, like the exact figures.
 */
export function histogramTail(h: Hist, alpha: number): { varValue: number; es: number } {
  const total = h.counts.reduce((a, b) => a + b, 0);
  if (total === 0) return { varValue: 0, es: 0 };
  const bins = h.counts.length;
  const upper = (i: number) => (i + 1 < h.edges.length ? h.edges[i + 1] : h.edges[h.edges.length - 1]);
  const target = alpha * total;
  let cum = 0;
  let varBin = bins - 1;
  for (let i = 0; i < bins; i++) {
    cum += h.counts[i];
    if (cum >= target - 1e-9) { varBin = i; break; }
  }
  // Tail mass (1 - alpha) * total: the part of the VaR bin above the alpha-quantile, then every bin beyond.
  const tailMass = (1 - alpha) * total;
  let mass = Math.min(tailMass, Math.max(0, cum - target));
  let sum = mass * upper(varBin);
  for (let i = varBin + 1; i < bins && mass < tailMass; i++) {
    const take = Math.min(h.counts[i], tailMass - mass);
    sum += take * upper(i);
    mass += take;
  }
  return { varValue: upper(varBin), es: mass > 0 ? sum / mass : upper(varBin) };
}

/**
 * A log-binned model histogram (bin 0 = exact zeros, bin 1 = (0, tiny)) as a drawable histogram in
 * display units: drops the zero and near-zero bins (reported as `zeroShare`) and trims empty edges.
 */
function drawable(h: Hist, scale: number, paths: number): { histogram?: { binEdges: number[]; counts: number[] }; zeroShare: number } {
  const firstDrawn = h.edges[0] === 0 && h.edges[1] === 0 ? 2 : h.edges[0] === 0 ? 1 : 0;
  const zeroCount = h.counts.slice(0, firstDrawn).reduce((a, b) => a + b, 0);
  let lo = -1;
  let hi = -1;
  for (let i = firstDrawn; i < h.counts.length; i++) if (h.counts[i] > 0) { if (lo < 0) lo = i; hi = i; }
  const zeroShare = paths > 0 ? zeroCount / paths : 0;
  if (lo < 0) return { zeroShare };
  const a = Math.max(firstDrawn, lo - 1);
  const b = Math.min(h.counts.length - 1, hi + 1);
  const edgeAt = (i: number) => (i < h.edges.length ? h.edges[i] : h.edges[h.edges.length - 1] * 1.26);
  // Counts become shares of all paths, so the zero share and the bars add up to 100%.
  return {
    histogram: {
      binEdges: Array.from({ length: b - a + 2 }, (_, k) => edgeAt(a + k) * scale),
      counts: h.counts.slice(a, b + 1).map((c) => c * (paths > 0 ? h.counts.reduce((x, y) => x + y, 0) / paths : 1)),
    },
    zeroShare,
  };
}

function fracSeries(asset: string, d: z.infer<typeof FracDistributionSchema>, paths: number): DistributionSeries {
  const { histogram, zeroShare } = drawable(d.histogram, 100, paths);
  const es99 = histogramTail(d.histogram, 0.99).es;
  return {
    asset,
    histogram,
    zeroShare,
    approxMarkers: true,
    tail: { mean: d.mean * 100, var95: d.p95 * 100, var99: d.p99 * 100, es99: es99 * 100, probabilityPositive: d.pPositive },
    paths,
  };
}

/**
 * Cascade-curve points at bin mid-points; where bins are missing (too few paths) a null point breaks
 * the line, so the chart never draws a segment through depeg levels no path reached.
 */
function withGaps(bins: Array<{ depegFracLow: number; depegFracHigh: number; meanLiquidatedEth: number }>): Array<[number, number | null]> {
  const out: Array<[number, number | null]> = [];
  const sorted = [...bins].sort((a, b) => a.depegFracLow - b.depegFracLow);
  sorted.forEach((p, i) => {
    const prev = sorted[i - 1];
    if (prev && p.depegFracLow > prev.depegFracHigh + 1e-12) out.push([Number((((prev.depegFracHigh + p.depegFracLow) / 2) * 100).toFixed(4)), null]);
    out.push([Number((((p.depegFracLow + p.depegFracHigh) / 2) * 100).toFixed(4)), Number(p.meanLiquidatedEth.toFixed(4))]);
  });
  return out;
}

/** A histogram-edge quantile as text: "≤ x%", or "≥ last edge" when it lies in the open last bin. */
function edgePct(v: number, h: Hist): string {
  if (Number.isFinite(v)) return `≤ ${fmtPct(v * 100)}`;
  return `≥ ${fmtPct(h.edges[h.edges.length - 1] * 100)}`;
}

export function simulationViews(file: string, data: unknown): SimulationViews {
  const sim = parseSimulationOutput(file, data);
  const n = sim.paths;
  const distributions: DistributionView[] = [
    { metric: "navLoss", label: "NAV loss", unit: "%", logX: true, series: sim.byLrt.map((l) => fracSeries(l.id, l.navLossFrac, n)) },
    { metric: "depeg", label: "Depeg (discount to NAV)", unit: "%", logX: true, series: sim.byLrt.map((l) => fracSeries(l.id, l.depegFrac, n)) },
  ];
  // Bad debt per LRT: exact tail metrics and quantiles -> exceedance curves.
  distributions.push({
    metric: "badDebt",
    label: "Bad debt",
    unit: "ETH",
    logX: true,
    series: sim.byLrt.map((l) => ({
      asset: l.id,
      quantiles: l.badDebtEth.quantiles.map((q) => [q.q, q.value] as [number, number]),
      tail: { mean: l.badDebtEth.mean, var95: l.badDebtEth.var95, var99: l.badDebtEth.var99, es95: l.badDebtEth.es95, es99: l.badDebtEth.es99, probabilityPositive: l.badDebtEth.pPositive },
      paths: n,
    })),
  });
  // Bad debt per market (LRT @ venue): the model's histograms.
  const marketsWithBadDebt = sim.byMarket.filter((m) => m.badDebtEth.histogram.counts.length > 0);
  if (marketsWithBadDebt.length) {
    distributions.push({
      metric: "badDebtMarket",
      label: "Bad debt per market",
      unit: "ETH",
      logX: true,
      panelKind: "market",
      series: marketsWithBadDebt.map((m) => {
        const { histogram, zeroShare } = drawable(m.badDebtEth.histogram, 1, n);
        const t95 = histogramTail(m.badDebtEth.histogram, 0.95);
        const t99 = histogramTail(m.badDebtEth.histogram, 0.99);
        return {
          asset: `${m.lrt} @ ${m.venue} (${m.mode})`,
          histogram,
          zeroShare,
          approxMarkers: true,
          tail: { mean: m.badDebtEth.mean, var95: t95.varValue, var99: t99.varValue, es99: t99.es, probabilityPositive: m.badDebtEth.pPositive },
          paths: n,
        };
      }),
    });
  }

  const minPaths = Math.max(3, Math.ceil(n * 1e-4));
  const cascade: CascadeCurveView[] = [
    {
      title: "Cascade curve: depeg vs liquidated volume",
      series: sim.byLrt.map((l) => {
        const kept = l.cascadeCurve.filter((p) => p.paths >= minPaths);
        // The model's last bin is open (depeg >= 20% pooled, depegFracHigh = 1): keep it off the line.
        const open = kept.find((p) => p.depegFracHigh >= 1);
        const closed = kept.filter((p) => p !== open);
        return {
          asset: l.id,
          kind: "curve" as const,
          points: withGaps(closed),
          ...(open ? { openBin: { fromPct: open.depegFracLow * 100, liquidatedEth: open.meanLiquidatedEth, paths: open.paths } } : {}),
        };
      }),
      note: `Mean liquidated volume (ETH, all venues) among paths whose depeg falls in each 0.25% bin; bins with fewer than ${minPaths} paths are left out. Hollow markers right of the dotted line: all paths with a depeg beyond the model's last bin edge, pooled.`,
    },
  ];

  const tables: SummaryTable[] = [
    {
      title: `Tail metrics per LRT (${n.toLocaleString("en-US")} paths, horizon ${sim.ecosystem.horizonDays} d)`,
      columns: ["LRT", "P(NAV loss > 0)", "mean NAV loss", "NAV loss p99", "depeg p99", "P(bad debt > 0)", "mean bad debt", "VaR95 bad debt", "VaR99 bad debt", "ES95 bad debt", "ES99 bad debt", "mean liquidated", "paths not converged"],
      rows: sim.byLrt.map((l) => [
        l.id,
        fmtPct(l.navLossFrac.pPositive * 100),
        fmtPct(l.navLossFrac.mean * 100),
        edgePct(l.navLossFrac.p99, l.navLossFrac.histogram),
        edgePct(l.depegFrac.p99, l.depegFrac.histogram),
        fmtPct(l.badDebtEth.pPositive * 100),
        fmtEth(l.badDebtEth.mean),
        fmtEth(l.badDebtEth.var95),
        fmtEth(l.badDebtEth.var99),
        fmtEth(l.badDebtEth.es95),
        fmtEth(l.badDebtEth.es99),
        fmtEth(l.liquidatedEth.mean),
        String(l.pathsNotConverged ?? "n/a"),
      ]),
      note: "Bad-debt figures are exact over the paths; NAV-loss and depeg quantiles are histogram upper bin edges (10 bins per decade), hence \"≤\".",
    },
  ];
  if (sim.byVenue.length) {
    tables.push({
      title: "Per lending venue",
      columns: ["venue", "oracle regime", "P(bad debt > 0)", "mean bad debt", "VaR99 bad debt", "ES99 bad debt", "mean liquidated"],
      rows: sim.byVenue.map((v) => [v.id, v.oracleRegime, fmtPct(v.badDebtEth.pPositive * 100), fmtEth(v.badDebtEth.mean), fmtEth(v.badDebtEth.var99), fmtEth(v.badDebtEth.es99), fmtEth(v.liquidatedEth.mean)]),
    });
  }
  if (sim.exposure) {
    const e = sim.exposure;
    tables.push({
      title: "Exposure: what each LRT really backs",
      columns: ["LRT", "NAV", "top operators (share of NAV)", "operator HHI", "top AVSs (slashable share of NAV)", "AVS HHI", "worst single-AVS loss"],
      rows: e.lrts.map((l) => [
        l.lrt,
        fmtEth(l.navEth),
        l.operators.slice(0, 3).map((o) => `${o.operator} ${fmtPct(o.shareOfNav * 100)}`).join(", "),
        fmtNumber(l.operatorHhi, 3),
        l.avss.slice(0, 3).map((a) => `${a.avs} ${fmtPct(a.slashableShareOfNav * 100)}`).join(", "),
        fmtNumber(l.avsHhi, 3),
        fmtPct(l.worstSingleAvsLossFrac * 100),
      ]),
      note: `Operator concentration: top 3 hold ${fmtPct(e.operatorConcentration.top3Share * 100)}, top 5 ${fmtPct(e.operatorConcentration.top5Share * 100)} of ${fmtEth(e.operatorConcentration.totalRestakedEth)} restaked (HHI ${fmtNumber(e.operatorConcentration.hhi, 3)}).`,
    });
  }
  if (sim.robustness) {
    const r = sim.robustness;
    tables.push({
      title: "Robustness (Durvasula-Roughgarden): slack per AVS under unique stake",
      columns: ["AVS", "allocated stake", "slack γ", "secure (γ ≥ 0)"],
      rows: r.uniqueStake.map((u) => [u.avs, fmtEth(u.allocatedStakeEth), Number.isFinite(u.gamma) ? fmtNumber(u.gamma, 3) : String(u.gamma), u.secure ? "yes" : "no"]),
      note: `Pooled graph (${r.pooled.method}): γ = ${fmtNumber(r.pooled.gamma, 3)}, whitepaper check ${r.pooled.whitepaperHolds ? "holds" : "fails"}; worst loss for a stake shock ψ: ${r.pooled.lossBounds
        .map((b) => `ψ ${fmtPct(b.shockFrac * 100)} → ${b.lossBoundFrac === null ? "unbounded" : `< ${fmtPct(b.lossBoundFrac * 100)}`}${b.exactWorstLossFrac !== undefined ? ` (exact ${fmtPct(b.exactWorstLossFrac * 100)})` : ""}`)
        .join("; ")}.`,
    });
  }

  const provenance: Record<string, string> = {
    modelVersion: sim.modelVersion,
    seed: String(sim.seed),
    paths: String(sim.paths),
    inputHash: sim.inputHash,
    ecosystem: sim.ecosystem.name,
    horizonDays: String(sim.ecosystem.horizonDays),
  };
  if (sim.engine) provenance.engine = sim.engine;
  return {
    distributions,
    cascade,
    tables,
    provenance,
    risk: {
      ecosystemName: sim.ecosystem.name,
      lrtPLoss: new Map(sim.byLrt.map((l) => [l.id, l.navLossFrac.pPositive] as const)),
      avsPFault: new Map((sim.events?.avs ?? []).map((a) => [a.id, a.pFaultObserved] as const)),
    },
  };
}
