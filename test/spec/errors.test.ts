import { expect } from "chai";
import fs from "fs";
import path from "path";
import { UserError, formatUserError, userInput } from "../../spec/errors";
import { userTask, hardhatCliTaskName, type TaskEnvironment } from "../../tasks/lib/userTask";
import { InputError } from "../../model/input";
import { EcosystemInputError } from "../../model/ecosystem/schema";
import { ReportInputError } from "../../report/errors";
import { ChromiumMissingError } from "../../report/png";
import { ScenarioValidationError } from "../../scripts/replay/loader";
import { MarketFileError } from "../../scripts/markets/replica/marketFile";
import { ParamsOutOfBoundsError } from "../../scripts/ops/push/push";

const ROOT = path.join(__dirname, "..", "..");

/** A fake task environment that records what the wrapper prints and sets. */
function recorder(cliTask: string | undefined, showStackTraces = false) {
  const lines: string[] = [];
  let exitCode: number | undefined;
  const env: TaskEnvironment = { cliTaskName: () => cliTask, showStackTraces: () => showStackTraces, writeError: (l) => lines.push(l), setExitCode: (c) => (exitCode = c) };
  return { env, lines, exitCode: () => exitCode };
}

/** A fake hre recording `run` calls. */
function fakeHre() {
  const runs: Array<{ name: string; args: unknown }> = [];
  return { runs, hre: { run: async (name: string, args: unknown) => void runs.push({ name, args }) } as never };
}

describe("spec/errors: one user-error class", () => {
  it("formats file, field, problem, value and fix on one line", () => {
    expect(formatUserError({ file: "p.json", field: "assets[0].tripDiscountBps", problem: "expected <= 10000", value: 12000, fix: "lower it" })).to.equal(
      "p.json: assets[0].tripDiscountBps: expected <= 10000, found 12000 (fix: lower it)",
    );
    expect(formatUserError({ field: "--engine", problem: "expected fast or reference", value: "warp" })).to.equal('--engine: expected fast or reference, found "warp"');
    expect(formatUserError({ problem: "no samples" })).to.equal("no samples");
    expect(new UserError({ field: "seed", problem: "expected a non-negative safe integer", value: -1 }).message).to.equal("seed: expected a non-negative safe integer, found -1");
  });

  it("every input-error class of the project is a UserError", () => {
    const errors = [
      new InputError("f.json", "a.b", "bad"),
      new EcosystemInputError("e.json", "lrts[0]", "bad"),
      new ReportInputError("r.json", "schema", "bad"),
      new ChromiumMissingError("/nowhere/chromium"),
      new ScenarioValidationError("s.json", [{ pointer: "/x", expected: "a number", found: "a string" }]),
      new MarketFileError("m.json", [{ field: "reserves", message: "bad" }]),
      new ParamsOutOfBoundsError([]),
    ];
    for (const e of errors) expect(UserError.is(e), e.name).to.equal(true);
    expect(UserError.is(new Error("a bug"))).to.equal(false);
    expect(UserError.is(new TypeError("x is undefined"))).to.equal(false);
  });

  it("is recognised across two copies of the module (a global brand, not instanceof)", () => {
    const copy = { message: "m" } as Record<symbol | string, unknown>;
    Object.defineProperty(copy, Symbol.for("cascade-guard/user-error"), { value: true });
    expect(UserError.is(copy)).to.equal(true);
  });

  it("userInput turns a parser's plain error into a UserError with the same message", () => {
    const e = (() => {
      try {
        userInput(() => {
          throw new Error("--runs: expected baseline or protected");
        });
      } catch (err) {
        return err;
      }
    })();
    expect(UserError.is(e)).to.equal(true);
    expect((e as Error).message).to.equal("--runs: expected baseline or protected");
    expect(userInput(() => 42)).to.equal(42);
  });
});

describe("tasks/lib/userTask: one task wrapper", () => {
  it("on the command line, a user error prints one line naming the task and sets exit code 1", async () => {
    const r = recorder("demo:x");
    const { hre } = fakeHre();
    const action = userTask("demo:x", async () => {
      throw new UserError({ file: "a.json", field: "b", problem: "expected 1", value: 2 });
    }, {}, r.env);
    await action({}, hre, undefined as never);
    expect(r.lines).to.deep.equal(["demo:x: a.json: b: expected 1, found 2"]);
    expect(r.exitCode()).to.equal(1);
  });

  it("a bug propagates untouched (same object, stack intact), also on the command line", async () => {
    const r = recorder("demo:x");
    const { hre } = fakeHre();
    const bug = new TypeError("cannot read properties of undefined");
    const action = userTask("demo:x", async () => {
      throw bug;
    }, {}, r.env);
    const thrown = await action({}, hre, undefined as never).then(() => undefined, (e: unknown) => e);
    expect(thrown).to.equal(bug);
    expect((thrown as Error).stack).to.match(/errors\.test\.ts/);
    expect(r.lines).to.deep.equal([]);
    expect(r.exitCode()).to.equal(undefined);
  });

  it("called from code (another task, a test), a user error is thrown as is", async () => {
    const r = recorder("test");
    const { hre } = fakeHre();
    const e = new UserError("x: bad");
    const action = userTask("demo:x", async () => {
      throw e;
    }, {}, r.env);
    expect(await action({}, hre, undefined as never).then(() => undefined, (err: unknown) => err)).to.equal(e);
    expect(r.lines).to.deep.equal([]);
  });

  it("prints the one-line summary of an error whose message is a list already shown (params:push refusals)", async () => {
    const r = recorder("params:push");
    const { hre } = fakeHre();
    const violations = [
      { message: "weETH: CollateralRiskOracle.tripDiscountBps = 246 violates maxStep 100 (current 400, step 154)" },
      { message: "weETH: CollateralRiskOracle.knot1DiscountBps = 1210 violates maxStep 100 (current 200, step 1010)" },
    ] as ConstructorParameters<typeof ParamsOutOfBoundsError>[0];
    const action = userTask("params:push", async () => {
      throw new ParamsOutOfBoundsError(violations);
    }, {}, r.env);
    await action({}, hre, undefined as never);
    expect(r.lines).to.deep.equal([
      "params:push: refused: 2 value(s) outside the contracts' bounds, first weETH: CollateralRiskOracle.tripDiscountBps = 246 violates maxStep 100 (current 400, step 154); nothing sent",
    ]);
    expect(r.exitCode()).to.equal(1);
  });

  it("with --show-stack-traces, a user error is thrown for Hardhat to print with its stack", async () => {
    const r = recorder("demo:x", true);
    const { hre } = fakeHre();
    const e = new UserError("x: bad");
    const action = userTask("demo:x", async () => {
      throw e;
    }, {}, r.env);
    expect(await action({}, hre, undefined as never).then(() => undefined, (err: unknown) => err)).to.equal(e);
    expect(r.lines).to.deep.equal([]);
  });

  it("only the outermost wrapped task reports; a nested one rethrows", async () => {
    const r = recorder("outer");
    const { hre } = fakeHre();
    const inner = userTask("outer", async () => {
      throw new UserError("inner: bad");
    }, {}, r.env);
    const outer = userTask("outer", async (_a, h, s) => inner({}, h, s), {}, r.env);
    await outer({}, hre, undefined as never);
    expect(r.lines).to.deep.equal(["outer: inner: bad"]);
  });

  it("compiles quietly before an action that needs artifacts, and only then", async () => {
    const r = recorder(undefined);
    const order: string[] = [];
    const log = console.log;
    const hre = {
      run: async (name: string, args: unknown) => {
        // What compile prints goes to stderr, so a task's stdout (e.g. --json) stays parseable.
        expect(console.log).to.not.equal(log);
        order.push(`${name} ${JSON.stringify(args)}`);
      },
    } as never;
    await userTask("t", async () => void order.push("action"), { needsArtifacts: true }, r.env)({}, hre, undefined as never);
    expect(order).to.deep.equal(['compile {"quiet":true}', "action"]);
    expect(console.log).to.equal(log);
    order.length = 0;
    await userTask("t", async () => void order.push("action"), {}, r.env)({}, hre, undefined as never);
    expect(order).to.deep.equal(["action"]);
    await userTask<{ only?: string }>("t", async () => void order.push("action2"), { needsArtifacts: (a) => a.only !== "model" }, r.env)({ only: "model" }, hre, undefined as never);
    expect(order).to.deep.equal(["action", "action2"]);
  });

  it("knows the command line's task only under the Hardhat CLI", () => {
    const cli = "/x/node_modules/hardhat/internal/cli/bootstrap.js";
    expect(hardhatCliTaskName(["node", cli, "--network", "localhost", "risk:status", "--json"], cli)).to.equal("risk:status");
    expect(hardhatCliTaskName(["node", cli, "test", "test/x.ts"], cli)).to.equal("test");
    expect(hardhatCliTaskName(["node", "/x/mocha", "risk:status"], "/x/node_modules/mocha/bin/mocha.js")).to.equal(undefined);
  });

  it("every task in tasks/ runs its action through userTask, and none matches error messages itself", () => {
    const dir = path.join(ROOT, "tasks");
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts"));
    expect(files.length).to.be.greaterThan(10);
    for (const f of files) {
      const src = fs.readFileSync(path.join(dir, f), "utf8");
      expect(src, f).to.match(/\.setAction\(\s*userTask\(TASK_[A-Z_]+, /);
      expect(src, f).to.not.match(/HardhatPluginError|process\.exitCode|\.test\(err(or)?\.message\)/);
    }
  });
});
