/**
 * Which accounts an impact check measures: the Pool's borrowers and suppliers found from its `Supply` and `Borrow`
 * events over a block range (chunked `eth_getLogs`), or an explicit list file. Every bad input is one line naming
 * the file or option, the value and the fix; nothing is sent by anything here.
 *
 * Event signatures are the same in Aave v3.0 through v3.6 (`interestRateMode` is a `uint8`/enum in the ABI):
 *   Supply(address indexed reserve, address user, address indexed onBehalfOf, uint256 amount, uint16 indexed referralCode)
 *   Borrow(address indexed reserve, address user, address indexed onBehalfOf, uint256 amount, uint8 interestRateMode,
 *          uint256 borrowRate, uint16 indexed referralCode)
 * The position is `onBehalfOf` (topic 2) in both.
 */
import { UserError } from "../../../spec/errors";
import fs from "fs";
import { Provider, getAddress, id, isAddress, zeroPadValue } from "ethers";

export const SUPPLY_TOPIC = id("Supply(address,address,address,uint256,uint16)");
export const BORROW_TOPIC = id("Borrow(address,address,address,uint256,uint8,uint256,uint16)");

/** Default look-back when no `--from-block` is given: about two weeks of Ethereum blocks. */
export const DEFAULT_LOOKBACK_BLOCKS = 100_000;
export const DEFAULT_LOG_CHUNK_BLOCKS = 10_000;

export class ImpactInputError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = "ImpactInputError";
  }
}

export type AccountsSource =
  | { kind: "file"; file: string }
  | { kind: "events"; pool: string; fromBlock: number; toBlock: number; chunkBlocks: number };

/** Reads a list file: a JSON array of addresses, `{ "accounts": [...] }`, or plain text with one address a line (`#` comments). */
export function readAccountsFile(file: string): string[] {
  if (!fs.existsSync(file)) throw new ImpactInputError(`${file}: accounts file not found (give --accounts an existing file, or omit it to find borrowers from the Pool's events)`);
  const text = fs.readFileSync(file, "utf8");
  const trimmed = text.trim();
  let raw: unknown[];
  let field = (i: number) => `line ${i + 1}`;
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (e) {
      throw new ImpactInputError(`${file}: not valid JSON (${(e as Error).message}); expected an array of addresses or {"accounts": [...]}`);
    }
    if (Array.isArray(parsed)) {
      raw = parsed;
      field = (i) => `[${i}]`;
    } else if (parsed && typeof parsed === "object" && Array.isArray((parsed as { accounts?: unknown }).accounts)) {
      raw = (parsed as { accounts: unknown[] }).accounts;
      field = (i) => `accounts[${i}]`;
    } else {
      throw new ImpactInputError(`${file}: field accounts: missing; expected an array of addresses or {"accounts": [...]}`);
    }
  } else {
    const lines = text.split(/\r?\n/);
    raw = [];
    const lineOf: number[] = [];
    lines.forEach((l, i) => {
      const s = l.replace(/#.*$/, "").trim();
      if (s) {
        raw.push(s);
        lineOf.push(i);
      }
    });
    field = (i) => `line ${lineOf[i] + 1}`;
  }
  const out: string[] = [];
  const seen = new Set<string>();
  raw.forEach((v, i) => {
    if (typeof v !== "string" || !isAddress(v)) {
      throw new ImpactInputError(`${file}: ${field(i)}: ${JSON.stringify(v)} is not an address (expected 0x followed by 40 hex digits)`);
    }
    const a = getAddress(v);
    if (!seen.has(a)) {
      seen.add(a);
      out.push(a);
    }
  });
  if (out.length === 0) throw new ImpactInputError(`${file}: no account listed (add at least one address, or omit --accounts to use the Pool's events)`);
  return out;
}

function parseBlock(name: string, v: string | number | undefined): number | undefined {
  if (v === undefined || v === "") return undefined;
  const n = typeof v === "number" ? v : /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new ImpactInputError(`--${name} ${JSON.stringify(v)}: not a block number (expected a non-negative integer)`);
  return n;
}

/** Resolves and checks a block range against the latest block; defaults: latest - DEFAULT_LOOKBACK_BLOCKS .. latest. */
export function resolveBlockRange(req: { fromBlock?: string | number; toBlock?: string | number; latest: number; chunkBlocks?: string | number }): {
  fromBlock: number;
  toBlock: number;
  chunkBlocks: number;
} {
  const to = parseBlock("to-block", req.toBlock) ?? req.latest;
  const from = parseBlock("from-block", req.fromBlock) ?? Math.max(0, to - DEFAULT_LOOKBACK_BLOCKS);
  const chunk = parseBlock("log-chunk-blocks", req.chunkBlocks) ?? DEFAULT_LOG_CHUNK_BLOCKS;
  if (to > req.latest) throw new ImpactInputError(`--to-block ${to}: beyond the latest block ${req.latest} of the network (use ${req.latest} or less)`);
  if (from > to) throw new ImpactInputError(`--from-block ${from}: after --to-block ${to} (the range must run forward)`);
  if (chunk < 1) throw new ImpactInputError(`--log-chunk-blocks ${chunk}: must be at least 1`);
  return { fromBlock: from, toBlock: to, chunkBlocks: chunk };
}

/** Accounts that supplied or borrowed on the Pool in [fromBlock, toBlock], in order of first appearance. */
export async function accountsFromPoolEvents(req: { provider: Provider; pool: string; fromBlock: number; toBlock: number; chunkBlocks: number }): Promise<string[]> {
  const seen = new Set<string>();
  const out: string[] = [];
  const ranges: Array<[number, number]> = [];
  for (let b = req.fromBlock; b <= req.toBlock; b += req.chunkBlocks) ranges.push([b, Math.min(req.toBlock, b + req.chunkBlocks - 1)]);
  // A few chunks in flight at once: JSON-RPC batching sends them together.
  const results = await Promise.all(
    ranges.map(([fromBlock, toBlock]) => req.provider.getLogs({ address: req.pool, topics: [[SUPPLY_TOPIC, BORROW_TOPIC]], fromBlock, toBlock })),
  );
  for (const logs of results) {
    for (const l of logs) {
      const topic = l.topics[2];
      if (!topic) continue;
      const a = getAddress("0x" + topic.slice(26));
      if (!seen.has(a)) {
        seen.add(a);
        out.push(a);
      }
    }
  }
  return out;
}

/** Topic form of an address (for callers filtering logs themselves). */
export const addressTopic = (a: string) => zeroPadValue(getAddress(a), 32);
