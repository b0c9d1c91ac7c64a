/**
 * Starts a throwaway anvil node (from `@foundry-rs/anvil`) on a free port for tests that need a real JSON-RPC
 * node; `stop()` kills exactly the process group this helper started.
 */
import { spawn, type ChildProcess } from "child_process";
import net from "net";
import path from "path";

export interface AnvilHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function rpcReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`anvil at ${url} did not answer within ${timeoutMs} ms`);
}

export async function startAnvil(): Promise<AnvilHandle> {
  const port = await freePort();
  const bin = path.join(__dirname, "..", "..", "node_modules", ".bin", "anvil");
  const child: ChildProcess = spawn(bin, ["--port", String(port), "--silent"], { detached: true, stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  try {
    await rpcReady(url, 30_000);
  } catch (err) {
    if (child.pid) process.kill(-child.pid, "SIGTERM");
    throw err;
  }
  return {
    url,
    port,
    async stop() {
      if (child.pid && child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        process.kill(-child.pid, "SIGTERM");
        await exited;
      }
    },
  };
}
