import type { Ecosystem } from "./ecosystem/schema";
import { exposureTables, EcosystemExposure } from "./exposure";
import { modelMarkets } from "./core";
import { MARKET_STEPS } from "./market";
import { robustnessReport, RobustnessReport } from "./robustness";
import {
  Accumulator,
  CURVE_BINS,
  CURVE_STEP,
  ETH_BINS,
  ETH_EDGES,
  FRAC_BINS,
  FRAC_EDGES,
  histQuantile,
  tailMetrics,
  TailMetrics,
} from "./stats";
import { MODEL_VERSION } from "./version";
import { SIMULATION_SCHEMA } from "../spec/formats";

export const SIMULATION_SCHEMA_ID = SIMULATION_SCHEMA;

/** Histogram: counts[i] is the number of paths with value in [edges[i], edges[i+1]); bin 0 holds exact zeros. */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/** Distribution of a fraction (NAV loss, depeg): exact mean and max, histogram quantiles (upper bin edge). */
export interface FracDistribution {
  mean: number;
  pPositive: number;
  max: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  histogram: Histogram;
}

export interface CascadeCurvePoint {
  depegFracLow: number;
  depegFracHigh: number;
  paths: number;
  meanLiquidatedEth: number;
}

export interface SimulationOutput {
  schema: typeof SIMULATION_SCHEMA_ID;
  modelVersion: string;
  engine: string;
  seed: number;
  paths: number;
  inputHash: string;
  ecosystem: { name: string; asOf?: string; horizonDays: number };
  wallSeconds?: number;
  convergence: { tolerance: number; maxIterations: number; pathsNotConverged: number };
  events: {
    pAnySlash: number;
    avs: { id: string; pFaultModel: number; pFaultObserved: number }[];
    commonShocks: { id: string; pModel: number; pObserved: number }[];
    /** liquidity shocks (large seller, LP withdrawal, exit-queue surge) */
    liquidityShocks: { id: string; kind: string; pModel: number; pObserved: number }[];
  };
  total: { badDebtEth: TailMetrics; liquidatedEth: TailMetrics };
  byLrt: {
    id: string;
    navLossFrac: FracDistribution;
    depegFrac: FracDistribution;
    priceDropFrac: FracDistribution;
    badDebtEth: TailMetrics;
    liquidatedEth: { mean: number; histogram: Histogram };
    meanSoldEth: number;
    /** share of paths on which the market layer ran (NAV loss or liquidity shock) */
    pStressed: number;
    meanIterations: number;
    maxIterations: number;
    pathsNotConverged: number;
    cascadeCurve: CascadeCurvePoint[];
  }[];
  byVenue: { id: string; oracleRegime: string; badDebtEth: TailMetrics; liquidatedEth: { mean: number; histogram: Histogram } }[];
  byMarket: {
    id: string;
    venue: string;
    lrt: string;
    mode: string;
    collateralEth: number;
    debtEth: number;
    positions: number;
    badDebtEth: { mean: number; pPositive: number; max: number; histogram: Histogram };
    liquidatedEth: { mean: number; pPositive: number; max: number };
  }[];
  exposure: EcosystemExposure;
  robustness: RobustnessReport;
}

function hist(counts: Float64Array, offset: number, bins: number, edges: number[]): Histogram {
  return { edges, counts: Array.from(counts.subarray(offset, offset + bins)) };
}

function fracDist(acc: Accumulator, h: Float64Array, sum: number, max: number, l: number, positive?: number): FracDistribution {
  const off = l * FRAC_BINS;
  const q = (x: number) => histQuantile(h, FRAC_EDGES, x, off, FRAC_BINS);
  const pos = positive ?? acc.paths - h[off];
  return {
    mean: acc.paths ? sum / acc.paths : 0,
    pPositive: acc.paths ? pos / acc.paths : 0,
    max,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    p999: q(0.999),
    histogram: hist(h, off, FRAC_BINS, FRAC_EDGES),
  };
}

export function buildOutput(req: {
  ecosystem: Ecosystem;
  acc: Accumulator;
  seed: number;
  engine: string;
  inputHash: string;
  wallSeconds?: number;
}): SimulationOutput {
  const { ecosystem: eco, acc } = req;
  const n = acc.paths;
  const markets = modelMarkets(eco);
  return {
    schema: SIMULATION_SCHEMA_ID,
    modelVersion: MODEL_VERSION,
    engine: req.engine,
    seed: req.seed,
    paths: n,
    inputHash: req.inputHash,
    ecosystem: { name: eco.name, asOf: eco.asOf, horizonDays: eco.horizonDays },
    ...(req.wallSeconds !== undefined ? { wallSeconds: req.wallSeconds } : {}),
    // The market layer is a closed-form step sequence (no fixed point): tolerance 0, at most MARKET_STEPS steps, so
    // pathsNotConverged is 0 by construction (kept so readers of the old fixed-point report keep working).
    convergence: { tolerance: 0, maxIterations: MARKET_STEPS, pathsNotConverged: acc.pathsNotConverged },
    events: {
      pAnySlash: acc.pathsWithSlash / n,
      avs: eco.avss.map((a, i) => ({ id: a.id, pFaultModel: a.faultProbability, pFaultObserved: acc.avsFaults[i] / n })),
      commonShocks: eco.commonShocks.map((c, i) => ({ id: c.id, pModel: c.probability, pObserved: acc.shockFires[i] / n })),
      liquidityShocks: eco.liquidityShocks.map((c, i) => ({ id: c.id, kind: c.kind, pModel: c.probability, pObserved: acc.liqShockFires[i] / n })),
    },
    total: { badDebtEth: tailMetrics(acc.totalBad.values(), n), liquidatedEth: tailMetrics(acc.totalRepaid.values(), n) },
    byLrt: eco.lrts.map((l, i) => ({
      id: l.id,
      navLossFrac: fracDist(acc, acc.navHist, acc.navSum[i], acc.navMax[i], i, acc.navPositive[i]),
      depegFrac: fracDist(acc, acc.depegHist, acc.depegSum[i], acc.depegMax[i], i),
      priceDropFrac: fracDist(acc, acc.priceDropHist, acc.dropSum[i], acc.dropMax[i], i),
      badDebtEth: tailMetrics(acc.lrtBad[i].values(), n),
      liquidatedEth: { mean: acc.lrtRepaidSum[i] / n, histogram: hist(acc.lrtRepaidHist, i * ETH_BINS, ETH_BINS, ETH_EDGES) },
      meanSoldEth: acc.soldSum[i] / n,
      pStressed: acc.stressedPaths[i] / n,
      meanIterations: acc.iterSum[i] / n,
      maxIterations: acc.iterMax[i],
      pathsNotConverged: acc.notConverged[i],
      cascadeCurve: Array.from({ length: CURVE_BINS }, (_, b) => ({
        depegFracLow: b * CURVE_STEP,
        depegFracHigh: b === CURVE_BINS - 1 ? 1 : (b + 1) * CURVE_STEP,
        paths: acc.curveCount[i * CURVE_BINS + b],
        meanLiquidatedEth: acc.curveCount[i * CURVE_BINS + b] ? acc.curveLiq[i * CURVE_BINS + b] / acc.curveCount[i * CURVE_BINS + b] : 0,
      })).filter((p) => p.paths > 0),
    })),
    byVenue: eco.venues.map((v, i) => ({
      id: v.id,
      oracleRegime: v.oracleRegime,
      badDebtEth: tailMetrics(acc.venueBad[i].values(), n),
      liquidatedEth: { mean: acc.venueRepaidSum[i] / n, histogram: hist(acc.venueRepaidHist, i * ETH_BINS, ETH_BINS, ETH_EDGES) },
    })),
    byMarket: markets.map((m, i) => ({
      id: m.id,
      venue: m.venue,
      lrt: m.lrt,
      mode: m.mode,
      collateralEth: m.positions.reduce((a, p) => a + p.collateralEth, 0),
      debtEth: m.positions.reduce((a, p) => a + p.debtEth, 0),
      positions: m.positions.length,
      badDebtEth: {
        mean: acc.mktBadSum[i] / n,
        pPositive: acc.mktBadPositive[i] / n,
        max: acc.mktBadMax[i],
        histogram: hist(acc.mktBadHist, i * ETH_BINS, ETH_BINS, ETH_EDGES),
      },
      liquidatedEth: { mean: acc.mktRepaidSum[i] / n, pPositive: acc.mktRepaidPositive[i] / n, max: acc.mktRepaidMax[i] },
    })),
    exposure: exposureTables(eco),
    robustness: robustnessReport(eco),
  };
}

