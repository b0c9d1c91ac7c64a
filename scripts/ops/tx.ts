/**
 * Sending transactions the operator way: one logged line per action, a static call first so a call that would
 * revert is reported (with its decoded custom error) instead of burning gas, and failures returned, not thrown,
 * where the caller wants to carry on (the keeper).
 */
import { Contract, ContractTransactionResponse, Interface, Signer, TransactionReceipt, TransactionRequest, TransactionResponse } from "ethers";

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

/**
 * Gas limit = the node's estimate x GAS_HEADROOM_PERCENT / 100 (forge script's default gas-estimate multiplier).
 *
 * Why a margin and not the bare estimate (what ethers sends): `eth_estimateGas` runs in the context of a block the
 * transaction may not be mined in. On anvil (and any chain with sub-second blocks) consecutive blocks mined within
 * one wall-clock second share a timestamp, and the estimate runs with that second's timestamp. A call whose gas
 * depends on `block.timestamp` then costs more when mined one second later: `setModelParamsBounds` re-writing the
 * same params stores `updatedAt = block.timestamp` in the params slot (a no-op write in the same second, 100 gas;
 * 2,900 gas a second later), a second `poke` within one block returns early (a full poke a second later). With the
 * bare estimate such a transaction runs out of gas and reverts without a reason: the cascade:deploy flake.
 */
export const GAS_HEADROOM_PERCENT = 130n;

export function withGasHeadroom(estimate: bigint): bigint {
  return (estimate * GAS_HEADROOM_PERCENT + 99n) / 100n;
}

/** max(estimate with headroom, floor): for calls whose estimate can be far below what they cost when mined. */
export function gasLimitAtLeast(estimate: bigint, floor: bigint): bigint {
  const headroom = withGasHeadroom(estimate);
  return headroom > floor ? headroom : floor;
}

/** Sends `contract.method(...args)` with a gas limit of its estimate plus headroom (see GAS_HEADROOM_PERCENT). */
export async function sendWithGasHeadroom(
  contract: Contract,
  method: string,
  args: readonly unknown[],
  overrides: { gasLimit?: bigint } = {},
): Promise<ContractTransactionResponse> {
  const fn = contract.getFunction(method);
  const gasLimit = overrides.gasLimit ?? withGasHeadroom(await fn.estimateGas(...args));
  return fn.send(...args, { ...overrides, gasLimit });
}

/** A raw transaction (e.g. a governance batch call) with the same headroom. */
export async function sendRawWithGasHeadroom(signer: Signer, tx: TransactionRequest): Promise<TransactionResponse> {
  const gasLimit = tx.gasLimit ?? withGasHeadroom(await signer.estimateGas(tx));
  return signer.sendTransaction({ ...tx, gasLimit });
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
  /**
   * Lowest gas limit to send with, for calls whose estimate can be far below what they cost when mined (see
   * KEEPER_GAS_FLOOR); the limit is max(estimate with headroom, floor).
   */
  gasFloor?: bigint;
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
    let overrides = req.overrides;
    if (!overrides?.gasLimit && req.gasFloor) {
      overrides = { ...overrides, gasLimit: gasLimitAtLeast(await fn.estimateGas(...req.args), req.gasFloor) };
    }
    return await settled({ tx: await sendWithGasHeadroom(req.contract, req.method, req.args, overrides), label: req.label, log: req.log, interfaces: ifaces });
  } catch (err) {
    return failed({ err, label: req.label, log: req.log, interfaces: ifaces });
  }
}

/** Waits for a sent transaction: its outcome, logged in one line; never throws. */
async function settled(req: { tx: ContractTransactionResponse; label: string; log: Logger; interfaces: readonly Interface[] }): Promise<CallOutcome> {
  const { tx } = req;
  try {
    const receipt: TransactionReceipt | null = await tx.wait();
    if (!receipt || receipt.status !== 1) {
      req.log(`  ✗ ${req.label}: transaction ${tx.hash} failed`);
      return { ok: false, status: "failed", txHash: tx.hash, error: "receipt status 0" };
    }
    req.log(`  ✓ ${req.label}: tx ${receipt.hash} block ${receipt.blockNumber} gas ${receipt.gasUsed}`);
    return { ok: true, status: "sent", txHash: receipt.hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed };
  } catch (err) {
    return failed({ err, label: req.label, log: req.log, interfaces: req.interfaces });
  }
}

/** The outcome of a call that failed to send or failed on-chain (ethers attaches the receipt), logged in one line. */
function failed(req: { err: unknown; label: string; log: Logger; interfaces: readonly Interface[] }): CallOutcome {
  const why = describeRevert(req.err, req.interfaces);
  const receipt = (req.err as { receipt?: { hash?: string; blockNumber?: number } }).receipt;
  req.log(`  ✗ ${req.label}: ${receipt?.hash ? `transaction ${receipt.hash} failed in block ${receipt.blockNumber}: ` : ""}${why}`);
  return { ok: false, status: "failed", txHash: receipt?.hash, blockNumber: receipt?.blockNumber, error: why };
}

/**
 * Sends `calls` back to back from one signer (consecutive nonces, no wait in between), so that a chain mining them
 * in one block runs them there in this order, then waits for every receipt. Each call is logged like `sendLogged`'s
 * (with its block) and a failure is returned, never thrown. Gas limit per call: max(estimate with headroom, floor),
 * each estimated on the latest state (without the calls before it: the floor covers the difference).
 */
export async function sendBackToBack(req: {
  signer: Signer;
  calls: readonly { contract: Contract; method: string; args: readonly unknown[]; label: string }[];
  log: Logger;
  errorInterfaces?: readonly Interface[];
  gasFloor: bigint;
}): Promise<CallOutcome[]> {
  const outcomes: CallOutcome[] = [];
  const sentTxs: ContractTransactionResponse[] = [];
  let notSent = "";
  let nonce = await req.signer.getNonce("pending");
  for (const c of req.calls) {
    try {
      const fn = c.contract.getFunction(c.method);
      sentTxs.push(await fn.send(...c.args, { gasLimit: gasLimitAtLeast(await fn.estimateGas(...c.args), req.gasFloor), nonce }));
      nonce++;
    } catch (err) {
      // A later call would take this nonce out of order: the rest are not sent either.
      notSent = `not sent: ${describeRevert(err, [c.contract.interface, ...(req.errorInterfaces ?? [])])}`;
      req.log(`  ✗ ${c.label}: ${notSent}`);
      break;
    }
  }
  for (let i = 0; i < req.calls.length; i++) {
    const c = req.calls[i];
    const tx = sentTxs[i];
    if (!tx) {
      outcomes.push({ ok: false, status: "failed", error: i === sentTxs.length ? notSent : "not sent: an earlier call of the pair was not sent" });
      continue;
    }
    outcomes.push(await settled({ tx, label: c.label, log: req.log, interfaces: [c.contract.interface, ...(req.errorInterfaces ?? [])] }));
  }
  return outcomes;
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
