/**
 * The report's own, normalised view of its inputs. Adapters in `adapters.ts` turn the model's
 * simulation output, the parameter engine's params file and the replay results into these views;
 * chart builders in `charts.ts` only ever read views. Units are in every field name.
 */
import type { Histogram } from "./stats";

export type ExposureNodeKind = "lrt" | "operator" | "avs";

export interface ExposureNode {
  id: string;
  label: string;
  kind: ExposureNodeKind;
  /** Stake behind the node in ETH: LRT backing, operator stake, AVS slashable stake. */
  stakeEth: number;
  /** Risk score in [0, 1] used for colour; what it means per kind is in `ExposureView.riskMeaning`. */
  risk: number;
  /** One-line human description of the risk figure, e.g. "P(fault, 30 d) = 1.2%". */
  riskText: string;
}

export interface ExposureLink {
  source: string;
  target: string;
  kind: "delegation" | "allocation" | "dependency";
  /** Amount carried by the edge in ETH (delegation, allocation); undefined for dependencies. */
  amountEth?: number;
  /** For AVS -> AVS dependencies: probability that a fault propagates. */
  probability?: number;
}

export interface ExposureView {
  title: string;
  nodes: ExposureNode[];
  links: ExposureLink[];
  /** What the colour scale means for each node kind. */
  riskMeaning: Record<ExposureNodeKind, string>;
}

export type DistributionMetric = "navLoss" | "depeg" | "badDebt" | "badDebtMarket" | "liquidated";

export interface TailMarkers {
  mean?: number;
  var95?: number;
  var99?: number;
  es95?: number;
  es99?: number;
  /** Probability that the metric is above zero (for bad debt: P(any bad debt)). */
  probabilityPositive?: number;
}

export interface DistributionSeries {
  /** LRT symbol (or "LRT @ venue"). */
  asset: string;
  /** Histogram in the display unit of the view; counts may be raw counts or path shares. */
  histogram?: Histogram;
  /** Tail quantiles as [alpha, value] pairs in the display unit (for the exceedance curve). */
  quantiles?: Array<[number, number]>;
  tail: TailMarkers;
  /** True when the histogram only counts paths with a positive value (tail markers still use all paths). */
  conditionalOnPositive?: boolean;
  /** Share of all paths at (or within float noise of) zero, not drawn on a log axis; shown in the panel title. */
  zeroShare?: number;
  /** True when the VaR/ES markers were derived from the histogram (bin upper edges), not exact samples. */
  approxMarkers?: boolean;
  /** Number of Monte Carlo paths behind the figures. */
  paths: number;
}

export interface DistributionView {
  metric: DistributionMetric;
  label: string;
  /** Display unit: "%" (of NAV or of par) or "ETH". */
  unit: "%" | "ETH";
  series: DistributionSeries[];
  /** Log-scale value axis (log-binned histograms); zero-valued paths are reported, not drawn. */
  logX?: boolean;
  /** What one panel is: "LRT" (default) or "market". */
  panelKind?: string;
}

export interface CascadeCurveSeries {
  asset: string;
  /** "curve": a model-computed line; "samples": per-path points (scatter). */
  kind: "curve" | "samples";
  /** [depeg in %, liquidated volume in ETH] pairs; a null volume breaks the line (bins without enough paths). */
  points: Array<[number, number | null]>;
  /** An open last bin (depeg >= fromPct pooled): drawn apart from the line, at fromPct. */
  openBin?: { fromPct: number; liquidatedEth: number; paths: number };
}

export interface CascadeCurveView {
  title: string;
  /** How the points were computed (shown under the chart). */
  note?: string;
  series: CascadeCurveSeries[];
}

export interface ReplayStepView {
  tSeconds: number;
  /** Market price, LRT/ETH (1 = par). */
  marketPrice: number;
  /** Exchange rate (NAV), ETH per LRT. */
  exchangeRate: number;
  /** Proof-of-reserve backing ratio (1 = fully backed), when the result carries it. */
  backingRatio?: number;
  discountBps: number;
  /** Effective LTV and LT of the collateral (eMode if the positions sit in eMode), in bps. */
  ltvBps?: number;
  ltBps?: number;
  paused: boolean;
  /** Reserve frozen by the haircut module (IMPAIRED), when the result says so. */
  frozen?: boolean;
  liquidationsCount: number;
  liquidatedEth: number;
  badDebtEth?: number;
}

export interface ReplayRunView {
  run: string;
  /** Pause intervals [start, end] in seconds from the start, when the result lists them. */
  pausesSeconds?: Array<[number, number]>;
  steps: ReplayStepView[];
  /** Headline figures of the run in display units, keyed by a label with its unit. */
  summary: Record<string, number | string | null>;
}

export interface ReplayView {
  scenarioId: string;
  title: string;
  asset: string;
  oracleRegime?: string;
  sourceFile: string;
  runs: ReplayRunView[];
}

export interface ProvenanceView {
  file: string;
  kind: "simulation" | "params" | "replay" | "ecosystem" | "impact";
  schema: string;
  fields: Record<string, string>;
}

export interface HaircutCurveView {
  asset: string;
  /** Piecewise-linear curve knots as [discount %, haircut %]. */
  knotsPct: Array<[number, number]>;
  tripPct?: number;
  stressPct?: number;
}

export interface ParamsView {
  sourceFile: string;
  /** Tables in reading order (per-market recommendations, keeper-pushed parameters, module config, ...). */
  tables: SummaryTable[];
  provenance: Record<string, string>;
  /** Policy the parameters were solved for, flattened to text. */
  policy: Record<string, string>;
  /** Haircut-widening curves per asset, when the file carries them. */
  curves: HaircutCurveView[];
}

export interface SummaryTable {
  /** CSS class of the table element ("left": left-aligned text cells). */
  className?: string;
  title: string;
  columns: string[];
  rows: string[][];
  note?: string;
}

/** A parameter change's impact on real positions (an impact file from `params:push --impact-out`). */
export interface ImpactView {
  sourceFile: string;
  title: string;
  /** Health-factor histogram: accounts per HF bin without and with the change. */
  bins: Array<{ label: string; before: number; after: number }>;
  tables: SummaryTable[];
  provenance: Record<string, string>;
}

export interface ReportView {
  title: string;
  generatedAt: string;
  sources: ProvenanceView[];
  exposure: ExposureView[];
  distributions: DistributionView[];
  cascade: CascadeCurveView[];
  simulationTables: SummaryTable[];
  replays: ReplayView[];
  params: ParamsView[];
  impacts: ImpactView[];
}
