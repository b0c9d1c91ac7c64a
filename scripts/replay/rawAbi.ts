/**
 * The few ABI shapes the replay's hot path sends and reads every step, encoded and decoded by hand on hex strings:
 * `ReadBatcher.tryAll(address[], bytes[])` and its `(bool success, bytes returnData)[]` result, and return data made
 * only of static words (uint, int, bool, address and tuples of them). ethers' general AbiCoder builds a `Result` proxy
 * per value and checksums every address (a keccak each); a replay reads hundreds of thousands of values, which cost
 * it seconds (measured with `node --cpu-prof`: ~3 s of a 24-hour bench's 35 s CPU). Anything else goes to ethers.
 * Checked against ethers' AbiCoder in test/replica/raw-abi.test.ts.
 */
import { id, type FunctionFragment, type ParamType } from "ethers";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HEX = /^0x([0-9a-fA-F]{2})*$/;

/** A non-negative integer as one 32-byte word, 64 hex digits without `0x`. */
function word(n: number): string {
  return n.toString(16).padStart(64, "0");
}

/** `bytes` content (hex without `0x`) right-padded to whole words. */
function padRight(hex: string): string {
  const rem = hex.length % 64;
  return rem === 0 ? hex : hex + "0".repeat(64 - rem);
}

export const TRY_ALL_SELECTOR = id("tryAll(address[],bytes[])").slice(0, 10);

/** Calldata of `tryAll(targets, data)`: same bytes as ethers' `encodeFunctionData`. */
export function encodeTryAll(targets: readonly string[], data: readonly string[]): string {
  if (targets.length !== data.length) throw new Error(`encodeTryAll: ${targets.length} targets but ${data.length} calldata`);
  const n = targets.length;
  const parts: string[] = [TRY_ALL_SELECTOR.slice(2), word(0x40), word(0x40 + 32 * (n + 1))];
  parts.push(word(n));
  for (const t of targets) {
    if (!ADDRESS.test(t)) throw new Error(`encodeTryAll: target "${t}" is not a 20-byte hex address`);
    parts.push("0".repeat(24) + t.slice(2).toLowerCase());
  }
  // bytes[]: length, one offset per element (from the first offset word), then each element (length + padded bytes).
  parts.push(word(n));
  const bodies: string[] = [];
  let offset = 32 * n;
  for (const d of data) {
    if (!HEX.test(d)) throw new Error(`encodeTryAll: calldata "${d.slice(0, 20)}..." is not 0x-prefixed hex bytes`);
    const body = word((d.length - 2) / 2) + padRight(d.slice(2));
    parts.push(word(offset));
    bodies.push(body);
    offset += body.length / 2;
  }
  return "0x" + parts.join("") + bodies.join("");
}

/** Reads the word at byte `at` of `hex` (no `0x`) as a number (offsets and lengths; throws beyond 2^53). */
function smallWord(hex: string, at: number, what: string): number {
  const w = hex.slice(at * 2, at * 2 + 64);
  if (w.length !== 64) throw new Error(`decodeTryAllResult: ${what} at byte ${at} is past the end of ${hex.length / 2} bytes`);
  const n = parseInt(w, 16);
  if (!Number.isSafeInteger(n)) throw new Error(`decodeTryAllResult: ${what} at byte ${at} is not a small integer (0x${w})`);
  return n;
}

/** Decodes `tryAll`'s return data, `(tuple(bool success, bytes returnData)[])`. */
export function decodeTryAllResult(ret: string): Array<{ success: boolean; returnData: string }> {
  if (!HEX.test(ret)) throw new Error(`decodeTryAllResult: return data is not 0x-prefixed hex bytes`);
  const hex = ret.slice(2);
  const arr = smallWord(hex, 0, "array offset");
  const n = smallWord(hex, arr, "array length");
  const head = arr + 32;
  const out: Array<{ success: boolean; returnData: string }> = new Array(n);
  for (let i = 0; i < n; i++) {
    const tuple = head + smallWord(hex, head + 32 * i, `offset of result ${i}`);
    const success = smallWord(hex, tuple, `success flag of result ${i}`) !== 0;
    const bytesAt = tuple + smallWord(hex, tuple + 32, `bytes offset of result ${i}`);
    const len = smallWord(hex, bytesAt, `bytes length of result ${i}`);
    const start = (bytesAt + 32) * 2;
    if (start + len * 2 > hex.length) throw new Error(`decodeTryAllResult: result ${i} (${len} bytes) runs past the end of ${hex.length / 2} bytes`);
    out[i] = { success, returnData: "0x" + hex.slice(start, start + len * 2) };
  }
  return out;
}

/** How to read one static output: a scalar word, or a tuple of them (with names). */
type StaticPlan = { kind: "uint" | "int" | "bool" | "address"; bits: number } | { kind: "tuple"; names: string[]; items: StaticPlan[] };

function planFor(p: ParamType): StaticPlan | undefined {
  if (p.baseType === "tuple") {
    const items = (p.components ?? []).map(planFor);
    if (items.some((x) => x === undefined)) return undefined;
    return { kind: "tuple", names: (p.components ?? []).map((c) => c.name), items: items as StaticPlan[] };
  }
  const m = /^(u?int)(\d*)$/.exec(p.type);
  if (m) return { kind: m[1] as "uint" | "int", bits: m[2] ? Number(m[2]) : 256 };
  if (p.type === "bool") return { kind: "bool", bits: 8 };
  if (p.type === "address") return { kind: "address", bits: 160 };
  return undefined; // dynamic (bytes, string, arrays) or fixed bytes: left to ethers
}

function width(plan: StaticPlan): number {
  return plan.kind === "tuple" ? plan.items.reduce((a, x) => a + width(x), 0) : 1;
}

function readPlan(plan: StaticPlan, hex: string, at: number): unknown {
  if (plan.kind === "tuple") {
    const out: unknown[] & Record<string, unknown> = [] as unknown as unknown[] & Record<string, unknown>;
    let k = at;
    plan.items.forEach((item, i) => {
      const v = readPlan(item, hex, k);
      out.push(v);
      if (plan.names[i]) out[plan.names[i]] = v;
      k += width(item);
    });
    return out;
  }
  const w = hex.slice(at * 64, at * 64 + 64);
  if (w.length !== 64) throw new Error(`decodeStaticResult: word ${at} is past the end of ${hex.length / 2} bytes`);
  if (plan.kind === "bool") return BigInt("0x" + w) !== 0n;
  if (plan.kind === "address") return "0x" + w.slice(24);
  // As ethers does: the low `bits` bits, two's complement for int.
  const bits = BigInt(plan.bits);
  const v = BigInt("0x" + w) & ((1n << bits) - 1n);
  if (plan.kind === "uint") return v;
  return v >= 1n << (bits - 1n) ? v - (1n << bits) : v;
}

const plans = new WeakMap<FunctionFragment, StaticPlan | null>();

/**
 * Decodes `fragment`'s return data when every output is static: one value per output (a tuple as an array that also
 * carries its components' names, like ethers' `Result`); addresses come back lower-case (not checksummed). Returns
 * `undefined` when an output is dynamic: the caller decodes with ethers instead.
 */
export function decodeStaticResult(fragment: FunctionFragment, data: string): unknown[] | undefined {
  let plan = plans.get(fragment);
  if (plan === undefined) {
    const p = planFor({ baseType: "tuple", type: "tuple", name: "", components: fragment.outputs } as unknown as ParamType);
    plan = p ?? null;
    plans.set(fragment, plan);
  }
  if (plan === null) return undefined;
  if (!HEX.test(data)) throw new Error(`decodeStaticResult: ${fragment.name} return data is not 0x-prefixed hex bytes`);
  return readPlan(plan, data.slice(2), 0) as unknown[];
}
