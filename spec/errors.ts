/**
 * The one error class for mistakes the user can fix: a bad file, field, option or environment. Tasks run through
 * `userTask` (tasks/lib/userTask.ts): a `UserError` reaching the command line prints its message (one line per
 * problem, naming the file, the field, the value found and the fix) and exits 1 without a stack trace; any other
 * error is a bug and keeps its stack.
 *
 * Subclasses keep their own names and fields (`InputError`, `ScenarioValidationError`, `ReportInputError`, ...);
 * what makes them user errors is extending this class.
 */

/** The parts of a user error, in the order they are printed. */
export interface UserErrorParts {
  /** The file the bad value came from, if any. */
  file?: string;
  /** The field path (`assets[0].modelParams.tripDiscountBps`) or the option (`--runs`). */
  field?: string;
  /** What is wrong or what was expected, e.g. "expected a non-negative safe integer". */
  problem: string;
  /** The value found. Printed as `found <value>` (strings quoted) when the key is present, even if undefined. */
  value?: unknown;
  /** What to do about it, e.g. "run `npx hardhat compile`". */
  fix?: string;
}

const USER_ERROR = Symbol.for("cascade-guard/user-error");

/** A value as it appears after "found": strings quoted, bigints as digits, objects as JSON. */
export function showValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return value.toString();
  if (value === undefined) return "nothing";
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** `file: field: problem, found value (fix: ...)`; parts that are absent are left out. */
export function formatUserError(parts: UserErrorParts): string {
  const where = [parts.file, parts.field].filter((s): s is string => typeof s === "string" && s.length > 0);
  let line = [...where, parts.problem].join(": ");
  if ("value" in parts) line += `, found ${showValue(parts.value)}`;
  if (parts.fix) line += ` (fix: ${parts.fix})`;
  return line;
}

export interface UserErrorOptions {
  cause?: unknown;
  /**
   * The line the command line prints instead of the whole message, when the message is a list the task has already
   * shown (e.g. the refused values, rows of the diff table printed just before).
   */
  summary?: string;
}

export class UserError extends Error {
  /** The structured parts when the error was built from them. */
  readonly parts?: UserErrorParts;
  /** See `UserErrorOptions.summary`; the command line prints `summary ?? message`. */
  readonly summary?: string;

  constructor(messageOrParts: string | UserErrorParts, options?: UserErrorOptions) {
    super(typeof messageOrParts === "string" ? messageOrParts : formatUserError(messageOrParts), options?.cause === undefined ? undefined : { cause: options.cause });
    if (typeof messageOrParts !== "string") this.parts = messageOrParts;
    if (options?.summary !== undefined) this.summary = options.summary;
    this.name = "UserError";
    Object.defineProperty(this, USER_ERROR, { value: true });
  }

  /** True for a `UserError` (or subclass), also across two copies of this module (the brand is a global symbol). */
  static is(err: unknown): err is UserError {
    return err instanceof UserError || (typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[USER_ERROR] === true);
  }
}

/**
 * Runs a parser of user input and turns whatever it throws into a `UserError` with the same message (for input
 * parsers written before this class existed, e.g. `parseRuns("--runs ...")`). Only for calls whose every failure is
 * the input's fault.
 */
export function userInput<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (UserError.is(err)) throw err;
    throw new UserError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}
