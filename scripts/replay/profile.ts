/**
 * Where a replay's time goes (`BENCH_PROFILE=1 npm run bench -- --only replay`): wall and CPU time per phase
 * (deploy, population, guard install, and each `ReplayWorld` method of the runs), and every JSON-RPC request the
 * replay sends to the in-process Hardhat network (EDR) counted and timed by method. Time inside a request is EDR's
 * (EVM execution, block mining, state handling); the rest of a phase is JavaScript (ethers encoding, the engine).
 * Diagnostic only: it wraps functions in place for one process and changes no result.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { ChainWorld } from "./chainWorld";
import type { MarketSetup } from "./marketSetup";

/** The `ReplayWorld` methods timed as phases `world.<method>`. */
const WORLD_METHODS = ["init", "advanceTo", "dexPrice", "dexMoveTo", "dexSetDepth", "setFeeds", "runKeepers", "liquidate", "attackerBorrow", "observe", "pauses", "accounts"];

let current: ReplayProfile | undefined;
let installed = false;

/**
 * Installs the wrappers once per process (the provider's `request`, `ChainWorld`'s methods) and returns a fresh
 * profile that collects from now on (the previous one stops collecting).
 */
export function installReplayProfiler(hre: HardhatRuntimeEnvironment): ReplayProfile {
  current = new ReplayProfile();
  if (installed) return current;
  installed = true;
  // `send` (what hardhat-ethers uses) and `request` go separately to the inner provider: time both.
  const provider = hre.network.provider as unknown as {
    request(args: { method: string; params?: unknown[] }): Promise<unknown>;
    send(method: string, params?: unknown[]): Promise<unknown>;
  };
  const timed = async (method: string, call: () => Promise<unknown>) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    try {
      const out = await call();
      const gas = method === "eth_getTransactionReceipt" ? (out as { gasUsed?: string } | null)?.gasUsed : undefined;
      if (gas && current) current.recordGas(BigInt(gas));
      return out;
    } finally {
      const c = process.cpuUsage(c0);
      current?.recordRpc(method, performance.now() - t0, (c.user + c.system) / 1000);
    }
  };
  const request = provider.request.bind(provider);
  const send = provider.send.bind(provider);
  provider.request = (args) => timed(args.method, () => request(args));
  provider.send = (method, params) => timed(method, () => send(method, params));
  const proto = ChainWorld.prototype as unknown as Record<string, unknown>;
  for (const m of WORLD_METHODS) {
    const fn = proto[m] as (...a: unknown[]) => Promise<unknown>;
    proto[m] = function (this: unknown, ...args: unknown[]) {
      return current ? current.phase(`world.${m}`, () => fn.apply(this, args)) : fn.apply(this, args);
    };
  }
  return current;
}

interface Bucket {
  calls: number;
  wallMs: number;
  cpuMs: number;
}

/** Accumulated timings of one profiled replay. */
export class ReplayProfile {
  readonly phases = new Map<string, Bucket>();
  readonly rpc = new Map<string, Bucket>();
  /** Set while a phase runs, so RPC time is also attributed to it. */
  private phaseStack: string[] = [];
  readonly rpcByPhase = new Map<string, Bucket>();
  /** Requests per innermost phase and method ("phase | method"). */
  readonly rpcByPhaseMethod = new Map<string, Bucket>();
  /** Gas of every transaction whose receipt was fetched. */
  gasUsed = 0n;
  /** Gas per innermost phase. */
  readonly gasByPhase = new Map<string, bigint>();

  /** Counts the gas of one receipt (called by the provider wrapper). */
  recordGas(gas: bigint): void {
    this.gasUsed += gas;
    const ph = this.phaseStack[this.phaseStack.length - 1] ?? "(no phase)";
    this.gasByPhase.set(ph, (this.gasByPhase.get(ph) ?? 0n) + gas);
  }

  private add(map: Map<string, Bucket>, key: string, wallMs: number, cpuMs: number): void {
    const b = map.get(key) ?? { calls: 0, wallMs: 0, cpuMs: 0 };
    b.calls++;
    b.wallMs += wallMs;
    b.cpuMs += cpuMs;
    map.set(key, b);
  }

  /** Times `fn` as phase `name` (nested phases are counted in their own bucket and in the outer one). */
  async phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    this.phaseStack.push(name);
    try {
      return await fn();
    } finally {
      this.phaseStack.pop();
      const c = process.cpuUsage(c0);
      this.add(this.phases, name, performance.now() - t0, (c.user + c.system) / 1000);
    }
  }

  /** Counts one RPC request (called by the provider wrapper `installReplayProfiler` installs). */
  recordRpc(method: string, wallMs: number, cpuMs: number): void {
    this.add(this.rpc, method, wallMs, cpuMs);
    const ph = this.phaseStack[this.phaseStack.length - 1];
    if (ph) this.add(this.rpcByPhase, ph, wallMs, cpuMs);
    this.add(this.rpcByPhaseMethod, `${ph ?? "(no phase)"} | ${method}`, wallMs, cpuMs);
  }

  /** A setup that times the base setup, the population and the guard install. */
  wrapSetup(base: MarketSetup): MarketSetup {
    return async (req) => {
      const prepared = await this.phase("deploy (market, feeds, DEX)", () => base(req));
      const open = prepared.openPopulation.bind(prepared);
      const install = prepared.installGuard.bind(prepared);
      return {
        ...prepared,
        openPopulation: (r) => this.phase("population", () => open(r)),
        installGuard: (r) => this.phase("guard install", () => install(r)),
      };
    };
  }

  /** Markdown tables: phases (wall, CPU, of which inside EDR requests) and RPC methods. */
  table(): string {
    const fmt = (ms: number) => (ms / 1000).toFixed(2);
    const lines = ["| phase | calls | wall s | CPU s | in RPC s |", "|---|---:|---:|---:|---:|"];
    for (const [name, b] of [...this.phases].sort((a, b) => b[1].wallMs - a[1].wallMs)) {
      lines.push(`| ${name} | ${b.calls} | ${fmt(b.wallMs)} | ${fmt(b.cpuMs)} | ${fmt(this.rpcByPhase.get(name)?.wallMs ?? 0)} |`);
    }
    const sent = this.rpc.get("eth_sendTransaction");
    lines.push(
      "",
      `transactions: ${sent?.calls ?? 0}, ${fmt(sent?.wallMs ?? 0)} s wall in eth_sendTransaction; ${(Number(this.gasUsed) / 1e6).toFixed(1)} Mgas in the ` +
        `${this.rpc.get("eth_getTransactionReceipt")?.calls ?? 0} receipts read (feed, DEX and keeper sends read none on the in-process network)`,
    );
    lines.push("", "| RPC method | requests | wall s | CPU s |", "|---|---:|---:|---:|");
    for (const [name, b] of [...this.rpc].sort((a, b) => b[1].wallMs - a[1].wallMs)) {
      lines.push(`| ${name} | ${b.calls} | ${fmt(b.wallMs)} | ${fmt(b.cpuMs)} |`);
    }
    lines.push("", "| phase | RPC method | requests | wall s | Mgas of the phase |", "|---|---|---:|---:|---:|");
    for (const [key, b] of [...this.rpcByPhaseMethod].sort((a, b) => b[1].wallMs - a[1].wallMs)) {
      const [ph, method] = key.split(" | ");
      const gas = method === "eth_getTransactionReceipt" ? (Number(this.gasByPhase.get(ph) ?? 0n) / 1e6).toFixed(1) : "";
      lines.push(`| ${ph} | ${method} | ${b.calls} | ${fmt(b.wallMs)} | ${gas} |`);
    }
    return lines.join("\n");
  }
}
