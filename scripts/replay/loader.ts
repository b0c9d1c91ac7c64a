/**
 * Scenario loader: reads a `cascade-guard/scenario@1` JSON file, validates it against the checked-in JSON Schema
 * (ajv 8) and then against the rules a schema cannot express (monotonic time, first point complete, ordered
 * bounds). Every problem is reported with the file, the field as a JSON pointer, what was expected and what was
 * found. Nothing here touches a chain, so a bad file can never deploy anything.
 */
import crypto from "crypto";
import fs from "fs";
import path from "path";
import Ajv, { ErrorObject } from "ajv";
import { LoadedScenario, Scenario } from "./types";
import { UserError } from "../../spec/errors";

export const SCENARIO_SCHEMA_PATH = path.join(__dirname, "..", "..", "scenarios", "schema", "scenario.schema.json");
export const BUNDLED_SCENARIO_DIR = path.join(__dirname, "..", "..", "scenarios");

/** One problem in a scenario file. */
export interface ScenarioIssue {
  /** JSON pointer to the field, e.g. `/path/2/marketPrice`; `` for the document itself. */
  pointer: string;
  expected: string;
  found: string;
}

/** Thrown when a scenario file cannot be used. Its message names the file, each field and the expectation. */
export class ScenarioValidationError extends UserError {
  constructor(
    public readonly file: string,
    public readonly issues: ScenarioIssue[],
  ) {
    super(
      `Invalid scenario file ${file}:\n` +
        issues.map((i) => `  - field ${i.pointer || "(document)"}: expected ${i.expected}; found ${i.found}`).join("\n"),
    );
    this.name = "ScenarioValidationError";
  }
}

let compiled: ReturnType<Ajv["compile"]> | undefined;
function validator() {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, discriminator: true, strict: false });
    compiled = ajv.compile(JSON.parse(fs.readFileSync(SCENARIO_SCHEMA_PATH, "utf8")));
  }
  return compiled;
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const s = JSON.stringify(value);
  return s.length > 80 ? s.slice(0, 77) + "..." : s;
}

function valueAt(doc: unknown, pointer: string): unknown {
  if (!pointer) return doc;
  let cur: unknown = doc;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function ajvIssue(doc: unknown, e: ErrorObject): ScenarioIssue {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return { pointer: `${e.instancePath}/${p.missingProperty}`, expected: "a value (required field)", found: "nothing" };
    case "additionalProperties":
      return {
        pointer: `${e.instancePath}/${p.additionalProperty}`,
        expected: "no such field (unknown field; see scenarios/schema/scenario.schema.json)",
        found: show(valueAt(doc, `${e.instancePath}/${p.additionalProperty}`)),
      };
    case "enum":
      return {
        pointer: e.instancePath,
        expected: `one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
        found: show(valueAt(doc, e.instancePath)),
      };
    case "const":
      return { pointer: e.instancePath, expected: JSON.stringify(p.allowedValue), found: show(valueAt(doc, e.instancePath)) };
    case "discriminator":
      return {
        pointer: `${e.instancePath}/kind`,
        expected: `a known event kind ("slash" or "attacker-borrow")`,
        found: show(valueAt(doc, `${e.instancePath}/kind`)),
      };
    default:
      // ajv says "must be >= 1", "must be number", "must match pattern ...": keep what follows "must (be)".
      return { pointer: e.instancePath, expected: (e.message ?? e.keyword).replace(/^must (be )?/, ""), found: show(valueAt(doc, e.instancePath)) };
  }
}

/** Rules the JSON Schema cannot express. Called only on a document that passed the schema. */
function semanticIssues(s: Scenario): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const first = s.path[0];
  if (first.t !== 0) issues.push({ pointer: "/path/0/t", expected: "0 (the path starts at t = 0)", found: show(first.t) });
  if (first.marketPrice === undefined)
    issues.push({ pointer: "/path/0/marketPrice", expected: "a starting market price (ETH per token)", found: "nothing" });
  if (first.exchangeRate === undefined)
    issues.push({ pointer: "/path/0/exchangeRate", expected: "a starting exchange rate (ETH per token)", found: "nothing" });
  for (let i = 1; i < s.path.length; i++) {
    if (s.path[i].t <= s.path[i - 1].t)
      issues.push({
        pointer: `/path/${i}/t`,
        expected: `a time strictly greater than /path/${i - 1}/t (${s.path[i - 1].t})`,
        found: show(s.path[i].t),
      });
  }
  const lastT = s.path[s.path.length - 1].t;
  const duration = s.durationSeconds ?? lastT;
  if (s.durationSeconds !== undefined && s.durationSeconds < lastT)
    issues.push({ pointer: "/durationSeconds", expected: `>= the last path time (${lastT})`, found: show(s.durationSeconds) });
  if (duration < s.stepSeconds)
    issues.push({ pointer: "/stepSeconds", expected: `<= the replay length (${duration} s)`, found: show(s.stepSeconds) });
  s.events.forEach((e, i) => {
    if (e.t > duration)
      issues.push({ pointer: `/events/${i}/t`, expected: `<= the replay length (${duration} s)`, found: show(e.t) });
  });
  if (s.venue === "morpho" && s.emode)
    issues.push({ pointer: "/emode", expected: 'false on venue "morpho" (a Morpho market has one LLTV, no eMode)', found: show(s.emode) });
  const hf = s.positions.healthFactor;
  if ("bands" in hf) {
    hf.bands.forEach((b, i) => {
      if (!(b.min <= b.max)) issues.push({ pointer: `/positions/healthFactor/bands/${i}`, expected: "min <= max", found: show(b) });
    });
    const total = hf.bands.reduce((a, b) => a + b.share, 0);
    if (Math.abs(total - 1) > 1e-9)
      issues.push({ pointer: "/positions/healthFactor/bands", expected: "shares summing to 1 (each band's fraction of the positions)", found: `shares summing to ${total}` });
  } else if (!(hf.min <= hf.mode && hf.mode <= hf.max))
    issues.push({
      pointer: "/positions/healthFactor",
      expected: "min <= mode <= max",
      found: show(hf),
    });
  for (const run of ["baseline", "protected"] as const) {
    const x = s.expect[run];
    if (!x) continue;
    const pairs: [keyof typeof x, keyof typeof x][] = [
      ["liquidationsMin", "liquidationsMax"],
      ["pausedSecondsMin", "pausedSecondsMax"],
      ["tripsMin", "tripsMax"],
      ["attackerBorrowEthMin", "attackerBorrowEthMax"],
    ];
    for (const [lo, hi] of pairs) {
      if (x[lo] !== undefined && x[hi] !== undefined && (x[lo] as number) > (x[hi] as number))
        issues.push({ pointer: `/expect/${run}/${String(lo)}`, expected: `<= /expect/${run}/${String(hi)} (${x[hi]})`, found: show(x[lo]) });
    }
  }
  return issues;
}

/**
 * Validates a parsed scenario document. `file` is only used in error messages.
 * @throws ScenarioValidationError naming the file, each bad field and what is expected.
 */
export function validateScenario(doc: unknown, file: string): Scenario {
  const validate = validator();
  if (!validate(doc)) {
    const seen = new Set<string>();
    const issues: ScenarioIssue[] = [];
    for (const e of validate.errors ?? []) {
      // oneOf/if/discriminator noise is reported by more specific errors (enum on /kind, required fields).
      if (e.keyword === "oneOf" || e.keyword === "if" || e.keyword === "discriminator") continue;
      const issue = ajvIssue(doc, e);
      const key = `${issue.pointer}|${issue.expected}`;
      if (!seen.has(key)) {
        seen.add(key);
        issues.push(issue);
      }
    }
    throw new ScenarioValidationError(file, issues.length ? issues : [{ pointer: "", expected: "a valid scenario", found: "invalid" }]);
  }
  const scenario = doc as Scenario;
  const issues = semanticIssues(scenario);
  if (issues.length) throw new ScenarioValidationError(file, issues);
  return scenario;
}

/**
 * Resolves a scenario argument: an existing path, or the id/file name of a bundled scenario in `scenarios/`.
 */
export function resolveScenarioPath(arg: string): string {
  if (fs.existsSync(arg) && fs.statSync(arg).isFile()) return path.resolve(arg);
  for (const candidate of [path.join(BUNDLED_SCENARIO_DIR, arg), path.join(BUNDLED_SCENARIO_DIR, `${arg}.json`)]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new ScenarioValidationError(arg, [
    { pointer: "", expected: `an existing scenario file or a bundled id (${listBundledScenarios().join(", ")})`, found: "no such file" },
  ]);
}

/** Reads, parses and validates one scenario file. */
export function loadScenario(file: string): LoadedScenario {
  const resolved = resolveScenarioPath(file);
  const bytes = fs.readFileSync(resolved);
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    throw new ScenarioValidationError(resolved, [{ pointer: "", expected: "well-formed JSON", found: (err as Error).message }]);
  }
  const scenario = validateScenario(doc, resolved);
  return { scenario, file: resolved, inputHash: crypto.createHash("sha256").update(bytes).digest("hex") };
}

/** Ids of the scenarios bundled in `scenarios/`, sorted. */
export function listBundledScenarios(): string[] {
  return fs
    .readdirSync(BUNDLED_SCENARIO_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.replace(/\.json$/, ""))
    .sort();
}
