/**
 * Where the gas of the snapshot's hot transactions goes (`npm run bench -- --only gasBreakdown`): the reserve-LTV-cut
 * poke on Aave v3.0.2 without and with a backing feed, the same with an eMode write, the v3.6 poke that cuts the
 * reserve and its own eMode category, the keeper's pair doing the same in two transactions of one block (the
 * oracle's poke, then the module's), and a guard's first trip. Each transaction is replayed with
 * `debug_traceTransaction` (struct logger) and split into its calls (gas inclusive of each call's cold-account cost)
 * and, per contract, its own storage reads, storage writes, events and other opcodes. A last table splits each
 * transaction into intrinsic gas, Aave's code, the outside world's (feeds, the LRT's rate) and ours, and gives the
 * budget left to our code under the 150k target: where that budget is below what our code costs, the target is out
 * of reach by that much. The figures back the Gas section of docs/contracts.md.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { TextTable } from "../spec/table";

interface StructLog {
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  stack?: string[];
}

interface ContractGas {
  sloadGas: number;
  sstoreGas: number;
  logGas: number;
  otherGas: number;
}

/** Whose code a named contract is: ours, Aave's, or the outside world's (feeds, the LRT's rate source). */
export type Owner = "ours" | "aave" | "outside";

/** The whole-transaction target of issue 11 item 7 (21k intrinsic included). */
export const TX_GAS_TARGET = 150_000;

/** The contracts of the bench's fixtures by name (the fixtures' field names). */
export const OWNERS: Record<string, Owner> = {
  module: "ours",
  oracle: "ours",
  adapter: "ours",
  guard: "ours",
  pool: "aave",
  poolConfigurator: "aave",
  addressesProvider: "aave",
  aclManager: "aave",
  marketFeed: "outside",
  backingFeed: "outside",
  weEth: "outside",
};

/** Intrinsic gas of a transaction (Cancun): 21,000 + 4 per zero and 16 per non-zero calldata byte. */
export function intrinsicGas(request: { data: string }): number {
  const hex = request.data.startsWith("0x") ? request.data.slice(2) : request.data;
  let gas = 21_000;
  for (let i = 0; i < hex.length; i += 2) gas += hex.slice(i, i + 2) === "00" ? 4 : 16;
  return gas;
}

const CALL_OPS = new Set(["CALL", "STATICCALL", "DELEGATECALL"]);

/** Splits one traced transaction into its depth-1 and depth-2 calls and per-contract own costs. */
export function breakdown(request: { logs: StructLog[]; to: string; names: Record<string, string> }): {
  calls: { depth: number; op: string; target: string; gas: number }[];
  perContract: Record<string, ContractGas>;
  /** Gas of the calls our code makes into Aave's and the outside world's code (inclusive; nested calls once). */
  byOwner: { aave: number; outside: number };
} {
  const { logs, names } = request;
  const name = (a: string) => names[a.toLowerCase()] ?? a;
  const frameAt: string[] = [request.to.toLowerCase()];
  const calls: { depth: number; op: string; target: string; gas: number }[] = [];
  const perContract: Record<string, ContractGas> = {};
  const byOwner = { aave: 0, outside: 0 };
  for (let i = 0; i < logs.length; i++) {
    const l = logs[i];
    const self = frameAt[l.depth - 1];
    const c = (perContract[name(self)] ??= { sloadGas: 0, sstoreGas: 0, logGas: 0, otherGas: 0 });
    if (CALL_OPS.has(l.op)) {
      const stack = l.stack ?? [];
      const target = ("0x" + stack[stack.length - 2].slice(-40)).toLowerCase();
      let j = i + 1;
      while (j < logs.length && logs[j].depth > l.depth) j++;
      const used = l.gas - (j < logs.length ? logs[j].gas : 0);
      if (logs[i + 1]?.depth === l.depth + 1) frameAt[l.depth] = l.op === "DELEGATECALL" ? self : target;
      const calleeOwner = l.op === "DELEGATECALL" ? undefined : OWNERS[name(target)];
      if ((OWNERS[name(self)] ?? "ours") === "ours" && calleeOwner !== undefined && calleeOwner !== "ours") {
        byOwner[calleeOwner] += used;
      }
      if (l.depth <= 2) calls.push({ depth: l.depth, op: l.op, target: l.op === "DELEGATECALL" ? `${name(self)} implementation` : name(target), gas: used });
      continue;
    }
    if (l.op === "SLOAD") c.sloadGas += l.gasCost;
    else if (l.op === "SSTORE") c.sstoreGas += l.gasCost;
    else if (l.op.startsWith("LOG")) c.logGas += l.gasCost;
    else c.otherGas += l.gasCost;
  }
  return { calls, perContract, byOwner };
}

/** One row of the floor table: what is not ours, what is ours, and our budget under the target. */
export interface GasSplit {
  label: string;
  gasUsed: number;
  intrinsic: number;
  aave: number;
  outside: number;
  ours: number;
  /** TX_GAS_TARGET - intrinsic - aave - outside: what our code may cost for the transaction to meet the target. */
  oursBudget: number;
  /** Our contracts' own storage reads, writes and events in this transaction (no computation, no call overhead). */
  oursStorageAndEvents: number;
}

const splits: GasSplit[] = [];

async function traceAndPrint(
  hre: HardhatRuntimeEnvironment,
  request: {
    label: string;
    tx: { hash: string; data: string; wait(): Promise<{ gasUsed: bigint; to: string | null } | null> };
    names: Record<string, string>;
  },
): Promise<void> {
  const receipt = (await request.tx.wait())!;
  const trace = (await hre.network.provider.send("debug_traceTransaction", [
    request.tx.hash,
    { disableMemory: true, disableStorage: true },
  ])) as { structLogs: StructLog[] };
  const { calls, perContract, byOwner } = breakdown({ logs: trace.structLogs, to: receipt.to!, names: request.names });
  const gasUsed = Number(receipt.gasUsed);
  const intrinsic = intrinsicGas({ data: request.tx.data });
  splits.push({
    label: request.label,
    gasUsed,
    intrinsic,
    aave: byOwner.aave,
    outside: byOwner.outside,
    ours: gasUsed - intrinsic - byOwner.aave - byOwner.outside,
    oursBudget: TX_GAS_TARGET - intrinsic - byOwner.aave - byOwner.outside,
    oursStorageAndEvents: Object.entries(perContract)
      .filter(([k]) => OWNERS[k] === "ours")
      .reduce((sum, [, c]) => sum + c.sloadGas + c.sstoreGas + c.logGas, 0),
  });
  console.log(`\n${request.label}: gasUsed ${receipt.gasUsed.toLocaleString("en-US")}`);
  const t1 = new TextTable({ head: ["call (inclusive)", "gas"], align: ["left", "right"] });
  for (const c of calls) t1.push([`${"  ".repeat(c.depth - 1)}${c.op} ${c.target}`, c.gas.toLocaleString("en-US")]);
  console.log(t1.toString());
  const t2 = new TextTable({
    head: ["contract (own opcodes)", "storage reads", "storage writes", "events", "other"],
    align: ["left", "right", "right", "right", "right"],
  });
  for (const [k, v] of Object.entries(perContract)) {
    t2.push([k, v.sloadGas, v.sstoreGas, v.logGas, v.otherGas].map((x) => x.toLocaleString("en-US")));
  }
  console.log(t2.toString());
}

export default async function run(hre: HardhatRuntimeEnvironment, _opts: { quick: boolean }): Promise<void> {
  if (hre.network.name !== "hardhat") throw new Error(`bench/gasBreakdown: run on the in-process hardhat network, not ${hre.network.name}`);
  await hre.run("compile", { quiet: true });
  const { ethers } = hre;
  const { time } = await import("@nomicfoundation/hardhat-network-helpers");
  const fx = await import("../test/contracts/fixtures");
  const namesOf = async (parts: Record<string, unknown>): Promise<Record<string, string>> => {
    const names: Record<string, string> = {};
    for (const [k, v] of Object.entries(parts)) {
      const c = v as { getAddress?: () => Promise<string> } | null;
      if (c && typeof c === "object" && typeof c.getAddress === "function") names[(await c.getAddress()).toLowerCase()] = k;
    }
    return names;
  };
  /** Names of a fixture's contracts and of its Aave deployment's, for the trace tables. */
  const fixtureNames = async (f: { aave: unknown }): Promise<Record<string, string>> => ({
    ...(await namesOf(f as unknown as Record<string, unknown>)),
    ...(await namesOf(f.aave as Record<string, unknown>)),
  });

  // Reserve LTV cut on Aave v3.0.2, no backing feed (the snapshot's "reserve LTV cut").
  {
    const f = await fx.deployHaircutFixture();
    const names = await fixtureNames(f);
    await f.oracle.configureAsset(f.weethAddr, { ...f.config, backingFeed: ethers.ZeroAddress, backingHeartbeatSeconds: 0 });
    await f.module.configureAsset(f.weethAddr, fx.reserveOnlyHaircutConfig());
    await f.module.poke(f.weethAddr);
    await time.increase(fx.HOUR);
    await f.refreshFeeds();
    await f.setDiscount(450);
    await time.increase(60);
    await traceAndPrint(hre, { label: "WideningHaircutModule.poke, reserve LTV cut (v3.0.2, no backing feed)", tx: await f.module.poke(f.weethAddr), names });
  }
  // With the proof-of-backing feed, the snapshot's steps: the reserve + eMode LTV cut first, then reserve-only
  // management, back to par and a new cut (the snapshot's "reserve LTV cut, with backing feed").
  {
    const f = await fx.deployHaircutFixture();
    const names = await fixtureNames(f);
    await f.module.configureAsset(f.weethAddr, fx.defaultHaircutConfig());
    await f.module.poke(f.weethAddr);
    await time.increase(fx.HOUR);
    await f.refreshFeeds();
    await f.setDiscount(400);
    await traceAndPrint(hre, { label: "WideningHaircutModule.poke, reserve + eMode LTV cut (v3.0.2, backing feed)", tx: await f.module.poke(f.weethAddr), names });
    await f.module.configureAsset(f.weethAddr, fx.reserveOnlyHaircutConfig());
    await f.setDiscount(0);
    await time.increase(fx.HOUR);
    await f.refreshFeeds();
    await f.module.poke(f.weethAddr);
    await f.setDiscount(450);
    await time.increase(60);
    await traceAndPrint(hre, { label: "WideningHaircutModule.poke, reserve LTV cut (v3.0.2, backing feed)", tx: await f.module.poke(f.weethAddr), names });
  }
  /** Aave v3.6 with the module on ezETH's own category, one minute into a 4% discount: a cut is due. */
  const v36CutDue = async () => {
    const fx36 = await import("../test/contracts/fixturesV36");
    const f = await fx36.deployHaircutV36Fixture();
    await f.module.poke(f.ezethAddr);
    await time.increase(fx.HOUR);
    await f.refreshFeeds();
    await f.setDiscount(400);
    await time.increase(60);
    return { f, names: await fixtureNames(f) };
  };
  // Reserve + own eMode category LTV cut on Aave v3.6 (backing feed).
  {
    const { f, names } = await v36CutDue();
    await traceAndPrint(hre, { label: "WideningHaircutModule.poke, reserve + own eMode LTV cut (v3.6, backing feed)", tx: await f.module.poke(f.ezethAddr), names });
  }
  // The keeper's pair on Aave v3.6: the oracle's poke, then the module's in the same block (the module reads the
  // block's observation: no feeds, no oracle config or write). Same steps as the single transaction above.
  {
    const { f, names } = await v36CutDue();
    await hre.network.provider.send("evm_setAutomine", [false]);
    const first = await f.oracle.poke(f.ezethAddr);
    const second = await f.module.poke(f.ezethAddr);
    await hre.network.provider.send("evm_mine", []);
    await hre.network.provider.send("evm_setAutomine", [true]);
    await traceAndPrint(hre, { label: "keeper's pair, 1/2: CollateralRiskOracle.poke (v3.6, backing feed)", tx: first, names });
    await traceAndPrint(hre, { label: "keeper's pair, 2/2: WideningHaircutModule.poke, same block, reserve + own eMode LTV cut (v3.6)", tx: second, names });
  }
  // The guard's first trip (fresh guard).
  {
    const f = await fx.deployGuardFixture();
    const names = await namesOf(f as unknown as Record<string, unknown>);
    await f.oracle.poke(f.asset);
    await time.increase(fx.DAY);
    await f.refreshFeeds();
    await f.setDiscount(400);
    await time.increase(60);
    await traceAndPrint(hre, { label: "LiquidationPauseGuard.trip (first trip of the asset)", tx: await f.guard.trip(f.asset), names });
  }
  printFloor();
}

/** The floor table: per transaction, the parts that are not ours and the budget they leave our code under 150k. */
function printFloor(): void {
  const fmt = (n: number) => n.toLocaleString("en-US");
  const t = new TextTable({
    head: ["transaction", "gasUsed", "intrinsic", "Aave", "outside world", "ours", "ours: storage + events", "ours' budget (150k)", "verdict"],
    align: ["left", "right", "right", "right", "right", "right", "right", "right", "left"],
  });
  for (const r of splits) {
    const verdict =
      r.gasUsed <= TX_GAS_TARGET
        ? "met"
        : r.oursBudget < r.oursStorageAndEvents
          ? "out of reach: budget below our storage + events alone"
          : `missed: ours ${fmt(r.ours)} > budget ${fmt(r.oursBudget)} (-${(100 * (1 - r.oursBudget / r.ours)).toFixed(0)}% of ours needed)`;
    t.push([
      r.label,
      fmt(r.gasUsed),
      fmt(r.intrinsic),
      fmt(r.aave),
      fmt(r.outside),
      fmt(r.ours),
      fmt(r.oursStorageAndEvents),
      fmt(r.oursBudget),
      verdict,
    ]);
  }
  console.log(`\nFloor (whole transaction vs the ${fmt(TX_GAS_TARGET)} target; Aave and outside world: gas of our calls into them, cold access included)`);
  console.log(t.toString());
  splits.length = 0;
}
