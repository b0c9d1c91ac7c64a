import { execFileSync } from "child_process";
import path from "path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

/**
 * Model benchmark: paths/s and peak RSS of the fast engine (worker threads) and of the reference engine on the
 * seeded small / medium / large ecosystems (large: 20 LRTs, 500 operators, 100 AVSs, 100k positions).
 * Each measurement runs in its own process (model/bench-child.ts) so peak RSS is that run's own.
 * Targets: 1,000,000 paths on large in <= 60 s wall on 2 cores, peak RSS <= 2 GiB, fast >= 20x reference.
 */
interface Measure {
  size: string;
  engine: string;
  paths: number;
  wallSeconds: number;
  pathsPerSecond: number;
  cpuSeconds: number;
  pathsPerCpuSecond: number;
  maxRssMiB: number;
  lrts: number;
  operators: number;
  avss: number;
  positions: number;
}

function measure(root: string, size: string, engine: string, paths: number, workers?: number): Measure {
  const args = ["-r", "ts-node/register/transpile-only", path.join(root, "model", "bench-child.ts"), size, engine, String(paths)];
  if (workers !== undefined) args.push(String(workers));
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: "utf8", env: { ...process.env, TS_NODE_PROJECT: path.join(root, "tsconfig.json") }, maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split("\n").pop()!) as Measure;
}

export default async function run(hre: HardhatRuntimeEnvironment, { quick }: { quick: boolean }): Promise<void> {
  const root = hre.config.paths.root;
  const os = await import("os");
  const cores = os.cpus().length;
  const plan: [string, string, number][] = quick
    ? [
        ["small", "fast", 100_000],
        ["small", "reference", 5_000],
        ["medium", "fast", 50_000],
        ["medium", "reference", 300],
        ["large", "fast", 100_000],
        ["large", "reference", 50],
      ]
    : [
        ["small", "fast", 1_000_000],
        ["small", "reference", 20_000],
        ["medium", "fast", 1_000_000],
        ["medium", "reference", 1_000],
        ["large", "fast", 1_000_000],
        ["large", "reference", 200],
      ];
  const results: Measure[] = [];
  console.log(`model bench: ${cores} CPU(s), load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")} (other work on the machine slows these figures)`);
  for (const [size, engine, paths] of plan) {
    const m = measure(root, size, engine, paths, engine === "fast" ? cores : undefined);
    results.push(m);
    console.log(
      `${size.padEnd(6)} ${engine.padEnd(9)} ${String(m.paths).padStart(9)} paths  ${m.wallSeconds.toFixed(2).padStart(8)} s  ${Math.round(m.pathsPerSecond).toLocaleString("en-US").padStart(10)} paths/s  (${Math.round(m.pathsPerCpuSecond).toLocaleString("en-US")} paths per CPU-s)  peak RSS ${m.maxRssMiB.toFixed(0)} MiB  (${m.lrts} LRTs, ${m.operators} operators, ${m.avss} AVSs, ${m.positions.toLocaleString("en-US")} positions)`,
    );
  }
  for (const size of ["small", "medium", "large"]) {
    const f = results.find((r) => r.size === size && r.engine === "fast")!;
    const r = results.find((x) => x.size === size && x.engine === "reference")!;
    console.log(`${size}: fast / reference = ${(f.pathsPerSecond / r.pathsPerSecond).toFixed(0)}x`);
  }
  const large = results.find((r) => r.size === "large" && r.engine === "fast")!;
  const largeRef = results.find((r) => r.size === "large" && r.engine === "reference")!;
  const wall1M = (1_000_000 / large.pathsPerSecond);
  const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
  console.log(`target 1M paths on large <= 60 s: ${verdict(wall1M <= 60)} (${quick ? "extrapolated " : ""}${wall1M.toFixed(1)} s wall)`);
  // Load-independent view: CPU time per path on 2 otherwise idle cores (includes worker start-up and merging).
  const cpu1M = (1_000_000 / large.pathsPerCpuSecond) / Math.min(cores, 2);
  console.log(`  on ${Math.min(cores, 2)} idle cores from CPU time: ~${cpu1M.toFixed(1)} s (${Math.round(large.pathsPerCpuSecond).toLocaleString("en-US")} paths per CPU-second)`);
  console.log(`target peak RSS <= 2 GiB:        ${verdict(large.maxRssMiB <= 2048)} (${large.maxRssMiB.toFixed(0)} MiB)`);
  console.log(`target fast >= 20x reference:    ${verdict(large.pathsPerSecond >= 20 * largeRef.pathsPerSecond)} (${(large.pathsPerSecond / largeRef.pathsPerSecond).toFixed(0)}x on large)`);
}
