/**
 * Benchmark child process (used by bench/model.ts): runs one (ecosystem size, engine, paths) measurement in a fresh
 * process so peak RSS belongs to that run alone. Prints one JSON line.
 * Usage: node -r ts-node/register/transpile-only model/bench-child.ts <small|medium|large> <fast|reference> <paths> [workers]
 */
import { generateEcosystem, PRESETS } from "./ecosystem/generate";
import { simulateAccumulator } from "./simulate";

async function main() {
  const [size, engine, pathsArg, workersArg] = process.argv.slice(2);
  if (!(size in PRESETS)) throw new Error(`size: expected small, medium or large, found ${size}`);
  const eco = generateEcosystem({ seed: 1, ...PRESETS[size as keyof typeof PRESETS] });
  const paths = Number(pathsArg);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const acc = await simulateAccumulator({
    ecosystem: eco,
    paths,
    seed: 42,
    engine: engine as "fast" | "reference",
    workers: workersArg === undefined ? undefined : Number(workersArg),
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  // CPU time of all threads of this process (main + workers) during the run: a load-independent figure.
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const positions = eco.venues.reduce((a, v) => a + v.markets.reduce((b, m) => b + (m.positions.kind === "bands" ? m.positions.bands.reduce((c, x) => c + x.count, 0) : m.positions.list.length), 0), 0);
  process.stdout.write(
    JSON.stringify({
      size,
      engine,
      paths,
      wallSeconds: wall,
      pathsPerSecond: paths / wall,
      cpuSeconds,
      pathsPerCpuSecond: paths / cpuSeconds,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      lrts: eco.lrts.length,
      operators: eco.operators.length,
      avss: eco.avss.length,
      positions,
      pathsWithBadDebt: acc.totalBad.length,
    }) + "\n",
  );
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
