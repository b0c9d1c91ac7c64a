/**
 * Input at the edge: every JSON file the model reads is parsed and schema-checked here, so each error names the
 * file and the field path (`lrts[2].allocations[0].operator`) the same way.
 */
import fs from "fs";
import path from "path";
import type { z } from "zod";
import { UserError } from "../spec/errors";

/** Error for bad model input: names the file and the field path. */
export class InputError extends UserError {
  constructor(
    readonly file: string,
    readonly fieldPath: string,
    readonly detail: string,
  ) {
    super(`${file}: ${fieldPath}: ${detail}`);
    this.name = "InputError";
  }
}

/** zod issue path -> `a.b[2].c`; `(root)` for the document itself. */
export function fieldPath(p: readonly (string | number)[]): string {
  let s = "";
  for (const k of p) s += typeof k === "number" ? `[${k}]` : s === "" ? k : `.${k}`;
  return s === "" ? "(root)" : s;
}

/** Validates `raw` with `schema`; throws `InputError` for the first issue (with expected/found for type errors). */
export function validateWith<S extends z.ZodTypeAny>(
  schema: S,
  raw: unknown,
  file: string,
  makeError: (file: string, fieldPath: string, detail: string) => Error = (f, p, d) => new InputError(f, p, d),
): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const detail = issue.code === "invalid_type" ? `expected ${issue.expected}, found ${issue.received}` : issue.message;
  throw makeError(file, fieldPath(issue.path), detail);
}

/** Reads and parses a JSON file; an unreadable file or a syntax error names the file (`(file)` / `(json)`). */
export function readJsonFile(
  file: string,
  makeError: (file: string, fieldPath: string, detail: string) => Error = (f, p, d) => new InputError(f, p, d),
): { name: string; raw: unknown } {
  const name = path.basename(file);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw makeError(name, "(file)", `cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return { name, raw: JSON.parse(text) };
  } catch (e) {
    throw makeError(name, "(json)", `malformed JSON: ${(e as Error).message}`);
  }
}
