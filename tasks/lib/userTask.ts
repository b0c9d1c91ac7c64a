/**
 * The one wrapper every task's action goes through (`.setAction(userTask(NAME, action, { needsArtifacts: true }))`).
 *
 *  - `needsArtifacts`: compiles first, quietly (a no-op when nothing changed), so a task works on a fresh clone in any
 *    order: the deploy code loads this project's artifacts from artifacts/ (scripts/aave/artifacts.ts).
 *  - A `UserError` (spec/errors.ts) that reaches the command line prints `<task>: <summary ?? message>` on stderr and exits 1,
 *    without a stack trace. Called from code (`hre.run` in a test, the demo), the same error is thrown as is.
 *    With `--show-stack-traces` it is thrown as is, for Hardhat to print with its stack.
 *  - Any other error is a bug: it propagates untouched and Hardhat prints its stack.
 *
 * Kept out of tasks/*.ts (hardhat.config.ts loads every file there as a task) and free of imports that need
 * compiled artifacts, so the config loads on a fresh clone.
 */
import type { ActionType, HardhatRuntimeEnvironment, RunSuperFunction, TaskArguments } from "hardhat/types";
import { UserError } from "../../spec/errors";

export interface UserTaskOptions<A> {
  /** Compile (quietly) before the action runs: the action deploys or attaches this project's contracts. */
  needsArtifacts?: boolean | ((args: A) => boolean);
}

/** How the wrapper learns whether it runs as the command line's own task; replaceable in tests. */
export interface TaskEnvironment {
  /** The task named on the Hardhat command line, or undefined when not run from the Hardhat CLI. */
  cliTaskName(): string | undefined;
  /** `--show-stack-traces` was given: let Hardhat print every error with its stack. */
  showStackTraces(): boolean;
  /** Where a user error's line goes. */
  writeError(line: string): void;
  /** Sets the process exit code. */
  setExitCode(code: number): void;
}

/** The task named on the Hardhat command line, parsed by Hardhat's own argument parser; undefined outside its CLI. */
export function hardhatCliTaskName(argv: readonly string[] = process.argv, mainFile: string | undefined = require.main?.filename): string | undefined {
  if (!mainFile || !/hardhat[\\/]internal[\\/]cli[\\/](cli|bootstrap)\.js$/.test(mainFile)) return undefined;
  try {
    /* eslint-disable @typescript-eslint/no-var-requires */
    const { ArgumentsParser } = require("hardhat/internal/cli/ArgumentsParser");
    const { HARDHAT_PARAM_DEFINITIONS } = require("hardhat/internal/core/params/hardhat-params");
    /* eslint-enable @typescript-eslint/no-var-requires */
    const parsed = new ArgumentsParser().parseHardhatArguments(HARDHAT_PARAM_DEFINITIONS, {}, argv.slice(2));
    return typeof parsed.scopeOrTaskName === "string" ? parsed.scopeOrTaskName : undefined;
  } catch {
    return undefined;
  }
}

const processEnvironment: TaskEnvironment = {
  cliTaskName: () => hardhatCliTaskName(),
  showStackTraces: () => process.argv.includes("--show-stack-traces"),
  writeError: (line) => process.stderr.write(line.endsWith("\n") ? line : `${line}\n`),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/**
 * `compile --quiet`, with what it still prints ("Compiled 162 Solidity files successfully" on a fresh clone) sent to
 * stderr: stdout stays the task's own output (`scenario:replay --json`, `risk:status --json`).
 */
async function compileQuietly(hre: HardhatRuntimeEnvironment): Promise<void> {
  const log = console.log;
  console.log = (...parts: unknown[]) => console.error(...parts);
  try {
    await hre.run("compile", { quiet: true });
  } finally {
    console.log = log;
  }
}

/** Wrapped actions currently running (a wrapped task may run another through `hre.run`). */
let depth = 0;

/** Wraps a task action: compile first when asked, and turn a user error into one line and exit code 1 on the CLI. */
export function userTask<A extends TaskArguments, R = unknown>(
  taskName: string,
  action: (args: A, hre: HardhatRuntimeEnvironment, runSuper: RunSuperFunction<A>) => Promise<R>,
  options: UserTaskOptions<A> = {},
  env: TaskEnvironment = processEnvironment,
): ActionType<A> {
  return async (args: A, hre: HardhatRuntimeEnvironment, runSuper: RunSuperFunction<A>) => {
    const outermost = depth === 0;
    depth += 1;
    try {
      const needsArtifacts = typeof options.needsArtifacts === "function" ? options.needsArtifacts(args) : options.needsArtifacts === true;
      if (needsArtifacts) await compileQuietly(hre);
      return await action(args, hre, runSuper);
    } catch (err) {
      if (!UserError.is(err) || !outermost || env.cliTaskName() !== taskName || env.showStackTraces()) throw err;
      env.writeError(`${taskName}: ${err.summary ?? err.message}`);
      env.setExitCode(1);
      return undefined;
    } finally {
      depth -= 1;
    }
  };
}
