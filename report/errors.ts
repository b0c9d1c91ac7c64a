import type { ZodError } from "zod";
import { UserError } from "../spec/errors";

/** Error for a report input that cannot be read; names the file and, when known, the field. */
export class ReportInputError extends UserError {
  constructor(
    readonly file: string,
    readonly field: string | undefined,
    readonly detail: string,
  ) {
    super(`${file}${field ? `: ${field}` : ""}: ${detail}`);
    this.name = "ReportInputError";
  }
}

/** Field path in the project's error style: `runs[0].timeline[3].marketPrice`. */
export function fieldPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), "");
}

/** First issue of a zod error as a ReportInputError (the others are appended briefly). */
export function fromZod(file: string, error: ZodError, prefix: ReadonlyArray<string | number> = []): ReportInputError {
  const [first, ...rest] = error.issues;
  const field = fieldPath([...prefix, ...first.path]) || "(root)";
  const more = rest.length ? ` (and ${rest.length} more issue(s), e.g. ${fieldPath([...prefix, ...rest[0].path])}: ${rest[0].message})` : "";
  return new ReportInputError(file, field, `${first.message}${more}`);
}
