import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Contract, Interface } from "ethers";
import { addressOf, deployArtifact, localArtifact } from "../../scripts/aave";
import { deployReplicaMarket, openPositions, planPosition } from "../../scripts/markets/replica";
import { deployBatchLiquidator, deployKeeperBot, liquidateInOrder, sendKeeperCalls, sendRawCall } from "../../scripts/replay/bots";

const WAD = 10n ** 18n;

/**
 * The replay's bots on the real Aave v3.0.2 Pool: three weETH eMode loops (A at HF 1.08, B at HF 1.01, C at HF 1.9)
 * in the market-price regime; an 8% market discount takes A to ~0.994 and B to ~0.929, C stays healthy.
 */
async function botsFixture() {
  const [deployer, liquidator, keeper, stranger] = await ethers.getSigners();
  const replica = await deployReplicaMarket({ deployer, aave: "3.0", priceRegime: "market-price", withoutDex: true });
  const plans = [1.08, 1.01, 1.9].map((targetHf, index) =>
    planPosition(replica.market, { index, symbol: "weETH", inEMode: true, targetHf, equityEth: 10, aaveVersion: "3.0" }),
  );
  const population = await openPositions({ replica, plans });
  const [A, B, C] = population.positions.map((p) => p.account);
  const weeth = replica.assets.weETH;
  const rate = await weeth.rateProvider!.getRate();
  const marketPrice = (rate * 92n) / 100n; // WETH per weETH, 1e18
  await weeth.marketFeed!.setAnswer(marketPrice);
  /** A constant-product weETH/WETH pool at the market price with `depth` weETH on its collateral side. */
  const dexWithDepth = async (depthWei: bigint) => {
    const dex = await deployArtifact<Contract>(localArtifact("mocks/dex/ConstantProductPool.sol", "ConstantProductPool"), deployer, [
      weeth.address,
      replica.weth.address,
      5,
      deployer.address,
    ]);
    const dexAddress = await addressOf(dex);
    await weeth.token.mint(deployer.address, depthWei);
    await replica.weth.token.mint(deployer.address, (depthWei * marketPrice) / WAD);
    await weeth.token.connect(deployer).approve(dexAddress, depthWei);
    await replica.weth.token.connect(deployer).approve(dexAddress, (depthWei * marketPrice) / WAD);
    await dex.getFunction("addLiquidity")(depthWei, (depthWei * marketPrice) / WAD);
    return dexAddress;
  };
  const bot = await deployBatchLiquidator(liquidator);
  await replica.weth.token.mint(String(bot.target), 10_000n * WAD);
  const rpc = (method: string, params: unknown[]) => network.provider.send(method, params);
  const walk = (users: string[], dex: string) =>
    liquidateInOrder({
      rpc,
      from: liquidator.address,
      bot: String(bot.target),
      pool: String(replica.aave.pool.target),
      collateral: weeth.address,
      debt: replica.weth.address,
      dex,
      users,
    });
  const debtToken = await ethers.getContractAt("ReplicaToken", (await replica.aave.pool.getReserveData(replica.weth.address)).variableDebtTokenAddress);
  return { replica, deployer, liquidator, keeper, stranger, A, B, C, bot, dexWithDepth, walk, rpc, debtToken };
}

describe("replay bots (real Aave v3.0.2 Pool)", () => {
  describe("ReplayBatchLiquidator", () => {
    it("walks the borrowers in the order given: healthy ones skipped, the others liquidated with the real liquidationCall and sold", async () => {
      const { replica, C, A, B, walk, dexWithDepth, debtToken } = await loadFixture(botsFixture);
      const dex = await dexWithDepth(100_000n * WAD);
      const debtBefore = await debtToken.balanceOf(A);
      const out = await walk([C, A, B], dex);
      expect(out.map((o) => o.user)).to.deep.equal([C, A, B]);
      expect(out[0]).to.deep.include({ executed: false, reason: "ReplayBatchLiquidatorHealthy" });
      for (const o of out.slice(1)) {
        if (!o.executed) throw new Error(`${o.user} not liquidated: ${o.reason}`);
        expect(o.healthFactorBeforeWad).to.be.lt(WAD);
        expect(o.debtRepaid).to.be.gt(0n);
        expect(o.seized).to.be.gt(0n);
        expect(o.proceeds).to.be.gte(o.debtRepaid);
      }
      // A (HF ~0.994 >= 0.95): Aave's 50% close factor; B (< 0.95): up to all of it.
      const a = out[1] as Extract<(typeof out)[number], { executed: true }>;
      expect(a.debtRepaid).to.be.closeTo(debtBefore / 2n, debtBefore / 1000n);
      expect(await debtToken.balanceOf(A)).to.be.closeTo(debtBefore - a.debtRepaid, debtBefore / 1000n);
      expect((await replica.aave.pool.getUserAccountData(C)).healthFactor).to.be.gt(WAD);
    });

    it("rolls back a liquidation whose sale does not cover the debt repaid (a thin pool): the position is untouched", async () => {
      const { A, walk, dexWithDepth, debtToken } = await loadFixture(botsFixture);
      const dex = await dexWithDepth(WAD / 10n); // 0.1 weETH of depth: selling ~5 weETH returns almost nothing
      const debtBefore = await debtToken.balanceOf(A);
      const [o] = await walk([A], dex);
      expect(o).to.deep.include({ executed: false, reason: "ReplayBatchLiquidatorUnprofitable" });
      expect(await debtToken.balanceOf(A)).to.be.gte(debtBefore);
    });

    it("only its owner drives it, and liquidateOne only runs inside a walk", async () => {
      const { bot, stranger, replica, A } = await loadFixture(botsFixture);
      const pool = String(replica.aave.pool.target);
      const asStranger = bot.connect(stranger) as Contract;
      await expect(asStranger.getFunction("liquidateAll")(pool, replica.assets.weETH.address, replica.weth.address, [A], pool, 0n))
        .to.be.revertedWithCustomError(bot, "ReplayBatchLiquidatorNotOwner")
        .withArgs(stranger.address);
      const full = new Contract(String(bot.target), ["function liquidateOne(address,address,address,address,address)", "error ReplayBatchLiquidatorNotSelf(address caller)"], stranger);
      await expect(full.getFunction("liquidateOne")(pool, replica.assets.weETH.address, replica.weth.address, A, pool))
        .to.be.revertedWithCustomError(full, "ReplayBatchLiquidatorNotSelf")
        .withArgs(stranger.address);
    });
  });

  describe("ReplayKeeperBot", () => {
    it("runs every call in order in one transaction; a call that reverts is reported and the next still runs", async () => {
      const { keeper, replica, rpc, stranger } = await loadFixture(botsFixture);
      const bot = await deployKeeperBot(keeper);
      const erc20 = new Interface(["function approve(address,uint256) returns (bool)", "function transfer(address,uint256) returns (bool)"]);
      const token = replica.weth.address;
      const logs = await sendKeeperCalls({
        rpc,
        from: keeper.address,
        bot: String(bot.target),
        calls: [
          { target: token, data: erc20.encodeFunctionData("transfer", [stranger.address, 1n]) }, // the bot holds no WETH: reverts
          { target: token, data: erc20.encodeFunctionData("approve", [stranger.address, 7n]) },
        ],
      });
      const failed = logs.filter((l) => l.address.toLowerCase() === String(bot.target).toLowerCase()).map((l) => bot.interface.parseLog(l)!);
      expect(failed.map((e) => [e.name, Number(e.args.index), e.args.target])).to.deep.equal([["KeeperCallFailed", 0, token]]);
      expect(await replica.weth.token.allowance(String(bot.target), stranger.address)).to.equal(7n);
    });

    it("a reverted transaction sent without reading its receipt still fails (the in-process network throws)", async () => {
      const { keeper, stranger, rpc } = await loadFixture(botsFixture);
      const bot = await deployKeeperBot(keeper);
      const data = bot.interface.encodeFunctionData("callAll", [[], []]);
      for (const receipt of [true, false]) {
        await expect(sendRawCall({ rpc, from: stranger.address, to: String(bot.target), data, gasLimit: 100_000n, receipt })).to.be.reverted;
        await sendRawCall({ rpc, from: keeper.address, to: String(bot.target), data, gasLimit: 100_000n, receipt });
      }
    });

    it("only its owner drives it", async () => {
      const { keeper, stranger } = await loadFixture(botsFixture);
      const bot = await deployKeeperBot(keeper);
      await expect((bot.connect(stranger) as Contract).getFunction("callAll")([], []))
        .to.be.revertedWithCustomError(bot, "ReplayKeeperBotNotOwner")
        .withArgs(stranger.address);
    });
  });
});
