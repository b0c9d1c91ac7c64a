import { expect } from "chai";
import hre from "hardhat";
import { Contract } from "ethers";
import { LocalNode, startAnvil } from "../../scripts/ops/localNode";
import { waitChecked } from "../../scripts/ops/tx";
import { deployArtifact, sampleModelParams } from "./helpers";

// On anvil (as on a real node) a reverting transaction sent with a fixed gas limit is mined and fails on-chain;
// the in-process Hardhat network would reject it at send time instead.
describe("ops: waitChecked (a transaction that fails on-chain says why)", function () {
  this.timeout(120_000);
  let node: LocalNode;
  let oracle: Contract;

  before(async function () {
    await hre.run("compile", { quiet: true });
    node = await startAnvil({ root: hre.config.paths.root });
    const governance = await node.provider.getSigner(0);
    oracle = (await deployArtifact("CollateralRiskOracle", governance, [await governance.getAddress()])) as unknown as Contract;
  });
  after(async () => node?.stop());

  it("names the decoded revert of a mined, failed transaction", async () => {
    const stranger = await node.provider.getSigner(1);
    const asStranger = oracle.connect(stranger) as Contract;
    const err = await waitChecked(
      "setModelParams",
      asStranger.setModelParams(await oracle.getAddress(), sampleModelParams(), { gasLimit: 300_000 }),
      [oracle.interface],
    ).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.match(/^setModelParams: transaction 0x[0-9a-f]{64} reverted in block \d+ \(gas used \d+ of 300000\): AccessControlUnauthorizedAccount\(/);
  });

  it("returns the receipt of a successful transaction", async () => {
    const governance = await node.provider.getSigner(0);
    const role = await oracle.RISK_KEEPER_ROLE();
    const receipt = await waitChecked("grantRole", (oracle.connect(governance) as Contract).grantRole(role, await governance.getAddress()), [oracle.interface]);
    expect(receipt.status).to.equal(1);
    expect(await oracle.hasRole(role, await governance.getAddress())).to.equal(true);
  });
});
