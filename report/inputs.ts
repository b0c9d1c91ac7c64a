/**
 * Reads report inputs from disk and recognises each file by its `schema` field, or by its shape
 * when it has none. Unknown or malformed files raise a ReportInputError naming the file (and the
 * field when one is at fault); nothing is rendered from a partial set of inputs.
 */
import fs from "fs";
import path from "path";
import { type FormatKind, formatById } from "../spec/formats";
import { ReportInputError } from "./errors";
import type { ScenarioMeta } from "./replay-input";

export type ReportInputKind = "simulation" | "params" | "replay" | "ecosystem" | "impact";

export interface ReportInput {
  /** File name as given (used in error messages and in the page's provenance table). */
  file: string;
  kind: ReportInputKind;
  /** The schema tag of the file, or "(by shape)" when it had none. */
  schema: string;
  data: unknown;
  /** Replay inputs: scenario title/collateral/oracle by scenario id, from the scenario files when found. */
  scenarios?: Record<string, ScenarioMeta>;
}

/** The report input each registered format is read as (formats the report does not draw are absent). */
const REPORT_KIND: Partial<Record<FormatKind, ReportInputKind>> = {
  simulation: "simulation",
  params: "params",
  replayResult: "replay",
  ecosystem: "ecosystem",
  impact: "impact",
};

const EXPECTED =
  "expected a simulation output (cascade-guard/simulation@1), a params file (cascade-guard/params@1), a replay result (cascade-guard/replay-result@1), an ecosystem (cascade-guard/ecosystem@1) or an impact file (cascade-guard/impact@1)";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const looksLikeReplay = (v: unknown) => isObject(v) && Array.isArray(v.runs) && v.runs.some((r) => isObject(r) && Array.isArray(r.timeline));

/** Decides what a parsed JSON document is; throws a ReportInputError naming `file` if unknown. */
export function detectInput(file: string, data: unknown): ReportInput {
  if (Array.isArray(data)) {
    if (data.length > 0 && data.every(looksLikeReplay)) return { file, kind: "replay", schema: schemaOf(data[0]) ?? "(by shape)", data };
    throw new ReportInputError(file, undefined, "a JSON array is only accepted as a list of replay results (objects with runs[].timeline)");
  }
  if (!isObject(data)) throw new ReportInputError(file, undefined, `expected a JSON object, found ${data === null ? "null" : typeof data}`);
  const schema = schemaOf(data);
  if (schema !== undefined) {
    // Exact lookup in the registry (spec/formats.ts): no prefix or pattern guessing.
    const format = formatById(schema);
    const kind = format && REPORT_KIND[format.kind];
    if (kind) return { file, kind, schema, data };
    if (format?.kind === "scenario")
      throw new ReportInputError(file, "schema", `"${schema}" is a scenario definition, not a replay result; run \`npx hardhat scenario:replay --scenario ${file} --json\` and pass its output`);
    if (format) throw new ReportInputError(file, "schema", `"${schema}" (${format.description}) is not a report input; ${EXPECTED}`);
    throw new ReportInputError(file, "schema", `unknown schema "${schema}"; ${EXPECTED}`);
  }
  if (looksLikeReplay(data)) return { file, kind: "replay", schema: "(by shape)", data };
  if (Array.isArray(data.results) && data.results.every(looksLikeReplay)) return { file, kind: "replay", schema: "(by shape)", data: data.results };
  throw new ReportInputError(
    file,
    "schema",
    "missing, and the shape matches no known input; expected a simulation output, a params file or a replay result (objects with a `schema` field)",
  );
}

function schemaOf(v: unknown): string | undefined {
  return isObject(v) && typeof v.schema === "string" ? v.schema : undefined;
}

/** Reads and recognises every file; `displayName` defaults to the path relative to the cwd. */
export function readReportInputs(files: readonly string[]): ReportInput[] {
  if (files.length === 0) throw new ReportInputError("(no files)", undefined, "give at least one input file with --in");
  return files.map((f) => {
    const name = f;
    let text: string;
    try {
      text = fs.readFileSync(f, "utf8");
    } catch (e) {
      throw new ReportInputError(name, undefined, `cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new ReportInputError(name, undefined, `not valid JSON (${(e as Error).message})`);
    }
    const input = detectInput(name, data);
    if (input.kind === "replay") input.scenarios = scenarioMetaFor(input.data, [process.cwd(), path.dirname(path.resolve(f))]);
    return input;
  });
}

/**
 * Title, collateral and oracle regime of the scenarios behind replay results, read from their
 * `scenarioFile` (relative to the cwd or the result file) when it exists; best effort, never fails.
 */
export function scenarioMetaFor(data: unknown, baseDirs: readonly string[]): Record<string, ScenarioMeta> {
  const out: Record<string, ScenarioMeta> = {};
  for (const r of Array.isArray(data) ? data : [data]) {
    if (!isObject(r) || typeof r.scenarioId !== "string" || typeof r.scenarioFile !== "string") continue;
    for (const dir of baseDirs) {
      const file = path.resolve(dir, r.scenarioFile);
      if (!fs.existsSync(file)) continue;
      try {
        const sc = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
        out[r.scenarioId] = {
          title: typeof sc.title === "string" ? sc.title : undefined,
          collateral: typeof sc.collateral === "string" ? sc.collateral : undefined,
          oracle: typeof sc.oracle === "string" ? sc.oracle : undefined,
          synthetic: sc.synthetic === true,
        };
        break;
      } catch {
        // A scenario file that does not parse only costs the page its title; the replay loader validates it.
      }
    }
  }
  return out;
}
