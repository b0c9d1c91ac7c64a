/**
 * Start and stop a local anvil node (from the `@foundry-rs/anvil` npm package) on a free port.
 * Used by the ops tests and usable by hand: the node has anvil's ten funded, unlocked default accounts.
 */
import { spawn, ChildProcess } from "child_process";
import net from "net";
import path from "path";
import { JsonRpcProvider, JsonRpcSigner, TransactionRequest, TransactionResponse } from "ethers";

export interface LocalNode {
  url: string;
  port: number;
  chainId: number;
  provider: JsonRpcProvider;
  stop(): Promise<void>;
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function anvilBinary(root: string): string {
  return path.join(root, "node_modules", ".bin", "anvil");
}

/** Starts anvil and waits until it answers `eth_chainId` (timeout in ms). */
export async function startAnvil(req: {
  root: string;
  chainId?: number;
  timeoutMs?: number;
  blockTimeSeconds?: number;
  /** Fork this JSON-RPC endpoint (anvil `--fork-url`); pass the target's `chainId` too. */
  forkUrl?: string;
  /** Pin the fork to this block (default: the endpoint's latest). */
  forkBlockNumber?: number;
}): Promise<LocalNode> {
  const port = await freePort();
  const chainId = req.chainId ?? 31337;
  const args = ["--port", String(port), "--host", "127.0.0.1", "--chain-id", String(chainId), "--silent", "--code-size-limit", "49152"];
  if (req.blockTimeSeconds) args.push("--block-time", String(req.blockTimeSeconds));
  if (req.forkUrl) {
    // --no-storage-caching: a fork is a throwaway simulation; nothing of the target's state goes to disk.
    args.push("--fork-url", req.forkUrl, "--no-storage-caching", "--fork-retry-backoff", "100", "--retries", "2", "--timeout", "20000");
    if (req.forkBlockNumber !== undefined) args.push("--fork-block-number", String(req.forkBlockNumber));
  }
  const child: ChildProcess = spawn(anvilBinary(req.root), args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  child.on("exit", () => (exited = true));
  child.on("error", (e) => {
    // e.g. ENOENT: no anvil binary at this path
    stderr += `${e.message}`;
    exited = true;
  });
  const url = `http://127.0.0.1:${port}`;
  const provider = new JsonRpcProvider(url, chainId, { staticNetwork: true, polling: true, pollingInterval: 50, cacheTimeout: -1, batchMaxCount: 200 });
  const deadline = Date.now() + (req.timeoutMs ?? 30_000);
  for (;;) {
    if (exited) throw new Error(`anvil exited before answering on ${url}: ${stderr.trim()}`);
    try {
      await provider.send("eth_chainId", []);
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`anvil did not answer on ${url} within ${req.timeoutMs ?? 30_000} ms: ${stderr.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    port,
    chainId,
    provider,
    async stop() {
      provider.destroy();
      if (exited) return;
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => {
          if (!exited) child.kill("SIGKILL");
        }, 3000).unref();
      });
    },
  };
}

/**
 * A JsonRpcSigner that sends with 30% more gas than anvil estimates. anvil 1.7.1 now and then under-estimates
 * `PositionOpener.openPositions` (15 clone accounts supplying and borrowing through the Pool) and the batch runs out
 * of gas (seen: limit = used = 5,880,246, the same call passing at the previous block); padding avoids that flake.
 */
export class PaddedGasSigner extends JsonRpcSigner {
  async sendTransaction(tx: TransactionRequest): Promise<TransactionResponse> {
    if (tx.gasLimit == null) tx = { ...tx, gasLimit: ((await this.estimateGas(tx)) * 13n) / 10n };
    return super.sendTransaction(tx);
  }
}
export async function paddedSigner(provider: JsonRpcProvider, index: number): Promise<PaddedGasSigner> {
  const accounts: string[] = await provider.send("eth_accounts", []);
  return new PaddedGasSigner(provider, accounts[index]);
}
