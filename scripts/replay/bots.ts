/**
 * The replay's liquidation bot on an on-chain DEX: `ReplayBatchLiquidator` (contracts/mocks/replica) walks a round's
 * candidates in one transaction, in the order given; for each it reads the HF from the Pool, calls the real
 * `liquidationCall` (Aave's close factor), sells the seizure into the scenario's pool and keeps the liquidation only
 * when the sale covered the debt repaid (else that liquidation is rolled back, as a bot would). A transaction walks
 * as many borrowers as its gas allows; the rest go into the next transaction of the same round, which starts where
 * the previous one stopped, so the order is the one given whatever the number of transactions.
 *
 * The keeper bot (`ReplayKeeperBot`) does the same for a step's permissionless Cascade Guard calls: one transaction,
 * each call in its own frame.
 */
import { AbiCoder, Contract, Interface, id, type Signer } from "ethers";
import { deployArtifact, localArtifact } from "../aave/artifacts";
import { decodeTryAllResult, encodeTryAll } from "./rawAbi";

/** Gas limit of one batch transaction (Hardhat caps a transaction at 2^24 gas). */
export const BATCH_LIQUIDATION_GAS_LIMIT = 16_000_000n;
/** Gas that must be left before the contract walks the next borrower (one HF read, liquidation and swap, with room). */
export const MIN_GAS_PER_BORROWER = 1_500_000n;

export const BATCH_LIQUIDATOR_IFACE = new Interface([
  "function liquidateAll(address pool, address collateral, address debt, address[] users, address dex, uint256 minGasPerUser) returns (uint256 walked)",
  "event BatchLiquidationExecuted(uint256 indexed index, address indexed user, uint256 healthFactorBeforeWad, uint256 debtRepaid, uint256 seized, uint256 proceeds)",
  "event BatchLiquidationSkipped(uint256 indexed index, address indexed user, bytes reason)",
  "error ReplayBatchLiquidatorNotOwner(address caller)",
  "error ReplayBatchLiquidatorNotSelf(address caller)",
  "error ReplayBatchLiquidatorHealthy(address user, uint256 healthFactorWad)",
  "error ReplayBatchLiquidatorUnprofitable(address user, uint256 proceeds, uint256 debtRepaid)",
]);

const EXECUTED_TOPIC = BATCH_LIQUIDATOR_IFACE.getEvent("BatchLiquidationExecuted")!.topicHash;
const SKIPPED_TOPIC = BATCH_LIQUIDATOR_IFACE.getEvent("BatchLiquidationSkipped")!.topicHash;

/** What happened to one borrower the bot walked. */
export type BatchOutcome =
  | { user: string; executed: true; healthFactorBeforeWad: bigint; debtRepaid: bigint; seized: bigint; proceeds: bigint }
  | { user: string; executed: false; reason: string };

/** Deploys the bot, owned by `owner`'s address (the only account allowed to drive it). */
export async function deployBatchLiquidator(owner: Signer): Promise<Contract> {
  const c = await deployArtifact<Contract>(localArtifact("mocks/replica/ReplayBatchLiquidator.sol", "ReplayBatchLiquidator"), owner, [
    await owner.getAddress(),
  ]);
  return new Contract(String(c.target), BATCH_LIQUIDATOR_IFACE, owner);
}

/** Names a skip reason: this contract's errors by name, anything else (the Pool's errors) as raw revert data. */
export function skipReason(data: string): string {
  try {
    const parsed = BATCH_LIQUIDATOR_IFACE.parseError(data);
    if (parsed) return parsed.name;
  } catch {
    /* not one of ours */
  }
  return data === "0x" ? "reverted without data" : data;
}

/**
 * Walks `users` in order through the bot, in as many transactions as gas requires; returns one outcome per user, in
 * order. Nothing is sent for an empty list.
 */
export async function liquidateInOrder(request: {
  rpc(method: string, params: unknown[]): Promise<unknown>;
  /** The bot's owner (an account the node holds). */
  from: string;
  bot: string;
  pool: string;
  collateral: string;
  debt: string;
  dex: string;
  users: string[];
}): Promise<BatchOutcome[]> {
  const botAddress = request.bot.toLowerCase();
  const out: BatchOutcome[] = [];
  let rest = request.users;
  while (rest.length > 0) {
    const data = BATCH_LIQUIDATOR_IFACE.encodeFunctionData("liquidateAll", [request.pool, request.collateral, request.debt, rest, request.dex, MIN_GAS_PER_BORROWER]);
    const { logs } = await sendRawCall({ rpc: request.rpc, from: request.from, to: request.bot, data, gasLimit: BATCH_LIQUIDATION_GAS_LIMIT });
    // The bot's two events, read by hand (topic 0, the list index in topic 1, static words or one `bytes` in data):
    // a round's receipt holds every Pool and token log too, and ethers' parseLog was a visible share of a replay.
    const walked: BatchOutcome[] = [];
    for (const log of logs) {
      if (log.address.toLowerCase() !== botAddress) continue;
      const topic = log.topics[0];
      if (topic !== EXECUTED_TOPIC && topic !== SKIPPED_TOPIC) continue;
      const index = Number(BigInt(log.topics[1]));
      const user = rest[index];
      if (user === undefined || index !== walked.length) throw new Error(`ReplayBatchLiquidator: event for list index ${index}, expected ${walked.length} of ${rest.length}`);
      const hex = log.data.slice(2);
      const w = (i: number) => BigInt("0x" + hex.slice(64 * i, 64 * i + 64));
      if (topic === EXECUTED_TOPIC) {
        walked.push({ user, executed: true, healthFactorBeforeWad: w(0), debtRepaid: w(1), seized: w(2), proceeds: w(3) });
      } else {
        const len = Number(BigInt("0x" + hex.slice(64 * (Number(w(0)) / 32), 64 * (Number(w(0)) / 32) + 64)));
        const start = 2 * (Number(w(0)) + 32);
        walked.push({ user, executed: false, reason: skipReason("0x" + hex.slice(start, start + 2 * len)) });
      }
    }
    if (walked.length === 0) throw new Error(`ReplayBatchLiquidator walked no borrower with a ${BATCH_LIQUIDATION_GAS_LIMIT} gas limit`);
    out.push(...walked);
    rest = rest.slice(walked.length);
  }
  return out;
}

/** Gas limit of one keeper transaction (pokes, trip or release, sync). */
export const KEEPER_BATCH_GAS_LIMIT = 6_000_000n;

const KEEPER_BOT_IFACE = new Interface([
  "function callAll(address[] targets, bytes[] data) returns (uint256 failed)",
  "event KeeperCallFailed(uint256 indexed index, address indexed target, bytes reason)",
  "error ReplayKeeperBotNotOwner(address caller)",
  "error ReplayKeeperBotLengthMismatch(uint256 targets, uint256 data)",
]);

/** Deploys the keeper bot, owned by `owner`'s address. */
export async function deployKeeperBot(owner: Signer): Promise<Contract> {
  const c = await deployArtifact<Contract>(localArtifact("mocks/replica/ReplayKeeperBot.sol", "ReplayKeeperBot"), owner, [await owner.getAddress()]);
  return new Contract(String(c.target), KEEPER_BOT_IFACE, owner);
}

/** Sends `calls` in order in one transaction through the keeper bot; returns the transaction's logs. */
export async function sendKeeperCalls(request: {
  rpc(method: string, params: unknown[]): Promise<unknown>;
  from: string;
  bot: string;
  calls: { target: string; data: string }[];
  /** false: the logs are not wanted (no receipt read; in-process Hardhat network only, see `sendRawCall`). */
  logs?: boolean;
}): Promise<RawLog[]> {
  const data = KEEPER_BOT_IFACE.encodeFunctionData("callAll", [request.calls.map((c) => c.target), request.calls.map((c) => c.data)]);
  return (await sendRawCall({ rpc: request.rpc, from: request.from, to: request.bot, data, gasLimit: KEEPER_BATCH_GAS_LIMIT, receipt: request.logs !== false })).logs;
}

/** A log of a receipt read through raw JSON-RPC. */
export interface RawLog {
  address: string;
  topics: string[];
  data: string;
}

/**
 * Sends one transaction through the network's JSON-RPC directly (`eth_sendTransaction` from an account the node
 * holds, then `eth_getTransactionReceipt`): two requests where ethers' signer makes four, and no ABI work beyond
 * the calldata given. Throws when the transaction reverts.
 *
 * `receipt: false` skips the receipt (one request, no logs, `gasUsed` 0): only for the in-process Hardhat network,
 * whose `eth_sendTransaction` itself fails when the transaction reverts (`throwOnTransactionFailures`, on by default;
 * test/replica/replay-bots.test.ts checks it), so a revert still throws.
 */
export async function sendRawCall(request: {
  rpc(method: string, params: unknown[]): Promise<unknown>;
  from: string;
  to: string;
  data: string;
  gasLimit: bigint;
  receipt?: boolean;
}): Promise<{ logs: RawLog[]; gasUsed: bigint }> {
  const hash = (await request.rpc("eth_sendTransaction", [
    { from: request.from, to: request.to, data: request.data, gas: "0x" + request.gasLimit.toString(16) },
  ])) as string;
  if (request.receipt === false) return { logs: [], gasUsed: 0n };
  const receipt = (await request.rpc("eth_getTransactionReceipt", [hash])) as { status: string; logs: RawLog[]; gasUsed: string } | null;
  if (!receipt) throw new Error(`transaction ${hash} to ${request.to}: no receipt`);
  if (BigInt(receipt.status) !== 1n) throw new Error(`transaction ${hash} to ${request.to} reverted`);
  return { logs: receipt.logs, gasUsed: BigInt(receipt.gasUsed) };
}

const CODER = AbiCoder.defaultAbiCoder();

/**
 * `ReadBatcher.tryAll(targets, data)` as one raw `eth_call`; returns each call's success and return data. Calldata and
 * result are encoded and decoded by hand (`rawAbi.ts`), not by ethers' AbiCoder: a replay reads the whole market every
 * step through here.
 */
export async function rawTryAll(request: {
  rpc(method: string, params: unknown[]): Promise<unknown>;
  batcher: string;
  targets: string[];
  data: string[];
}): Promise<Array<{ success: boolean; returnData: string }>> {
  const ret = (await request.rpc("eth_call", [{ to: request.batcher, data: encodeTryAll(request.targets, request.data) }, "latest"])) as string;
  return decodeTryAllResult(ret);
}

/**
 * A one-argument setter (`setAnswer(int256)`, `setRate(uint256)`) sent over raw JSON-RPC with its selector computed
 * once: the replay writes feeds every step.
 */
export function rawSetter(request: {
  rpc(method: string, params: unknown[]): Promise<unknown>;
  from: string;
  to: string;
  signature: "setAnswer(int256)" | "setRate(uint256)";
  gasLimit: bigint;
  /** false: no receipt read (in-process Hardhat network only, see `sendRawCall`). */
  receipt?: boolean;
}): (value: bigint) => Promise<void> {
  const selector = id(request.signature).slice(0, 10);
  const type = request.signature.endsWith("(int256)") ? "int256" : "uint256";
  return async (value) => {
    await sendRawCall({ rpc: request.rpc, from: request.from, to: request.to, data: selector + CODER.encode([type], [value]).slice(2), gasLimit: request.gasLimit, receipt: request.receipt });
  };
}
