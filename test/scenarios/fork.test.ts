/**
 * Fork mode, offline: anvil holds an Aave v3.0.2 replica whose governance (ACL admin, addresses-provider owner) sits
 * at `AaveV3Ethereum.ACL_ADMIN`, the address the fork path impersonates on mainnet; the deployer gives up every Aave
 * role. Then `FORK_URL=<anvil> npx hardhat scenario:replay ...` forks anvil, probes the Aave version, impersonates
 * the ACL admin to grant roles and install the guard, points the collateral's AaveOracle source at a scenario feed
 * and replays baseline vs protected. A true mainnet fork needs an archive RPC URL instead of anvil.
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
import { addressOf } from "../../scripts/aave";
import { loadScenario } from "../../scripts/replay/loader";
import type { ReplayResult } from "../../scripts/replay/types";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "..", "..");
const ZERO_HASH = "0x" + "00".repeat(32);

describe("fork mode (FORK_URL) against a replica on anvil", function () {
  let anvil: AnvilHandle;
  let provider: JsonRpcProvider;
  let result: ReplayResult;
  let stderr = "";
  let providerAddress = "";

  before(async function () {
    anvil = await startAnvil();
    provider = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    const deployer = await provider.getSigner(0);
    const me = await deployer.getAddress();
    const replica = await deployReplicaMarket({ deployer, aave: "3.0", withoutDex: true });
    providerAddress = await addressOf(replica.aave.addressesProvider);
    // Governance moves to the mainnet ACL admin's address; the deployer keeps no Aave role.
    const gov = AaveV3Ethereum.ACL_ADMIN;
    const acl = new Contract(
      await addressOf(replica.aave.aclManager),
      [
        "function grantRole(bytes32,address)",
        "function renounceRole(bytes32,address)",
        "function removePoolAdmin(address)",
        "function removeEmergencyAdmin(address)",
        "function removeAssetListingAdmin(address)",
        "function hasRole(bytes32,address) view returns (bool)",
        "function isPoolAdmin(address) view returns (bool)",
      ],
      deployer,
    );
    await (await acl.grantRole(ZERO_HASH, gov)).wait();
    await (await acl.removePoolAdmin(me)).wait();
    await (await acl.removeEmergencyAdmin(me)).wait();
    await (await acl.removeAssetListingAdmin(me)).wait();
    await (await acl.renounceRole(ZERO_HASH, me)).wait();
    const ap = new Contract(providerAddress, ["function setACLAdmin(address)", "function transferOwnership(address)", "function owner() view returns (address)"], deployer);
    await (await ap.setACLAdmin(gov)).wait();
    await (await ap.transferOwnership(gov)).wait();
    expect(await acl.isPoolAdmin(me)).to.equal(false);
    expect(await acl.hasRole(ZERO_HASH, me)).to.equal(false);
    expect(await ap.owner()).to.equal(gov);

    // A short slash scenario (bundled one, fewer positions and steps) keeps the fork run quick.
    const s = loadScenario("synthetic-correlated-slash").scenario;
    // 24 of the scenario's positions at the scenario's own sizes (total collateral scaled with the count: the full
    // total over 24 positions makes each one ~6x larger, and its liquidation's sale into the 15,000-token pool no
    // longer pays, so nobody is liquidated).
    const small = { ...s, id: "fork-slash", positions: { ...s.positions, count: 24, totalCollateral: (s.positions.totalCollateral * 24) / s.positions.count }, stepSeconds: 900 };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cg-fork-"));
    const file = path.join(dir, "fork-slash.json");
    fs.writeFileSync(file, JSON.stringify(small));
    const out = await run("npx", ["hardhat", "scenario:replay", "--scenario", file, "--json", "--out", dir], {
      cwd: ROOT,
      env: { ...process.env, FORK_URL: anvil.url, FORK_POOL_ADDRESSES_PROVIDER: providerAddress },
      maxBuffer: 64 * 1024 * 1024,
    });
    stderr = out.stderr;
    result = JSON.parse(out.stdout);
    expect(fs.existsSync(path.join(dir, "fork-slash.md"))).to.equal(true);
  });

  after(async function () {
    provider?.destroy();
    await anvil?.stop();
  });

  it("ran in fork mode on the detected Aave v3.0 market, through the impersonated ACL admin", function () {
    expect(result.mode).to.equal("fork");
    expect(stderr).to.include("Aave v3.0");
    expect(stderr).to.include(AaveV3Ethereum.ACL_ADMIN);
    expect(result.runs.map((r) => r.run)).to.deep.equal(["baseline", "protected"]);
  });

  it("replays the slash: baseline liquidates, the protected guard never pauses and the haircut widens", function () {
    const [b, p] = result.runs;
    expect(b.liquidations).to.be.greaterThan(0);
    expect(p.pausedSeconds).to.equal(0);
    expect(p.minLtvBps).to.be.lessThan(p.timeline[0].ltvBps);
    expect(p.guardLimits).to.not.equal(null);
  });
});
