import { expect } from "chai";
import { execFile } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { promisify } from "util";
import { JsonRpcProvider } from "ethers";
import { startAnvil, type AnvilHandle } from "../shared/anvil";
import { REPLICA_BOOK_SCHEMA } from "../../spec/formats";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "..", "..");

/** Every 20-byte hex string in a JSON value, with its path. */
function addresses(node: unknown, at = ""): Array<[string, string]> {
  if (typeof node === "string") return /^0x[0-9a-fA-F]{40}$/.test(node) ? [[at, node]] : [];
  if (Array.isArray(node)) return node.flatMap((v, i) => addresses(v, `${at}[${i}]`));
  if (node && typeof node === "object") return Object.entries(node).flatMap(([k, v]) => addresses(v, at ? `${at}.${k}` : k));
  return [];
}

describe("replica:deploy --network localhost against a running anvil", function () {
  let anvil: AnvilHandle;
  let book: Record<string, any>;
  let provider: JsonRpcProvider;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "replica-deploy-")), "localhost.json");

  before(async () => {
    anvil = await startAnvil();
    provider = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true });
    // an unrelated section written by another task must survive
    fs.writeFileSync(out, JSON.stringify({ cascadeGuard: { keep: "me" } }));
    await run("npx", ["hardhat", "replica:deploy", "--network", "localhost", "--positions", "20", "--out", out], {
      cwd: ROOT,
      env: { ...process.env, LOCAL_RPC_URL: anvil.url },
      maxBuffer: 10 * 1024 * 1024,
    });
    book = JSON.parse(fs.readFileSync(out, "utf8"));
  });

  after(async () => {
    provider?.destroy();
    await anvil?.stop();
  });

  it("writes the replica section and keeps the other sections", () => {
    expect(book.cascadeGuard).to.deep.equal({ keep: "me" });
    expect(book.replica.schema).to.equal(REPLICA_BOOK_SCHEMA);
    expect(book.replica, "the id sits under schema only").to.not.have.property("format");
    expect(book.replica.network).to.equal("localhost");
    expect(book.replica.chainId).to.equal(31337);
  });

  it("is complete: Aave core, every reserve's tokens, strategy, price sources, DEX pool, population and Cascade Guard", () => {
    const r = book.replica;
    for (const k of ["PoolAddressesProvider", "ACLManager", "Pool", "PoolImpl", "PoolConfigurator", "PoolConfiguratorImpl", "AaveOracle", "AaveProtocolDataProvider", "ATokenImpl", "StableDebtTokenImpl", "VariableDebtTokenImpl"]) {
      expect(r.aave[k], `aave.${k}`).to.match(/^0x[0-9a-fA-F]{40}$/);
    }
    // default --aave 3.6: six external libraries, no stable debt (StableDebtTokenImpl is the zero address)
    expect(r.aaveVersion).to.equal("3.6");
    expect(Object.keys(r.aave.libraries)).to.have.length(6);
    expect(Object.keys(r.assets)).to.have.members(["WETH", "wstETH", "weETH", "ezETH", "rsETH", "osETH", "pufETH"]);
    for (const [symbol, a] of Object.entries<any>(r.assets)) {
      for (const k of ["token", "aToken", "variableDebtToken", "interestRateStrategy", "priceSource"]) {
        expect(a[k], `${symbol}.${k}`).to.match(/^0x[0-9a-fA-F]{40}$/);
      }
      if (symbol !== "WETH") {
        for (const k of ["rateProvider", "marketFeed", "marketPriceSource", "exchangeRatePriceSource", "dexPool"]) {
          expect(a[k], `${symbol}.${k}`).to.match(/^0x[0-9a-fA-F]{40}$/);
        }
      }
    }
    expect(r.population.accounts).to.have.length(20);
    for (const k of ["riskOracle", "pauseGuard", "graceAdapter"]) expect(r.cascadeGuard[k]).to.match(/^0x[0-9a-fA-F]{40}$/);
  });

  it("every contract address in the book has code on the node (EOAs: deployer and treasury only)", async () => {
    const eoas = new Set([book.replica.deployer.toLowerCase()]);
    const all = addresses(book.replica);
    expect(all.length).to.be.greaterThan(80);
    for (const [at, a] of all) {
      if (eoas.has(a.toLowerCase()) || at === "aave.Treasury" || /^0x0{40}$/.test(a)) continue;
      expect(await provider.getCode(a), at).to.not.equal("0x");
    }
  });

  it("re-running is a no-op while the replica is live; --force deploys a new one", async () => {
    const env = { ...process.env, LOCAL_RPC_URL: anvil.url };
    const again = await run("npx", ["hardhat", "replica:deploy", "--network", "localhost", "--out", out], { cwd: ROOT, env });
    expect(again.stdout).to.contain("nothing to do");
    expect(JSON.parse(fs.readFileSync(out, "utf8")).replica.deployedAt).to.equal(book.replica.deployedAt);
    await run("npx", ["hardhat", "replica:deploy", "--network", "localhost", "--out", out, "--force", "--skip-guard"], { cwd: ROOT, env });
    const fresh = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(fresh.replica.aave.Pool).to.not.equal(book.replica.aave.Pool);
    expect(fresh.replica.cascadeGuard).to.equal(undefined);
    expect(fresh.cascadeGuard).to.deep.equal({ keep: "me" });
  });

  it("the Pool on the node lists exactly the book's reserves; on v3.6 the grace adapter holds EMERGENCY_ADMIN and no sentinel is set", async () => {
    const r = book.replica;
    const pool = new (await import("ethers")).Contract(r.aave.Pool, ["function getReservesList() view returns (address[])"], provider);
    expect((await pool.getReservesList()).map((x: string) => x.toLowerCase())).to.have.members(
      Object.values<any>(r.assets).map((a) => a.token.toLowerCase()),
    );
    const { Contract, ZeroAddress } = await import("ethers");
    const ap = new Contract(r.aave.PoolAddressesProvider, ["function getPriceOracleSentinel() view returns (address)"], provider);
    expect(await ap.getPriceOracleSentinel()).to.equal(ZeroAddress);
    expect(r.cascadeGuard.sentinelInstalled).to.equal(false);
    const acl = new Contract(r.aave.ACLManager, ["function isEmergencyAdmin(address) view returns (bool)"], provider);
    expect(await acl.isEmergencyAdmin(r.cascadeGuard.graceAdapter)).to.equal(true);
  });
});
