/**
 * Cascade Guard report generator. Entry points:
 *   buildReport({ inputs })           -> self-contained HTML string
 *   buildReportFromFiles({ files })   -> same, reading and recognising JSON files
 *   writeReport({ files, outFile, pngDir }) -> writes the page (and PNGs), used by `npx hardhat report`
 */
import fs from "fs";
import path from "path";
import { ReportInputError } from "./errors";
import { exposureFromEcosystem, parseEcosystemLike, type EcosystemLike, type SimulatedRisk } from "./exposure";
import { type ReportInput, detectInput, readReportInputs, scenarioMetaFor } from "./inputs";
import { renderPage } from "./page";
import { paramsView, provenanceOf } from "./params-input";
import { impactView } from "./impact-input";
import { parseReplayResult, replayView, type ScenarioMeta } from "./replay-input";
import { simulationViews } from "./simulation-input";
import type { ReportView } from "./views";

export { ReportInputError } from "./errors";
export { detectInput, readReportInputs, type ReportInput, type ReportInputKind } from "./inputs";
export { renderPage, reportCharts, REPORT_VERSION } from "./page";
export type { ReportView } from "./views";

export interface BuildReportRequest {
  /** Recognised inputs (see `readReportInputs` / `detectInput`). */
  inputs: readonly ReportInput[];
  title?: string;
  /** ISO timestamp printed in the header; defaults to now. Fix it for reproducible output. */
  generatedAt?: string;
}

/** Turns recognised inputs into the report's view model (pure apart from the default timestamp). */
export function buildReportView({ inputs, title, generatedAt }: BuildReportRequest): ReportView {
  const view: ReportView = {
    title: title ?? "Cascade Guard risk report",
    generatedAt: generatedAt ?? new Date().toISOString(),
    sources: [],
    exposure: [],
    distributions: [],
    cascade: [],
    simulationTables: [],
    replays: [],
    params: [],
    impacts: [],
  };
  // Simulations first: their Monte Carlo risk figures colour the exposure graph of the same ecosystem.
  const simulated = new Map<string, SimulatedRisk>();
  const ecosystems: Array<{ file: string; eco: EcosystemLike }> = [];
  for (const input of inputs) {
    if (input.kind === "ecosystem") {
      ecosystems.push({ file: input.file, eco: parseEcosystemLike(input.file, input.data) });
      const eco = input.data as { name?: unknown; asOf?: unknown; horizonDays?: unknown };
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries({ name: eco.name, asOf: eco.asOf, horizonDays: eco.horizonDays })) if (v !== undefined) fields[k] = String(v);
      view.sources.push({ file: input.file, kind: input.kind, schema: input.schema, fields });
    } else if (input.kind === "simulation") {
      const sim = simulationViews(input.file, input.data);
      view.distributions.push(...sim.distributions);
      view.cascade.push(...sim.cascade);
      view.simulationTables.push(...sim.tables);
      view.sources.push({ file: input.file, kind: input.kind, schema: input.schema, fields: sim.provenance });
      if (!simulated.has(sim.risk.ecosystemName)) simulated.set(sim.risk.ecosystemName, { source: input.file, lrtPLoss: sim.risk.lrtPLoss, avsPFault: sim.risk.avsPFault });
    } else if (input.kind === "impact") {
      const v = impactView(input.file, input.data);
      view.impacts.push(v);
      view.sources.push({ file: input.file, kind: input.kind, schema: input.schema, fields: v.provenance });
    } else if (input.kind === "params") {
      const p = paramsView(input.file, input.data);
      view.params.push(p);
      view.sources.push({ file: input.file, kind: input.kind, schema: input.schema, fields: p.provenance });
    } else {
      const list = Array.isArray(input.data) ? input.data : [input.data];
      list.forEach((item, i) => {
        const r = parseReplayResult(input.file, item, Array.isArray(input.data) ? [i] : []);
        view.replays.push(replayView(input.file, r, input.scenarios?.[r.scenarioId]));
        const fields: Record<string, string> = { scenario: r.scenarioId };
        if (r.seed !== undefined) fields.seed = String(r.seed);
        if (r.inputHash !== undefined) fields.inputHash = r.inputHash;
        if (r.mode !== undefined) fields.mode = r.mode;
        view.sources.push({ file: input.file, kind: input.kind, schema: input.schema, fields });
      });
    }
  }
  for (const { file, eco } of ecosystems) view.exposure.push(exposureFromEcosystem(file, eco, eco.name ? simulated.get(eco.name) : undefined));
  // Two simulations of the same ecosystem draw the same graph; keep one of each title.
  const seen = new Set<string>();
  view.exposure = view.exposure.filter((e) => (seen.has(e.title) ? false : (seen.add(e.title), true)));
  return view;
}

/** The self-contained HTML report for the given inputs. */
export function buildReport(req: BuildReportRequest): string {
  return renderPage({ view: buildReportView(req) });
}

/** Parsed in-memory objects (e.g. straight from model functions) as report inputs. */
export function inputsFromObjects(objects: ReadonlyArray<{ name: string; data: unknown; scenarios?: Record<string, ScenarioMeta> }>): ReportInput[] {
  return objects.map((o) => ({ ...detectInput(o.name, JSON.parse(JSON.stringify(o.data))), ...(o.scenarios ? { scenarios: o.scenarios } : {}) }));
}

export interface WriteReportRequest {
  files: readonly string[];
  outFile: string;
  pngDir?: string;
  title?: string;
  generatedAt?: string;
}

export interface WriteReportResult {
  outFile: string;
  bytes: number;
  charts: string[];
  pngFiles: string[];
}

/** Reads inputs, writes the HTML page and, with `pngDir`, one PNG per chart (headless Chromium). */
export async function writeReport(req: WriteReportRequest): Promise<WriteReportResult> {
  return writeInputs(readReportInputs(req.files), req);
}

export interface WriteReportFromObjectsRequest {
  /** In-memory outputs, e.g. straight from `simulateCascade`, the params engine and `runScenarioReplay`. */
  objects: ReadonlyArray<{ name: string; data: unknown; scenarios?: Record<string, ScenarioMeta> }>;
  outFile: string;
  pngDir?: string;
  title?: string;
  generatedAt?: string;
}

/**
 * Same as `writeReport`, from objects already in memory (what `npm run demo` holds at its end).
 * Replay results get their scenario title/collateral/oracle from `scenarioFile` when it resolves
 * from the cwd, unless `scenarios` is given.
 */
export async function writeReportFromObjects(req: WriteReportFromObjectsRequest): Promise<WriteReportResult> {
  const inputs = inputsFromObjects(req.objects).map((input) =>
    input.kind === "replay" && !input.scenarios ? { ...input, scenarios: scenarioMetaFor(input.data, [process.cwd()]) } : input,
  );
  return writeInputs(inputs, req);
}

async function writeInputs(inputs: ReportInput[], req: { outFile: string; pngDir?: string; title?: string; generatedAt?: string }): Promise<WriteReportResult> {
  const html = buildReport({ inputs, title: req.title, generatedAt: req.generatedAt });
  fs.mkdirSync(path.dirname(path.resolve(req.outFile)), { recursive: true });
  fs.writeFileSync(req.outFile, html);
  const { chartIdsOf, renderChartPngs } = await import("./png");
  const charts = chartIdsOf(html);
  const pngFiles = req.pngDir ? (await renderChartPngs({ htmlFile: req.outFile, outDir: req.pngDir })).files : [];
  return { outFile: req.outFile, bytes: Buffer.byteLength(html), charts, pngFiles };
}

/** Re-exported for callers that want to validate a file without rendering. */
export function assertInputKind(input: ReportInput, kind: ReportInput["kind"]): void {
  if (input.kind !== kind) throw new ReportInputError(input.file, "schema", `expected a ${kind} file, found a ${input.kind} file (${input.schema})`);
}
