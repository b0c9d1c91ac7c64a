import os from "os";
import path from "path";
import { Worker } from "worker_threads";
import type { Ecosystem } from "./ecosystem/schema";
import { compileModel, CompiledModel } from "./fast/compile";
import { FastKernel } from "./fast/kernel";
import type { WorkerJob } from "./fast/worker";
import { hashCanonical } from "./hash";
import { buildOutput, SimulationOutput } from "./output";
import { prepareReference, simulatePathReference, PathResult, ReferenceModel } from "./reference";
import { seedWords } from "./rng";
import { UserError } from "../spec/errors";
import { Accumulator, AccumulatorState, PathFlat } from "./stats";

/** Paths per block. Blocks are the unit of work and of merging; fixed so results never depend on worker count. */
export const BLOCK_PATHS = 8192;

/** Below this many paths the default is to run in-process. */
export const DEFAULT_WORKER_MIN_PATHS = 100_000;

export type EngineName = "fast" | "reference";

export interface SimulateRequest {
  ecosystem: Ecosystem;
  paths: number;
  seed: number;
  /** default "fast" */
  engine?: EngineName;
  /** fast engine only: worker threads (default: CPU count from 100,000 paths, else in-process; 0 = in-process) */
  workers?: number;
  onProgress?: (donePaths: number, totalPaths: number) => void;
}

function checkRequest(req: SimulateRequest): void {
  if (!Number.isSafeInteger(req.paths) || req.paths <= 0) throw new UserError({ field: "paths", problem: "expected a positive integer", value: req.paths });
  seedWords(req.seed);
}

function blocksOf(paths: number): { index: number; start: number; count: number }[] {
  const out = [];
  for (let s = 0, i = 0; s < paths; s += BLOCK_PATHS, i++) out.push({ index: i, start: s, count: Math.min(BLOCK_PATHS, paths - s) });
  return out;
}

/** Converts a reference path result to the flat record both engines feed the accumulator with. */
export function referenceToFlat(r: PathResult, flat: PathFlat): PathFlat {
  r.lrts.forEach((l, i) => {
    flat.lrtNavLoss[i] = l.navLossFrac;
    flat.lrtPrice[i] = l.marketPriceFrac;
    flat.lrtDepeg[i] = l.depegFrac;
    flat.lrtSold[i] = l.soldEth;
    flat.lrtIterations[i] = l.iterations;
    flat.lrtConverged[i] = l.converged ? 1 : 0;
    flat.backingShocked[i] = r.events.backingShocked[i] ? 1 : 0;
    flat.forgedMinted[i] = r.events.forgedMinted[i] ? 1 : 0;
  });
  r.markets.forEach((m, i) => {
    flat.mktRepaid[i] = m.repaidDebtEth;
    flat.mktSeized[i] = m.seizedCollateralEth;
    flat.mktBadDebt[i] = m.badDebtEth;
  });
  r.events.faultedAvs.forEach((v, i) => (flat.avsFaulted[i] = v ? 1 : 0));
  r.events.firedShocks.forEach((v, i) => (flat.shockFired[i] = v ? 1 : 0));
  r.events.compromisedOperators.forEach((v, i) => (flat.opCompromised[i] = v ? 1 : 0));
  r.events.liquidityShocksFired.forEach((v, i) => (flat.liqShockFired[i] = v ? 1 : 0));
  r.events.faultedOperators.forEach((v, i) => (flat.opFaulted[i] = v ? 1 : 0));
  return flat;
}

/** Runs the reference engine over paths [start, start+count) into `acc`. */
export function runReferenceBlock(model: ReferenceModel, cm: CompiledModel, seed: number, start: number, count: number, acc: Accumulator): void {
  const flat = new PathFlat(cm.dims);
  for (let i = start; i < start + count; i++) acc.add(referenceToFlat(simulatePathReference(model, seed, i), flat));
}

/** Runs the simulation and returns the merged accumulator (blocks merged in path order). */
export async function simulateAccumulator(req: SimulateRequest, cm = compileModel(req.ecosystem)): Promise<Accumulator> {
  checkRequest(req);
  const blocks = blocksOf(req.paths);
  const total = new Accumulator(cm.dims);
  const engine = req.engine ?? "fast";
  const [lo, hi] = seedWords(req.seed);
  if (engine === "reference") {
    const model = prepareReference(req.ecosystem);
    let done = 0;
    for (const b of blocks) {
      const acc = new Accumulator(cm.dims);
      runReferenceBlock(model, cm, req.seed, b.start, b.count, acc);
      total.merge(acc.toState());
      done += b.count;
      req.onProgress?.(done, req.paths);
    }
    return total;
  }
  // Starting a worker costs ~1 s (it loads TypeScript): small runs stay in-process unless asked otherwise.
  const workers = Math.min(req.workers ?? (req.paths >= DEFAULT_WORKER_MIN_PATHS ? os.cpus().length : 0), blocks.length);
  if (workers <= 1) {
    const kernel = new FastKernel(cm);
    let done = 0;
    for (const b of blocks) {
      const acc = new Accumulator(cm.dims);
      kernel.run(lo, hi, b.start, b.count, acc);
      total.merge(acc.toState());
      done += b.count;
      req.onProgress?.(done, req.paths);
    }
    return total;
  }
  // Worker threads: block i goes to worker i mod W; states are merged strictly in block order as they arrive.
  const pending = new Map<number, AccumulatorState>();
  let next = 0;
  let done = 0;
  const entry = path.join(__dirname, "fast", "worker-entry.js");
  const started: Worker[] = [];
  const run = Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const job: WorkerJob = { cm, seedLo: lo, seedHi: hi, blocks: blocks.filter((b) => b.index % workers === w) };
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(entry);
        started.push(worker);
        worker.on("message", (msg: { index?: number; state?: AccumulatorState; done?: boolean }) => {
          if (msg.done) {
            void worker.terminate();
            resolve();
            return;
          }
          pending.set(msg.index!, msg.state!);
          done += msg.state!.paths;
          while (pending.has(next)) {
            total.merge(pending.get(next)!);
            pending.delete(next);
            next++;
          }
          req.onProgress?.(done, req.paths);
        });
        worker.on("error", reject);
        worker.on("exit", (code) => (code !== 0 && code !== 1 ? reject(new Error(`model worker exited with code ${code}`)) : undefined));
        worker.postMessage(job);
      });
    }),
  );
  try {
    await run;
  } catch (e) {
    // One worker failed: stop the others so the process does not hang on them.
    await Promise.all(started.map((w) => w.terminate()));
    throw e;
  }
  if (next !== blocks.length) throw new Error(`model workers returned ${next} of ${blocks.length} blocks`);
  return total;
}

/**
 * Runs a Monte Carlo cascade simulation on `ecosystem` and returns the output document (`cascade-guard/simulation@1`)
 * with seed, model version and input hash.
 */
export async function simulateCascade(req: SimulateRequest): Promise<SimulationOutput> {
  const cm = compileModel(req.ecosystem);
  const started = Date.now();
  const acc = await simulateAccumulator(req, cm);
  const wallSeconds = (Date.now() - started) / 1000;
  return buildOutput({
    ecosystem: req.ecosystem,
    acc,
    seed: req.seed,
    engine: req.engine ?? "fast",
    inputHash: hashCanonical(req.ecosystem),
    wallSeconds,
  });
}
