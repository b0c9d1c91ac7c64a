/**
 * Fork mode on a mainnet-shaped Aave v3.6 chain, offline: anvil holds the v3.6 core (compiled from source) at the Aave
 * v3 Ethereum Core address-book addresses, with the replica's reserves and mainnet's liquid-eMode layout; governance
 * (ACL admin, provider owner) sits at `AaveV3Ethereum.ACL_ADMIN`. Then `FORK_URL=<anvil> scenario:replay` finds the
 * market through the address book (no FORK_POOL_ADDRESSES_PROVIDER), probes v3.1-v3.6, impersonates the admins and
 * installs the guard through the grace-period adapter.
 */
import { expect } from "chai";
import { execFile } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { promisify } from "util";
import { AaveV3Ethereum } from "@aave-dao/aave-address-book";
import { Contract, JsonRpcProvider } from "ethers";
import { startAnvil, type AnvilHandle } from "../shared/anvil";
import { deployReplicaMarket } from "../../scripts/markets/replica";
import { deployAaveV36AtAddressBook } from "../../scripts/markets/fork/mainnetShaped";
import { loadScenario } from "../../scripts/replay/loader";
import type { ReplayResult } from "../../scripts/replay/types";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "..", "..");
const ZERO_HASH = "0x" + "00".repeat(32);

describe("fork mode against a mainnet-shaped Aave v3.6 on anvil", function () {
  let anvil: AnvilHandle;
  let provider: JsonRpcProvider;
  let result: ReplayResult;
  let stderr = "";

  before(async function () {
    anvil = await startAnvil();
    provider = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    const deployer = await provider.getSigner(0);
    const me = await deployer.getAddress();
    const core = await deployAaveV36AtAddressBook({ deployer, rpc: (m, p) => provider.send(m, p) });
    const replica = await deployReplicaMarket({ deployer, core, withoutDex: true });
    expect(await replica.aave.pool.getAddress()).to.equal(AaveV3Ethereum.POOL);
    // Governance moves to the mainnet ACL admin's address; the deployer keeps no Aave role.
    const gov = AaveV3Ethereum.ACL_ADMIN;
    const acl = new Contract(
      AaveV3Ethereum.ACL_MANAGER,
      [
        "function grantRole(bytes32,address)",
        "function renounceRole(bytes32,address)",
        "function removePoolAdmin(address)",
        "function removeEmergencyAdmin(address)",
        "function removeAssetListingAdmin(address)",
        "function isPoolAdmin(address) view returns (bool)",
      ],
      deployer,
    );
    await (await acl.grantRole(ZERO_HASH, gov)).wait();
    await (await acl.removePoolAdmin(me)).wait();
    await (await acl.removeEmergencyAdmin(me)).wait();
    await (await acl.removeAssetListingAdmin(me)).wait();
    await (await acl.renounceRole(ZERO_HASH, me)).wait();
    const ap = new Contract(AaveV3Ethereum.POOL_ADDRESSES_PROVIDER, ["function setACLAdmin(address)", "function transferOwnership(address)"], deployer);
    await (await ap.setACLAdmin(gov)).wait();
    await (await ap.transferOwnership(gov)).wait();
    expect(await acl.isPoolAdmin(me)).to.equal(false);

    const s = loadScenario("synthetic-correlated-slash").scenario;
    // 24 of the scenario's positions at the scenario's own sizes (total collateral scaled with the count: the full
    // total over 24 positions makes each one ~6x larger, and its liquidation's sale into the 15,000-token pool no
    // longer pays, so nobody is liquidated).
    const small = { ...s, id: "fork36-slash", positions: { ...s.positions, count: 24, totalCollateral: (s.positions.totalCollateral * 24) / s.positions.count }, stepSeconds: 900 };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cg-fork36-"));
    const file = path.join(dir, "fork36-slash.json");
    fs.writeFileSync(file, JSON.stringify(small));
    const env: NodeJS.ProcessEnv = { ...process.env, FORK_URL: anvil.url };
    delete env.FORK_POOL_ADDRESSES_PROVIDER;
    const out = await run("npx", ["hardhat", "scenario:replay", "--scenario", file, "--json", "--out", dir], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    stderr = out.stderr;
    result = JSON.parse(out.stdout);
  });

  after(async function () {
    provider?.destroy();
    await anvil?.stop();
  });

  it("found Aave through the address book, probed v3.1-v3.6 (POOL_REVISION 10) and impersonated the ACL admin", function () {
    expect(result.mode).to.equal("fork");
    expect(result.aaveVersion).to.equal("v3.1+");
    expect(stderr).to.include("POOL_REVISION 10");
    expect(stderr).to.include("eMode ABI v3.2");
    expect(stderr).to.include(AaveV3Ethereum.POOL_ADDRESSES_PROVIDER);
    expect(stderr).to.include(AaveV3Ethereum.ACL_ADMIN);
  });

  it("replays the slash on v3.6: baseline liquidates, the protected guard never pauses, deficit is reported", function () {
    const [b, p] = result.runs;
    expect(b.liquidations).to.be.greaterThan(0);
    expect(p.pausedSeconds).to.equal(0);
    expect(p.guardLimits).to.not.equal(null);
    for (const r of result.runs) expect(r.reserveDeficitEth).to.be.a("number");
  });
});
