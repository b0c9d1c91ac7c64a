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
import { Contract, Interface, type Signer, type TransactionReceipt } from "ethers";
import { deployArtifact, localArtifact } from "../aave/artifacts";

/** Gas limit of one batch transaction (Hardhat caps a transaction at 2^24 gas). */
export const BATCH_LIQUIDATION_GAS_LIMIT = 16_000_000n;
/** Gas that must be left before the contract walks the next borrower (one HF read, liquidation and swap, with room). */
export const MIN_GAS_PER_BORROWER = 1_500_000n;

export const BATCH_LIQUIDATOR_IFACE = new Interface([
  "function liquidateAll(address pool, address collateral, address debt, address[] users, address dex, uint256 minGasPerUser) returns (uint256 walked)",
  "event BatchLiquidationExecuted(uint256 indexed index, address indexed user, uint256 healthFactorBeforeWad, uint256 debtRepaid, uint256 seized, uint256 proceeds)",
  "event BatchLiquidationSkipped(uint256 indexed index, address indexed user, bytes reason)",
  "error ReplayBatchLiquidatorHealthy(address user, uint256 healthFactorWad)",
  "error ReplayBatchLiquidatorUnprofitable(address user, uint256 proceeds, uint256 debtRepaid)",
]);

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
  bot: Contract;
  pool: string;
  collateral: string;
  debt: string;
  dex: string;
  users: string[];
}): Promise<BatchOutcome[]> {
  const { bot } = request;
  const botAddress = String(bot.target).toLowerCase();
  const out: BatchOutcome[] = [];
  let rest = request.users;
  while (rest.length > 0) {
    const tx = await bot.getFunction("liquidateAll")(request.pool, request.collateral, request.debt, rest, request.dex, MIN_GAS_PER_BORROWER, {
      gasLimit: BATCH_LIQUIDATION_GAS_LIMIT,
    });
    const receipt = await tx.wait();
    const walked: BatchOutcome[] = [];
    for (const log of receipt?.logs ?? []) {
      if (log.address.toLowerCase() !== botAddress) continue;
      const ev = BATCH_LIQUIDATOR_IFACE.parseLog(log);
      if (ev?.name === "BatchLiquidationExecuted") {
        walked.push({
          user: ev.args.user as string,
          executed: true,
          healthFactorBeforeWad: ev.args.healthFactorBeforeWad as bigint,
          debtRepaid: ev.args.debtRepaid as bigint,
          seized: ev.args.seized as bigint,
          proceeds: ev.args.proceeds as bigint,
        });
      } else if (ev?.name === "BatchLiquidationSkipped") {
        walked.push({ user: ev.args.user as string, executed: false, reason: skipReason(ev.args.reason as string) });
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
]);

/** Deploys the keeper bot, owned by `owner`'s address. */
export async function deployKeeperBot(owner: Signer): Promise<Contract> {
  const c = await deployArtifact<Contract>(localArtifact("mocks/replica/ReplayKeeperBot.sol", "ReplayKeeperBot"), owner, [await owner.getAddress()]);
  return new Contract(String(c.target), KEEPER_BOT_IFACE, owner);
}

/** Sends `calls` in order in one transaction through the keeper bot; returns the receipt. */
export async function sendKeeperCalls(request: { bot: Contract; calls: { target: string; data: string }[] }): Promise<TransactionReceipt> {
  const tx = await request.bot.getFunction("callAll")(
    request.calls.map((c) => c.target),
    request.calls.map((c) => c.data),
    { gasLimit: KEEPER_BATCH_GAS_LIMIT },
  );
  const receipt = (await tx.wait()) as TransactionReceipt | null;
  if (!receipt) throw new Error("ReplayKeeperBot: no receipt");
  return receipt;
}
