/**
 * Sending transactions the operator way: one logged line per action, a static call first so a call that would
 * revert is reported (with its decoded custom error) instead of burning gas, and failures returned, not thrown,
 * where the caller wants to carry on (the keeper).
 */
import { Contract, ContractTransactionResponse, Interface, TransactionReceipt } from "ethers";

export type Logger = (line: string) => void;

export interface CallOutcome {
  ok: boolean;
  /** "sent" when mined with status 1, "reverted-static" when the pre-flight static call reverted, "failed" otherwise. */
  status: "sent" | "reverted-static" | "failed";
  txHash?: string;
  blockNumber?: number;
  gasUsed?: bigint;
  error?: string;
}

/** Best-effort decoding of a revert into `ErrorName(arg, ...)` with the given ABIs. */
export function describeRevert(err: unknown, interfaces: readonly Interface[]): string {
  const e = err as { data?: string; info?: { error?: { data?: string } }; error?: { data?: string }; shortMessage?: string; message?: string };
  const data = e?.data ?? e?.info?.error?.data ?? e?.error?.data;
  if (typeof data === "string" && data.length >= 10) {
    for (const iface of interfaces) {
      try {
        const parsed = iface.parseError(data);
        if (parsed) return `${parsed.name}(${parsed.args.map((a) => String(a)).join(", ")})`;
      } catch {
        /* try the next ABI */
      }
    }
    return `revert data ${data}`;
  }
  return e?.shortMessage ?? e?.message ?? String(err);
}

/**
 * Static-calls `method(...args)` on `contract`, then sends it and waits for the receipt.
 * Never throws for a revert or a failed transaction: returns the outcome so a loop can continue.
 */
export async function sendLogged(req: {
  contract: Contract;
  method: string;
  args: readonly unknown[];
  label: string;
  log: Logger;
  errorInterfaces?: readonly Interface[];
  skipStaticCall?: boolean;
  /** e.g. a fixed gasLimit (skips gas estimation, so a reverting call is mined and fails on-chain). */
  overrides?: { gasLimit?: bigint };
}): Promise<CallOutcome> {
  const ifaces = [req.contract.interface, ...(req.errorInterfaces ?? [])];
  const fn = req.contract.getFunction(req.method);
  if (!req.skipStaticCall) {
    try {
      await fn.staticCall(...req.args);
    } catch (err) {
      const why = describeRevert(err, ifaces);
      req.log(`  ✗ ${req.label}: would revert: ${why} (not sent)`);
      return { ok: false, status: "reverted-static", error: why };
    }
  }
  try {
    // Keeper calls depend on block.timestamp (EMA, ramps, cooldowns): the block they land in can need more gas than
    // the estimate made against the previous one (seen on anvil: guard.trip mined out of gas). Send with 25% margin.
    const overrides = req.overrides?.gasLimit !== undefined ? req.overrides : { ...req.overrides, gasLimit: ((await fn.estimateGas(...req.args)) * 125n) / 100n };
    const tx = await fn.send(...req.args, overrides);
    const receipt: TransactionReceipt | null = await tx.wait();
    if (!receipt || receipt.status !== 1) {
      req.log(`  ✗ ${req.label}: transaction ${tx.hash} failed`);
      return { ok: false, status: "failed", txHash: tx.hash, error: "receipt status 0" };
    }
    req.log(`  ✓ ${req.label}: tx ${receipt.hash} block ${receipt.blockNumber} gas ${receipt.gasUsed}`);
    return { ok: true, status: "sent", txHash: receipt.hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed };
  } catch (err) {
    const why = describeRevert(err, ifaces);
    const receipt = (err as { receipt?: { hash?: string; blockNumber?: number } }).receipt;
    req.log(`  ✗ ${req.label}: ${receipt?.hash ? `transaction ${receipt.hash} failed in block ${receipt.blockNumber}: ` : ""}${why}`);
    return { ok: false, status: "failed", txHash: receipt?.hash, blockNumber: receipt?.blockNumber, error: why };
  }
}

/**
 * Waits for a sent transaction and throws a useful error when it fails on-chain: the call is replayed with
 * `eth_call` on the state before its block, so the message names the decoded revert (or says it ran out of gas)
 * instead of ethers' bare "transaction execution reverted".
 */
export async function waitChecked(label: string, sent: Promise<ContractTransactionResponse>, interfaces: readonly Interface[]): Promise<TransactionReceipt> {
  const tx = await sent;
  try {
    const receipt = await tx.wait();
    if (receipt && receipt.status === 1) return receipt;
    throw Object.assign(new Error("receipt status 0"), { receipt });
  } catch (err) {
    const receipt = (err as { receipt?: TransactionReceipt | null }).receipt;
    if (!receipt || !tx.provider) throw err;
    let why: string;
    try {
      await tx.provider.call({ from: tx.from, to: tx.to, data: tx.data, value: tx.value, gasLimit: tx.gasLimit, blockTag: receipt.blockNumber - 1 });
      why = receipt.gasUsed === tx.gasLimit ? `out of gas (limit ${tx.gasLimit})` : "the replay on the previous block succeeds: the state changed within the block";
    } catch (replayErr) {
      why = describeRevert(replayErr, interfaces);
    }
    throw new Error(`${label}: transaction ${tx.hash} reverted in block ${receipt.blockNumber} (gas used ${receipt.gasUsed} of ${tx.gasLimit}): ${why}`);
  }
}
