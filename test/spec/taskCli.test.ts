/**
 * The real command line: a user error prints one line (`<task>: <file/field>: <problem>, found <value>`) on stderr,
 * exits 1 and shows no stack trace. Spawns `hardhat` the way a user does.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";

const ROOT = path.join(__dirname, "..", "..");
const HARDHAT = require.resolve("hardhat/internal/cli/bootstrap.js", { paths: [ROOT] });

function hardhat(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" };
  delete env.CI; // Hardhat prints every stack on CI servers; the user's terminal is what is tested here.
  const r = spawnSync(process.execPath, [HARDHAT, ...args], { cwd: ROOT, env, encoding: "utf8", timeout: 300_000 });
  const lines = (s: string) => s.split("\n").map((l) => l.trimEnd()).filter((l) => l.length > 0);
  return { status: r.status, stderr: lines(r.stderr ?? ""), stdout: lines(r.stdout ?? "") };
}

describe("task command line: user errors are one line, exit 1, no stack", function () {
  this.timeout(600_000);

  it("cascade:simulate --engine warp", () => {
    const r = hardhat("cascade:simulate", "--ecosystem", "generated:small", "--paths", "10", "--engine", "warp");
    expect(r.stderr).to.deep.equal(['cascade:simulate: --engine: expected fast or reference, found "warp"']);
    expect(r.stdout).to.deep.equal([]);
    expect(r.status).to.equal(1);
  });

  it("cascade:simulate with a malformed ecosystem file names the file and the field", () => {
    const r = hardhat("cascade:simulate", "--ecosystem", "scenarios/ecosystems/policy-default.json", "--paths", "10");
    expect(r.stderr).to.have.length(1);
    expect(r.stderr[0]).to.match(/^cascade:simulate: policy-default\.json: schema: /);
    expect(r.status).to.equal(1);
  });

  it("scenario:replay --runs nonsense (compiles first, quietly)", () => {
    const r = hardhat("scenario:replay", "--scenario", "synthetic-correlated-slash", "--runs", "nonsense");
    expect(r.stderr).to.deep.equal(['scenario:replay: --runs: expected a comma-separated list of baseline, protected; found "nonsense"']);
    expect(r.status).to.equal(1);
  });

  it("report with a missing input file", () => {
    const r = hardhat("report", "--in", "no-such-input.json", "--out", path.join("cache", "no-report.html"));
    expect(r.stderr).to.deep.equal(["report: no-such-input.json: cannot read file (ENOENT)"]);
    expect(r.status).to.equal(1);
  });
  it("params:push --execute with --safe-batch (scripts/ops/push: a plain Error before)", () => {
    const r = hardhat("params:push", "--params", "p.json", "--execute", "--safe-batch", "batch.json");
    expect(r.stderr).to.deep.equal(["params:push: --execute, --safe-batch: use one or the other, not both (fix: drop --execute to write the batch, or drop --safe-batch to send)"]);
    expect(r.stdout).to.deep.equal([]);
    expect(r.status).to.equal(1);
  });

  it("params:push with an address book that has no Cascade Guard (scripts/ops: a plain Error before)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-book-"));
    const book = path.join(dir, "book.json");
    fs.writeFileSync(book, JSON.stringify({ replica: {} }));
    const r = hardhat("params:push", "--params", "p.json", "--address-book", book);
    expect(r.stderr).to.deep.equal([`params:push: ${book}: cascadeGuard: no Cascade Guard deployment in this address book (fix: run \`npx hardhat cascade:deploy --network <network>\` first, or pass --address-book)`]);
    expect(r.status).to.equal(1);
  });

  it("params:push with a malformed address book (scripts/ops: a plain Error before)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-book-"));
    const book = path.join(dir, "book.json");
    fs.writeFileSync(book, "[1, 2]");
    const r = hardhat("params:push", "--params", "p.json", "--address-book", book);
    expect(r.stderr).to.deep.equal([`params:push: ${book}: expected a JSON object at the top level, found [1,2] (fix: an address book is the object cascade:deploy and replica:deploy write)`]);
    expect(r.status).to.equal(1);
  });

  it("replica:deploy --regime with a bad value (scripts/ops/replicaDeploy.ts: a plain Error before)", () => {
    const r = hardhat("replica:deploy", "--regime", "bogus", "--out", path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cli-replica-")), "book.json"));
    expect(r.stderr).to.deep.equal(['replica:deploy: --regime: expected exchange-rate or market-price, found "bogus" (fix: pass --regime exchange-rate or --regime market-price)']);
    expect(r.status).to.equal(1);
  });

  it("cascade:deploy with a network config for another chain (scripts/ops/deploy.ts: a plain Error before)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-deploy-"));
    const config = path.join(dir, "other-chain.json");
    const doc = JSON.parse(fs.readFileSync(path.join(ROOT, "deployments", "config", "localhost.json"), "utf8"));
    fs.writeFileSync(config, JSON.stringify({ ...doc, chainId: 1 }));
    const r = hardhat("cascade:deploy", "--network-config", config, "--address-book", path.join(dir, "book.json"));
    expect(r.stderr).to.deep.equal([`cascade:deploy: ${config}: chainId: expected 31337 (connected network hardhat), found 1 (fix: use the network config of the network you connect to, or pass --network)`]);
    expect(r.status).to.equal(1);
  });
});

