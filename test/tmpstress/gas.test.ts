import hre from "hardhat";
import { ContractFactory } from "ethers";
import { startAnvil } from "../../scripts/ops/localNode";
import { defaultBounds, defaultParams, HOUR, DAY } from "../contracts/fixtures";

async function dep(name: string, signer: any, args: unknown[]) {
  const a = await hre.artifacts.readArtifact(name);
  const c = await new ContractFactory(a.abi, a.bytecode, signer).deploy(...args);
  await c.waitForDeployment();
  return c as any;
}
describe("anvil estimate vs timestamp", function () {
  this.timeout(120000);
  it("probe", async () => {
    const node = await startAnvil({ root: hre.config.paths.root });
    const s = await node.provider.getSigner(0);
    const me = await s.getAddress();
    const oracle = await dep("CollateralRiskOracle", s, [me]);
    const feed = await dep("MockAggregator", s, [18, "x", 10n ** 18n]);
    const src = await dep("MockWeEth", s, [10n ** 18n]);
    const ad = await dep("GetRateAdapter", s, [await src.getAddress(), "r"]);
    const asset = "0x000000000000000000000000000000000000dEaD";
    await (await oracle.configureAsset(asset, { marketFeed: await feed.getAddress(), marketHeartbeatSeconds: DAY, emaHalfLifeSeconds: HOUR, navHighWindowSeconds: 7 * DAY, rateAdapter: await ad.getAddress(), navDropToleranceBps: 50, backingShortfallToleranceBps: 100, elevatedDiscountBps: 100, hysteresisBps: 25, backingFeed: "0x0000000000000000000000000000000000000000", backingHeartbeatSeconds: 0, minRateWad: 10n ** 17n, maxRateWad: 10n ** 19n })).wait();
    const r1 = await (await oracle.setModelParamsBounds(asset, defaultBounds(), defaultParams())).wait();
    const b1 = await node.provider.getBlock(r1.blockNumber);
    const b2 = { ...defaultBounds(), minDelaySeconds: 2 * DAY };
    const T = b1!.timestamp;
    console.log("set next ts = T:", await node.provider.send("evm_setNextBlockTimestamp", [T]).then(() => "ok", (e: Error) => e.message));
    await node.provider.send("evm_setAutomine", [false]);
    const p = (async () => { const tx = await oracle.setModelParamsBounds(asset, b2, defaultParams()); console.log("sent gasLimit", tx.gasLimit); return tx.wait(); })();
    for (;;) { const pend = await node.provider.send("eth_getBlockByNumber", ["pending", false]); if (pend.transactions.length) break; await new Promise((r) => setTimeout(r, 20)); }
    await node.provider.send("evm_setNextBlockTimestamp", [T + 10]);
    await node.provider.send("evm_mine", []);
    try { const r = await p; console.log("status", r.status, r.gasUsed); } catch (e) { console.log("REVERTED:", (e as Error).message.slice(0, 120)); }
    await node.stop();
  });
});
