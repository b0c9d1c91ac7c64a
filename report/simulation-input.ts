/**
 * Reader for the model's simulation output (`cascade:simulate --out`). Kept in step with the
 * model area's output types (model/), see docs/report.md for the fields the report reads.
 */
import { ReportInputError } from "./errors";
import type { CascadeCurveView, DistributionView, ExposureView, SummaryTable } from "./views";

export const SIMULATION_SCHEMA_PREFIX = "cascade-guard/simulation";

export interface SimulationViews {
  exposure: ExposureView[];
  distributions: DistributionView[];
  cascade: CascadeCurveView[];
  tables: SummaryTable[];
  provenance: Record<string, string>;
}

export function simulationViews(file: string, _data: unknown): SimulationViews {
  throw new ReportInputError(file, "schema", "simulation output reader not implemented yet");
}
