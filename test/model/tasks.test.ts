import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import { validateParamsFile } from "../../model/params/schema";
import { TASK_CASCADE_SIMULATE } from "../../tasks/cascade-simulate";
import { TASK_PARAMS_COMPUTE } from "../../tasks/params-compute";

const ROOT = path.join(__dirname, "../..");
const ECO = path.join(ROOT, "scenarios/ecosystems/ethereum-2026.json");
const POLICY = path.join(ROOT, "scenarios/ecosystems/policy-default.json");

/** Runs `fn` with stdout and console.log captured. */
async function capture(fn: () => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const log = console.log;
  const err = console.error;
  (process.stdout as unknown as { write: (s: string) => boolean }).write = (s: string) => (chunks.push(String(s)), true);
  console.log = (...a: unknown[]) => void chunks.push(a.join(" ") + "\n");
  console.error = () => undefined;
  try {
    await fn();
  } finally {
    (process.stdout as unknown as { write: typeof write }).write = write;
    console.log = log;
    console.error = err;
  }
  return chunks.join("");
}

describe("model: tasks", function () {
  this.timeout(300_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "model-tasks-"));

  it(`${TASK_CASCADE_SIMULATE} --json prints only the output document and --out writes the same`, async function () {
    const out = path.join(dir, "sim.json");
    const stdout = await capture(() => hre.run(TASK_CASCADE_SIMULATE, { ecosystem: ECO, paths: 3000, seed: 9, out, json: true, engine: "fast", workers: 0 }));
    const printed = JSON.parse(stdout);
    const written = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(printed.schema).to.equal("cascade-guard/simulation@1");
    expect(printed.seed).to.equal(9);
    delete printed.wallSeconds;
    delete written.wallSeconds;
    expect(printed).to.deep.equal(written);
  });

  it(`${TASK_CASCADE_SIMULATE} prints per-LRT and per-venue tables`, async function () {
    const stdout = await capture(() => hre.run(TASK_CASCADE_SIMULATE, { ecosystem: "generated:small", paths: 2000, seed: 1, json: false, engine: "reference" }));
    expect(stdout).to.match(/P\(any slash\)/);
    expect(stdout).to.match(/lrt0/);
    expect(stdout).to.match(/aave-core/);
  });

  it(`${TASK_CASCADE_SIMULATE} rejects bad input naming the file and field, and writes nothing`, async function () {
    const bad = path.join(dir, "bad-eco.json");
    const raw = JSON.parse(fs.readFileSync(ECO, "utf8"));
    raw.lrts[2].allocations[0].operator = "p2p";
    fs.writeFileSync(bad, JSON.stringify(raw));
    const out = path.join(dir, "never.json");
    let message = "";
    try {
      await hre.run(TASK_CASCADE_SIMULATE, { ecosystem: bad, paths: 10, seed: 1, out, json: true, engine: "fast" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.equal('bad-eco.json: lrts[2].allocations[0].operator: unknown operator "p2p"');
    expect(fs.existsSync(out)).to.equal(false);
    let engineMsg = "";
    try {
      await hre.run(TASK_CASCADE_SIMULATE, { ecosystem: ECO, paths: 10, seed: 1, json: true, engine: "turbo" });
    } catch (e) {
      engineMsg = (e as Error).message;
    }
    expect(engineMsg).to.match(/--engine: expected fast or reference, found "turbo"/);
  });

  it(`${TASK_PARAMS_COMPUTE} writes a schema-valid params file`, async function () {
    const out = path.join(dir, "params.json");
    const stdout = await capture(() => hre.run(TASK_PARAMS_COMPUTE, { ecosystem: ECO, policy: POLICY, out, paths: 2000, json: false }));
    const params = validateParamsFile(JSON.parse(fs.readFileSync(out, "utf8")), "params.json");
    expect(params.provenance.paths).to.equal(2000);
    expect(stdout).to.match(/recommended LTV\/LT\/LB/);
  });
});
