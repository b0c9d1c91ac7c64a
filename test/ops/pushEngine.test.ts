/**
 * The push engine against a real CollateralRiskOracle on a local anvil node: refuse out-of-bounds values without
 * sending, dry run sends nothing, execute reads back, re-run is a no-op, Safe batch decodes to the same calls.
 */
import { expect } from "chai";
import hre from "hardhat";
import { Contract, Interface, JsonRpcSigner, parseEther } from "ethers";
import { LocalNode, startAnvil } from "../../scripts/ops/localNode";
import { loadCascadeAbis } from "../../scripts/ops/abis";
import { ModelParams, MODEL_PARAMS_FIELDS, modelParamsFromStruct, modelParamsToStruct } from "../../spec/modelParams";
import { ParamsOutOfBoundsError, executePlan, planPush, planToBatchCalls, renderPlan } from "../../scripts/ops/push/push";
import { buildSafeBatch, decodeSafeBatch, safeBatchSchema } from "../../scripts/ops/safeBatch";
import { captureLog, deployArtifact, fillModelParams, increaseTime, nonceOf, sampleModelParams } from "./helpers";
import { oracleAssetConfig } from "../contracts/fixtures";

const fill = fillModelParams;
const initial: ModelParams = sampleModelParams();
const HOUR = 3600;

describe("ops: params push engine on anvil (real CollateralRiskOracle)", function () {
  let node: LocalNode;
  let keeper: JsonRpcSigner;
  let oracle: Contract;
  let asset: string;
  const abis = () => loadCascadeAbis(hre.artifacts);
  const pushAbis = () => ({ oracle: abis().oracle, haircutModule: abis().haircutModule });

  before(async function () {
    await hre.run("compile", { quiet: true });
    node = await startAnvil({ root: hre.config.paths.root });
    const gov = await node.provider.getSigner(0);
    keeper = await node.provider.getSigner(1);
    const feed = await deployArtifact("MockAggregator", gov, [18, "weETH / ETH", parseEther("1.05")]);
    const weeth = await deployArtifact("MockWeEth", gov, [parseEther("1.05")]);
    const adapter = await deployArtifact("GetRateAdapter", gov, [await weeth.getAddress(), "weETH getRate()"]);
    const o = await deployArtifact("CollateralRiskOracle", gov, [await gov.getAddress()]);
    oracle = new Contract(await o.getAddress(), abis().oracle, gov);
    asset = await weeth.getAddress();
    await (
      await oracle.configureAsset(
        asset,
        oracleAssetConfig({ marketFeed: await feed.getAddress(), rateAdapter: await adapter.getAddress(), emaHalfLifeSeconds: 6 * HOUR }),
      )
    ).wait();
    const bounds = { min: fill(0), max: { ...fill(2000), navDropHaircutMultiplierBps: 20_000 }, maxStep: fill(200), minDelaySeconds: HOUR };
    await (await oracle.setModelParamsBounds(asset, bounds, modelParamsToStruct(initial))).wait();
    await (await oracle.grantRole(await oracle.RISK_KEEPER_ROLE(), await keeper.getAddress())).wait();
    await increaseTime(node.provider, HOUR + 1);
  });
  after(async () => node?.stop());

  const onChain = async () => modelParamsFromStruct((await oracle.getModelParams(asset))[0]);
  const plan = (desired: ModelParams) =>
    planPush({ runner: node.provider, addresses: { oracle: oracle.target as string }, abis: pushAbis(), targets: [{ symbol: "weETH", asset, modelParams: desired }] });

  it("refuses out-of-bounds values naming asset, field, bound and value, and sends nothing", async () => {
    const before = await nonceOf(node.provider, await keeper.getAddress());
    const p = await plan({ ...initial, knot3HaircutBps: 2500, tripDiscountBps: 600 });
    const messages = p.violations.map((v) => v.message);
    expect(messages).to.include("weETH: CollateralRiskOracle.knot3HaircutBps = 2500 violates max 2000");
    expect(messages.some((m) => m.startsWith("weETH: CollateralRiskOracle.tripDiscountBps = 600 violates maxStep 200"))).to.equal(true);
    expect(renderPlan(p)).to.match(/REFUSED: \d+ value\(s\)/);
    const { log } = captureLog();
    let thrown: unknown;
    try {
      await executePlan({ signer: keeper, plan: p, abis: pushAbis(), log });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).to.be.instanceOf(ParamsOutOfBoundsError);
    expect((thrown as Error).message).to.contain("knot3HaircutBps = 2500 violates max 2000");
    expect(await nonceOf(node.provider, await keeper.getAddress())).to.equal(before);
    expect(await onChain()).to.deep.equal(initial);
    // The contract agrees with the off-chain check: the same call reverts on-chain with the oracle's custom error.
    const reverted = await oracle
      .connect(keeper)
      .getFunction("setModelParams")
      .staticCall(asset, modelParamsToStruct({ ...initial, knot3HaircutBps: 2500 }))
      .then(() => false, () => true);
    expect(reverted).to.equal(true);
  });

  it("a valid plan sends nothing until executed; executed, it reads back; re-run is a no-op", async () => {
    const desired = { ...initial, tripDiscountBps: 350, knot3HaircutBps: 900 };
    const keeperAddr = await keeper.getAddress();
    const n0 = await nonceOf(node.provider, keeperAddr);
    const p = await plan(desired);
    expect(p.violations).to.deep.equal([]);
    expect(p.writes.map((w) => w.method)).to.deep.equal(["setModelParams"]);
    expect(p.diffs.filter((d) => d.changed).map((d) => d.field)).to.deep.equal(["tripDiscountBps", "knot3HaircutBps"]);
    expect(await nonceOf(node.provider, keeperAddr)).to.equal(n0);
    expect(await onChain()).to.deep.equal(initial);

    const cap = captureLog();
    const { txHashes } = await executePlan({ signer: keeper, plan: p, abis: pushAbis(), log: cap.log });
    expect(txHashes).to.have.length(1);
    expect(cap.text()).to.contain("read-back matches");
    expect(await nonceOf(node.provider, keeperAddr)).to.equal(n0 + 1);
    expect(await onChain()).to.deep.equal(desired);

    const again = await plan(desired);
    expect(again.writes).to.deep.equal([]);
    expect(again.violations).to.deep.equal([]);
    expect(renderPlan(again)).to.contain("No differences");
    await executePlan({ signer: keeper, plan: again, abis: pushAbis(), log: cap.log });
    expect(await nonceOf(node.provider, keeperAddr)).to.equal(n0 + 1);
  });

  it("refuses a push before the minimum delay (the contract's OracleParamsUpdateTooSoon), naming the bound", async () => {
    const p = await plan({ ...initial, tripDiscountBps: 360, knot3HaircutBps: 900 });
    expect(p.violations.map((v) => [v.asset, v.field, v.bound])).to.deep.equal([["weETH", "(update)", "minDelaySeconds"]]);
  });

  it("refuses when the signer lacks RISK_KEEPER_ROLE, before sending anything", async () => {
    await increaseTime(node.provider, HOUR + 1);
    const stranger = await node.provider.getSigner(5);
    const p = await plan({ ...initial, tripDiscountBps: 400, knot3HaircutBps: 900 });
    const n0 = await nonceOf(node.provider, await stranger.getAddress());
    const err = await executePlan({ signer: stranger, plan: p, abis: pushAbis(), log: () => {} }).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/does not hold RISK_KEEPER_ROLE/);
    expect(await nonceOf(node.provider, await stranger.getAddress())).to.equal(n0);
  });

  it("a Safe batch matches the Transaction Builder format and decodes with the oracle ABI to the same calls", async () => {
    const p = await plan({ ...initial, tripDiscountBps: 400, knot3HaircutBps: 950 });
    expect(p.violations).to.deep.equal([]);
    const batch = buildSafeBatch({ chainId: p.chainId, name: "push", description: "test", calls: planToBatchCalls(p), createdAtMs: Date.now() });
    const json = JSON.parse(JSON.stringify(batch));
    expect(safeBatchSchema.safeParse(json).success).to.equal(true);
    expect(json.chainId).to.equal(String(node.chainId));
    const { calls } = decodeSafeBatch(json, [new Interface(abis().oracle)], "batch.json");
    expect(calls).to.have.length(p.writes.length);
    calls.forEach((c, i) => {
      const w = p.writes[i];
      expect(c.to).to.equal(w.to);
      expect(c.name).to.equal(w.method);
      expect(c.args[0]).to.equal(w.args[0]);
      expect((c.args[1] as bigint[]).map(Number)).to.deep.equal(w.args[1]);
    });
    // The batch's calldata, sent by the role holder, lands the same state the plan describes.
    await (await keeper.sendTransaction({ to: calls[0].to, data: calls[0].data })).wait();
    expect(await onChain()).to.deep.equal({ ...initial, tripDiscountBps: 400, knot3HaircutBps: 950 });
  });
});
