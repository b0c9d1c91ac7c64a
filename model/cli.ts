import fs from "fs";
import path from "path";
import { generateEcosystem, PRESETS } from "./ecosystem/generate";
import { Ecosystem, loadEcosystem } from "./ecosystem/schema";
import type { SimulationOutput } from "./output";
import { computeParams } from "./params/engine";
import { loadPolicy } from "./params/policy";
import type { ParamsFile } from "./params/schema";
import { EngineName, simulateCascade } from "./simulate";
import { TextTable } from "../spec/table";

/**
 * Implementations behind the Hardhat tasks `cascade:simulate` and `params:compute` (the task files stay thin).
 * Progress goes to stderr so `--json` leaves stdout to the JSON document alone.
 */

/** `generated:<small|medium|large>[:seed]` builds a synthetic ecosystem; anything else is a file path. */
export function resolveEcosystem(spec: string): { ecosystem: Ecosystem; label: string } {
  const m = /^generated:(small|medium|large)(?::(\d+))?$/.exec(spec);
  if (m) {
    const preset = m[1] as keyof typeof PRESETS;
    const seed = m[2] ? Number(m[2]) : 1;
    return { ecosystem: generateEcosystem({ seed, ...PRESETS[preset] }), label: spec };
  }
  return { ecosystem: loadEcosystem(path.resolve(spec)), label: path.basename(spec) };
}

async function progressBar(enabled: boolean, total: number, label: string) {
  if (!enabled || !process.stderr.isTTY) return { update: (_n: number) => undefined, stop: () => undefined };
  const { SingleBar, Presets } = await import("cli-progress");
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} paths | {eta}s`, stream: process.stderr }, Presets.shades_classic);
  bar.start(total, 0);
  return { update: (n: number) => bar.update(n), stop: () => bar.stop() };
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 1) + "\n");
}

export interface SimulateCliArgs {
  ecosystem: string;
  paths: number;
  seed: number;
  out?: string;
  json: boolean;
  engine: EngineName;
  workers?: number;
}

export async function runSimulateCli(a: SimulateCliArgs): Promise<SimulationOutput> {
  const { ecosystem } = resolveEcosystem(a.ecosystem);
  const bar = await progressBar(!a.json && a.paths >= 50_000, a.paths, "cascade:simulate");
  let out: SimulationOutput;
  try {
    out = await simulateCascade({ ecosystem, paths: a.paths, seed: a.seed, engine: a.engine, workers: a.workers, onProgress: (d) => bar.update(d) });
  } finally {
    bar.stop();
  }
  if (a.out) writeJson(a.out, out);
  if (a.json) {
    process.stdout.write(JSON.stringify(out) + "\n");
    return out;
  }
  const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toLocaleString("en-US", { maximumFractionDigits: d }) : String(x));
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  console.log(`${out.ecosystem.name}: ${out.paths.toLocaleString()} paths, seed ${out.seed}, ${out.engine} engine, ${out.modelVersion}, input ${out.inputHash.slice(0, 19)}…, ${fmt(out.wallSeconds ?? 0, 2)} s`);
  console.log(`P(any slash) ${pct(out.events.pAnySlash)}; paths not converged ${out.convergence.pathsNotConverged}`);
  const t = new TextTable({ head: ["LRT", "mean NAV loss", "p99 NAV loss", "p99 depeg", "P(bad debt)", "VaR99 bad debt ETH", "ES99 bad debt ETH", "mean liquidated ETH"] });
  for (const l of out.byLrt)
    t.push([l.id, pct(l.navLossFrac.mean), `<= ${pct(l.navLossFrac.p99)}`, `<= ${pct(l.depegFrac.p99)}`, pct(l.badDebtEth.pPositive), fmt(l.badDebtEth.var99), fmt(l.badDebtEth.es99), fmt(l.liquidatedEth.mean)]);
  const tb = out.total.badDebtEth;
  t.push(["total", "", "", "", pct(tb.pPositive), fmt(tb.var99), fmt(tb.es99), fmt(out.total.liquidatedEth.mean)]);
  console.log(t.toString());
  const v = new TextTable({ head: ["venue", "oracle", "P(bad debt)", "VaR95", "VaR99", "ES99", "mean liquidated ETH"] });
  for (const x of out.byVenue) v.push([x.id, x.oracleRegime, pct(x.badDebtEth.pPositive), fmt(x.badDebtEth.var95), fmt(x.badDebtEth.var99), fmt(x.badDebtEth.es99), fmt(x.liquidatedEth.mean)]);
  console.log(v.toString());
  if (a.out) console.log(`wrote ${a.out}`);
  return out;
}

export interface ParamsCliArgs {
  ecosystem: string;
  policy: string;
  out: string;
  json: boolean;
  paths?: number;
  seed?: number;
}

export async function runParamsCli(a: ParamsCliArgs): Promise<ParamsFile> {
  const { ecosystem, label } = resolveEcosystem(a.ecosystem);
  const policy = loadPolicy(path.resolve(a.policy));
  if (a.paths !== undefined) policy.paths = a.paths;
  if (a.seed !== undefined) policy.seed = a.seed;
  const params = computeParams({ ecosystem, policy, ecosystemLabel: label, onProgress: a.json ? undefined : (m) => console.error(m) });
  writeJson(a.out, params);
  if (a.json) {
    process.stdout.write(JSON.stringify(params) + "\n");
    return params;
  }
  const t = new TextTable({ head: ["market", "current LTV/LT/LB", "recommended LTV/LT/LB", "P(bad>K) now", "P(bad>K) rec.", "policy"] });
  for (const asset of params.assets)
    for (const m of asset.markets)
      t.push([
        `${m.venue}/${asset.lrt}/${m.mode}`,
        `${m.current.ltvBps}/${m.current.liquidationThresholdBps}/${m.current.liquidationBonusBps}`,
        `${m.recommended.ltvBps}/${m.recommended.liquidationThresholdBps}/${m.recommended.liquidationBonusBps}`,
        m.pExceedCurrent.toFixed(4),
        m.pExceedRecommended.toFixed(4),
        m.policyHolds ? "holds" : "FAILS",
      ]);
  console.log(t.toString());
  const k = new TextTable({ head: ["asset", "trip", "stress", "knots discount->haircut (bps)"] });
  for (const asset of params.assets) {
    const p = asset.modelParams;
    k.push([
      asset.lrt,
      p.tripDiscountBps,
      p.stressDiscountBps,
      `${p.knot0DiscountBps}->${p.knot0HaircutBps}, ${p.knot1DiscountBps}->${p.knot1HaircutBps}, ${p.knot2DiscountBps}->${p.knot2HaircutBps}, ${p.knot3DiscountBps}->${p.knot3HaircutBps}`,
    ]);
  }
  console.log(k.toString());
  console.log(`wrote ${a.out} (policy "${policy.name}", ${policy.paths} paths, seed ${policy.seed})`);
  return params;
}
