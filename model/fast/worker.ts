import { parentPort } from "worker_threads";
import { Accumulator } from "../stats";
import type { CompiledModel } from "./compile";
import { FastKernel } from "./kernel";

/** Worker: runs the blocks it is given and posts one accumulator state per block (merged in order by the parent). */
export interface WorkerJob {
  cm: CompiledModel;
  seedLo: number;
  seedHi: number;
  blocks: { index: number; start: number; count: number }[];
}

if (parentPort) {
  const port = parentPort;
  port.on("message", (job: WorkerJob) => {
    const kernel = new FastKernel(job.cm);
    for (const b of job.blocks) {
      const acc = new Accumulator(job.cm.dims);
      kernel.run(job.seedLo, job.seedHi, b.start, b.count, acc);
      port.postMessage({ index: b.index, state: acc.toState() });
    }
    port.postMessage({ done: true });
  });
}
