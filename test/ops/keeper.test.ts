/**
 * The keeper against a real CollateralRiskOracle on anvil: pokes only when the state would change, logs a call
 * that would revert instead of sending it, and carries on with the next asset.
 */
import { expect } from "chai";
import hre from "hardhat";
import { Contract, JsonRpcSigner, parseEther } from "ethers";
import { LocalNode, startAnvil } from "../../scripts/ops/localNode";
import { loadCascadeAbis } from "../../scripts/ops/abis";
import { keeperLoop, keeperRound } from "../../scripts/ops/keeper";
import { captureLog, deployArtifact, increaseTime, nonceOf } from "./helpers";
import { oracleAssetConfig } from "../contracts/fixtures";

const HOUR = 3600;

describe("ops: keeper on anvil (real CollateralRiskOracle)", function () {
  let node: LocalNode;
  let poker: JsonRpcSigner;
  let oracle: Contract;
  const feeds: Record<string, Contract> = {};
  const assets: Record<string, string> = {};
  const abis = () => loadCascadeAbis(hre.artifacts);

  before(async function () {
    await hre.run("compile", { quiet: true });
    node = await startAnvil({ root: hre.config.paths.root });
    const gov = await node.provider.getSigner(0);
    poker = await node.provider.getSigner(3);
    const o = await deployArtifact("CollateralRiskOracle", gov, [await gov.getAddress()]);
    oracle = new Contract(await o.getAddress(), abis().oracle, gov);
    for (const symbol of ["weETH", "ezETH"]) {
      const feed = await deployArtifact("MockAggregator", gov, [18, `${symbol} / ETH`, parseEther("1.04")]);
      const rate = await deployArtifact("MockWeEth", gov, [parseEther("1.04")]);
      const adapter = await deployArtifact("GetRateAdapter", gov, [await rate.getAddress(), `${symbol} getRate()`]);
      feeds[symbol] = new Contract(await feed.getAddress(), ["function setAnswer(int256)", "function setUpdatedAt(uint256)"], gov);
      assets[symbol] = await rate.getAddress();
      await (
        await oracle.configureAsset(
          assets[symbol],
          oracleAssetConfig({
            marketFeed: await feed.getAddress(),
            rateAdapter: await adapter.getAddress(),
            marketHeartbeatSeconds: 6 * HOUR,
            navHighWindowSeconds: 86_400,
          }),
        )
      ).wait();
    }
  });
  after(async () => node?.stop());

  const round = async () => {
    const cap = captureLog();
    const actions = await keeperRound({ signer: poker, addresses: { oracle: oracle.target as string }, abis: abis(), log: cap.log, symbols: { [assets.weETH]: "weETH", [assets.ezETH]: "ezETH" } });
    return { actions, text: cap.text() };
  };
  const statusOf = (actions: Awaited<ReturnType<typeof round>>["actions"], symbol: string) => actions.find((a) => a.symbol === symbol && a.action === "oracle.poke")!.outcome.status;

  it("pokes a never-poked asset, then skips while nothing would change (idempotent)", async () => {
    const first = await round();
    expect(statusOf(first.actions, "weETH")).to.equal("sent");
    expect(statusOf(first.actions, "ezETH")).to.equal("sent");
    expect(first.text).to.match(/✓ weETH oracle\.poke: tx 0x[0-9a-f]{64} block \d+ gas \d+/);
    const n = await nonceOf(node.provider, await poker.getAddress());
    await increaseTime(node.provider, 60);
    const second = await round();
    expect(statusOf(second.actions, "weETH")).to.equal("skipped-noop");
    expect(second.text).to.contain("weETH oracle.poke: skipped (state would not change)");
    expect(await nonceOf(node.provider, await poker.getAddress())).to.equal(n);
  });

  it("pokes when the market price moves and the level changes", async () => {
    await (await feeds.weETH.setAnswer(parseEther("1.04") * 9_700n / 10_000n)).wait();
    await increaseTime(node.provider, 60);
    const r = await round();
    expect(statusOf(r.actions, "weETH")).to.equal("sent");
    expect(statusOf(r.actions, "ezETH")).to.equal("skipped-noop");
    const st = await oracle.getAssetState(assets.weETH);
    expect(Number(st.discountBps)).to.be.within(299, 301);
    expect(Number(st.level)).to.be.greaterThan(0);
  });

  it("a stale market feed no longer makes the poke revert: it is sent and recorded as marketStale", async () => {
    const ts = (await node.provider.getBlock("latest"))!.timestamp;
    await (await feeds.weETH.setUpdatedAt(ts - 7 * HOUR)).wait();
    await (await feeds.ezETH.setAnswer(parseEther("1.04") * 9_800n / 10_000n)).wait();
    await increaseTime(node.provider, 60);
    const r = await round();
    expect(statusOf(r.actions, "weETH")).to.equal("sent");
    expect(statusOf(r.actions, "ezETH")).to.equal("sent");
    expect((await oracle.getAssetState(assets.weETH)).marketStale).to.equal(true);
  });

  it("logs a call that would revert, sends nothing for it", async () => {
    const { sendLogged } = await import("../../scripts/ops/tx");
    const cap = captureLog();
    const n = await nonceOf(node.provider, await poker.getAddress());
    const unknown = "0x000000000000000000000000000000000000dEaD";
    const out = await sendLogged({ contract: oracle.connect(poker) as Contract, method: "poke", args: [unknown], label: "weETH oracle.poke", log: cap.log });
    expect(out.status).to.equal("reverted-static");
    expect(cap.text()).to.match(/weETH oracle\.poke: would revert: OracleUnknownAsset\(0x[0-9a-fA-F]{40}\) \(not sent\)/);
    expect(await nonceOf(node.provider, await poker.getAddress())).to.equal(n);
  });

  it("a transaction that fails on-chain is logged and returned, not thrown", async () => {
    const { sendLogged } = await import("../../scripts/ops/tx");
    const cap = captureLog();
    const n = await nonceOf(node.provider, await poker.getAddress());
    const unknown = "0x000000000000000000000000000000000000dEaD";
    // A fixed gas limit skips estimation, so the reverting poke is mined and fails (status 0).
    const out = await sendLogged({ contract: oracle.connect(poker) as Contract, method: "poke", args: [unknown], label: "dead poke", log: cap.log, skipStaticCall: true, overrides: { gasLimit: 200_000n } });
    expect(out.status).to.equal("failed");
    expect(out.txHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(cap.text()).to.match(/✗ dead poke: transaction 0x[0-9a-f]{64} failed in block \d+/);
    expect(await nonceOf(node.provider, await poker.getAddress())).to.equal(n + 1);
    // The same call through the keeper's normal path is caught by the static call and never sent.
    const again = await sendLogged({ contract: oracle.connect(poker) as Contract, method: "poke", args: [unknown], label: "dead poke", log: cap.log });
    expect(again.status).to.equal("reverted-static");
    expect(again.error).to.equal(`OracleUnknownAsset(${unknown})`);
    expect(await nonceOf(node.provider, await poker.getAddress())).to.equal(n + 1);
  });

  it("the loop survives a round that throws and keeps going", async () => {
    const cap = captureLog();
    let calls = 0;
    const flaky = new Proxy(poker, {
      get(target, prop, receiver) {
        // First round: the signer's provider is unreachable for this round only.
        if (prop === "provider" && calls++ === 0) throw new Error("connection refused (simulated RPC outage)");
        return Reflect.get(target, prop, receiver);
      },
    });
    await keeperLoop({ signer: flaky, addresses: { oracle: oracle.target as string }, abis: abis(), log: cap.log, intervalSeconds: 0.01, once: false, maxRounds: 2 });
    expect(cap.text()).to.contain("simulated RPC outage");
    expect(cap.text()).to.match(/keeper round 2 /);
  });
});
