import { expect } from "chai";
import hre from "hardhat";
import { Contract } from "ethers";
import { LocalNode, startAnvil } from "../../scripts/ops/localNode";
import { sendBackToBack, sendLogged, waitChecked } from "../../scripts/ops/tx";
import { applyModelParamsBounds } from "../../scripts/ops/deploy";
import { KEEPER_GAS_FLOOR } from "../../scripts/ops/keeper";
import { modelParamsFromStruct, modelParamsToStruct } from "../../spec/modelParams";
import { deployArtifact, fillModelParams, sampleModelParams } from "./helpers";
import { oracleAssetConfig } from "../contracts/fixtures";

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

/**
 * The flaky `cascade:deploy` run (non-admin deployer: `setModelParamsBounds` reverted on anvil right after its static
 * call passed, no reason). anvil gives consecutive blocks mined within one wall-clock second the same timestamp, and
 * `eth_estimateGas` runs in that second's block context. The oracle stores `updatedAt = block.timestamp` next to
 * the params in one slot: re-sending the same params in the same second is a no-op write (100 gas), one second
 * later it changes the slot (2,900 gas). ethers sends with the bare estimate as the gas limit, so a transaction
 * estimated in the second of the previous write and mined in the next runs out of gas. The same holds for any call
 * whose gas depends on block.timestamp (a second oracle poke in one block returns early: a keeper's guard.trip right
 * after its haircut.poke). Here the ordering is forced: the estimate is pinned to the previous write's timestamp
 * (evm_setNextBlockTimestamp, automine off) and the block is mined ten seconds later.
 */
describe("ops: a transaction mined in a later second than its gas estimate still goes through", function () {
  this.timeout(120_000);
  let node: LocalNode;

  before(async function () {
    await hre.run("compile", { quiet: true });
    node = await startAnvil({ root: hre.config.paths.root });
  });
  after(async () => node?.stop());

  /** Runs `action` with its gas estimate taken at timestamp `t` and its transaction mined at `t + 10`. */
  async function estimateAtThenMineLater<T>(t: number, action: () => Promise<T>): Promise<T> {
    await node.provider.send("evm_setNextBlockTimestamp", [t]);
    await node.provider.send("evm_setAutomine", [false]);
    try {
      let settled = false;
      const p = action().finally(() => (settled = true));
      for (;;) {
        const pending = await node.provider.send("eth_getBlockByNumber", ["pending", false]);
        if (pending.transactions.length > 0 || settled) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await node.provider.send("evm_setNextBlockTimestamp", [t + 10]);
      await node.provider.send("evm_mine", []);
      return await p;
    } finally {
      await node.provider.send("evm_setAutomine", [true]);
    }
  }

  async function oracleWithAsset() {
    const governance = await node.provider.getSigner(0);
    const me = await governance.getAddress();
    const oracle = (await deployArtifact("CollateralRiskOracle", governance, [me])) as unknown as Contract;
    const feed = await deployArtifact("MockAggregator", governance, [18, "LRT / ETH", 10n ** 18n]);
    const source = await deployArtifact("MockWeEth", governance, [10n ** 18n]);
    const adapter = await deployArtifact("GetRateAdapter", governance, [await source.getAddress(), "getRate()"]);
    const asset = "0x000000000000000000000000000000000000dEaD";
    await (
      await oracle.configureAsset(
        asset,
        oracleAssetConfig({ marketFeed: await feed.getAddress(), rateAdapter: await adapter.getAddress(), minRateWad: 10n ** 17n, maxRateWad: 10n ** 19n }),
      )
    ).wait();
    return { oracle, asset, governance };
  }

  it("cascade:deploy's bounds write, estimated in the second of the default bounds write", async () => {
    const { oracle, asset } = await oracleWithAsset();
    const params = sampleModelParams();
    const defaults = { min: fillModelParams(0), max: { ...fillModelParams(10_000), navDropHaircutMultiplierBps: 30_000 }, maxStep: fillModelParams(100), minDelaySeconds: 86_400 };
    const struct = (b: typeof defaults) => ({ min: modelParamsToStruct(b.min), max: modelParamsToStruct(b.max), maxStep: modelParamsToStruct(b.maxStep), minDelaySeconds: b.minDelaySeconds });
    // deployCascadeGuard's write of its default bounds, then the config's bounds with the same params.
    const first = await (await oracle.setModelParamsBounds(asset, struct(defaults), modelParamsToStruct(params))).wait();
    const t = (await node.provider.getBlock(first.blockNumber))!.timestamp;
    const wanted = { ...defaults, max: { ...fillModelParams(3000), navDropHaircutMultiplierBps: 30_000 } };
    const sent = await estimateAtThenMineLater(t, () =>
      applyModelParamsBounds({ oracle, asset, bounds: wanted, params, label: "LRT", errorInterfaces: [oracle.interface], configField: "config: field assets.0.modelParamsBounds" }),
    );
    expect(sent).to.equal(true);
    expect(modelParamsFromStruct((await oracle.getModelParamsBounds(asset)).max).knot3HaircutBps).to.equal(3000);
    expect(Number((await oracle.getModelParams(asset))[1])).to.equal(t + 10);
  });

  it("a keeper poke estimated in the block second of the previous poke (the oracle returns early there; the keeper's gas floor)", async () => {
    const { oracle, asset, governance } = await oracleWithAsset();
    const first = await (await oracle.poke(asset)).wait();
    const t = (await node.provider.getBlock(first.blockNumber))!.timestamp;
    const lines: string[] = [];
    const out = await estimateAtThenMineLater(t, () =>
      sendLogged({ contract: oracle.connect(governance) as Contract, method: "poke", args: [asset], label: "oracle.poke", log: (l) => lines.push(l), skipStaticCall: true, gasFloor: KEEPER_GAS_FLOOR }),
    );
    expect(out.status, lines.join("\n")).to.equal("sent");
    expect(Number((await oracle.getAssetState(asset)).lastPokeAt)).to.equal(t + 10);
  });
});

describe("ops: sendBackToBack (the keeper's pair)", function () {
  this.timeout(120_000);
  let node: LocalNode;
  let oracle: Contract;
  let asset: string;

  before(async function () {
    await hre.run("compile", { quiet: true });
    node = await startAnvil({ root: hre.config.paths.root });
    const governance = await node.provider.getSigner(0);
    oracle = (await deployArtifact("CollateralRiskOracle", governance, [await governance.getAddress()])) as unknown as Contract;
    const feed = await deployArtifact("MockAggregator", governance, [18, "LRT / ETH", 10n ** 18n]);
    const source = await deployArtifact("MockWeEth", governance, [10n ** 18n]);
    const adapter = await deployArtifact("GetRateAdapter", governance, [await source.getAddress(), "getRate()"]);
    asset = await source.getAddress();
    await (await oracle.configureAsset(asset, oracleAssetConfig({ marketFeed: await feed.getAddress(), rateAdapter: await adapter.getAddress() }))).wait();
  });
  after(async () => node?.stop());

  const unknownAsset = "0x000000000000000000000000000000000000bEEF";

  it("a first call that cannot be sent stops the pair: nothing is sent, both outcomes say why", async () => {
    const signer = await node.provider.getSigner(2);
    const nonce = await signer.getNonce();
    const lines: string[] = [];
    const as = oracle.connect(signer) as Contract;
    const [a, b] = await sendBackToBack({
      signer,
      calls: [
        { contract: as, method: "poke", args: [unknownAsset], label: "first" },
        { contract: as, method: "poke", args: [asset], label: "second" },
      ],
      log: (l) => lines.push(l),
      errorInterfaces: [oracle.interface],
      gasFloor: KEEPER_GAS_FLOOR,
    });
    expect(a.ok).to.equal(false);
    expect(a.error).to.match(/^not sent: OracleUnknownAsset\(/);
    expect(b.ok).to.equal(false);
    expect(b.error).to.match(/earlier call of the pair was not sent/);
    expect(await signer.getNonce()).to.equal(nonce);
    expect(lines.join("\n")).to.match(/✗ first: not sent: OracleUnknownAsset/);
  });

  it("a second call that cannot be sent leaves the first sent and mined", async () => {
    const signer = await node.provider.getSigner(2);
    const nonce = await signer.getNonce();
    const as = oracle.connect(signer) as Contract;
    const [a, b] = await sendBackToBack({
      signer,
      calls: [
        { contract: as, method: "poke", args: [asset], label: "first" },
        { contract: as, method: "poke", args: [unknownAsset], label: "second" },
      ],
      log: () => undefined,
      errorInterfaces: [oracle.interface],
      gasFloor: KEEPER_GAS_FLOOR,
    });
    expect(a.status).to.equal("sent");
    expect(b.ok).to.equal(false);
    expect(b.error).to.match(/^not sent: OracleUnknownAsset\(/);
    expect(await signer.getNonce()).to.equal(nonce + 1);
  });
});
