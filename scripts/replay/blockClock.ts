/**
 * A replay's block clock, independent of the machine's speed. Hardhat's in-process network stamps a block with
 * max(previous + 1, wall clock + offset), the offset being set by the last `evm_setNextBlockTimestamp` / `evm_mine(t)`:
 * a replay step whose transactions take more than a second of wall time gets later timestamps than the same step on
 * a faster (or quieter) machine, so interest accrual, pause starts and the results moved from run to run (seen: the
 * same scenario's bad debt 80.06811145 / 80.06811154 / 80.06811172 ETH in three runs of unchanged code).
 *
 * `pinBlockClock` wraps the network's provider for the replay's duration: every block is stamped previous + 1 second
 * (each transaction, and `evm_mine` without a timestamp, is preceded by `evm_setNextBlockTimestamp(previous + 1)`);
 * the replay's own `evm_mine(t)` still moves the clock to `t`, and after `evm_revert` the clock is read again. Time
 * between a replay's steps comes only from the steps (`evm_mine(start + t)`), never from the wall clock.
 */

/** The two entry points of Hardhat's network provider (hardhat-ethers uses `send`, others `request`). */
export interface PinnableProvider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
  send(method: string, params?: unknown[]): Promise<unknown>;
}

const MINING_SENDS = new Set(["eth_sendTransaction", "eth_sendRawTransaction"]);

/** Pins `provider`'s block clock until `release` is called (see the file comment). Calls do not nest. */
export async function pinBlockClock(provider: PinnableProvider): Promise<{ release(): void }> {
  const request = provider.request;
  const send = provider.send;
  const inner = (method: string, params: unknown[]) => request.call(provider, { method, params });
  const latest = async () => Number(((await inner("eth_getBlockByNumber", ["latest", false])) as { timestamp: string }).timestamp);
  let clock = await latest();
  let queue: Promise<unknown> = Promise.resolve();

  const handle = async (method: string, params: unknown[], forward: () => Promise<unknown>): Promise<unknown> => {
    if (MINING_SENDS.has(method) || (method === "evm_mine" && params.length === 0)) {
      await inner("evm_setNextBlockTimestamp", [clock + 1]);
      try {
        return await forward();
      } finally {
        // A reverted transaction is mined too (and fails afterwards); a send refused before mining leaves the pinned
        // timestamp for the next block. Either way the next pin is strictly later, and the same on every machine.
        clock += 1;
      }
    }
    const out = await forward();
    if (method === "evm_mine") clock = Number(params[0]);
    else if (method === "evm_setNextBlockTimestamp") clock = Number(params[0]) - 1;
    else if (method === "evm_revert") clock = await latest();
    return out;
  };
  // The clock's methods one at a time (a pin and its transaction must not interleave with another pair); reads pass.
  const serial = (method: string, params: unknown[], forward: () => Promise<unknown>) => {
    if (!MINING_SENDS.has(method) && !method.startsWith("evm_")) return forward();
    const run = queue.then(() => handle(method, params, forward));
    queue = run.catch(() => undefined);
    return run;
  };
  provider.request = (args) => serial(args.method, args.params ?? [], () => request.call(provider, args));
  provider.send = (method, params) => serial(method, params ?? [], () => send.call(provider, method, params));
  return {
    release() {
      provider.request = request;
      provider.send = send;
    },
  };
}
