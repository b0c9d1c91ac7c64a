import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { constantProductReserveEth, setPriceRegime, stableSwapBalanceEth } from "../../scripts/markets/replica";
import { deployReplicaFixture } from "../shared/fixtures";
import { WAD } from "../../spec/units";


describe("replica DEX pools and price sources", () => {
  describe("DEX pools (real swaps with token transfers)", () => {
    it("start at the exchange rate and match the market file's depth (selling depthEth moves the price by depthImpactBps)", async () => {
      const { replica } = await loadFixture(deployReplicaFixture);
      for (const symbol of ["weETH", "ezETH", "rsETH"]) {
        const a = replica.assets[symbol];
        const dex = a.spec.dex!;
        const rate = await a.rateProvider!.getRate();
        const spot0 = await a.dexPool!.spotPriceWad();
        expect(spot0, `${symbol} spot`).to.be.closeTo(rate, rate / 10_000n);
        const sell = (BigInt(dex.depthEth) * WAD * WAD) / rate;
        const [deployer] = await ethers.getSigners();
        await a.token.mint(deployer.address, sell);
        await a.token.approve(await a.dexPool!.getAddress(), sell);
        const quoted = await a.dexPool!.quote(a.address, sell);
        const wethBefore = await replica.weth.token.balanceOf(deployer.address);
        await a.dexPool!.swap(a.address, sell, quoted, deployer.address);
        expect((await replica.weth.token.balanceOf(deployer.address)) - wethBefore, `${symbol} paid`).to.equal(quoted);
        const impactBps = Number(((spot0 - (await a.dexPool!.spotPriceWad())) * 10_000n) / spot0);
        expect(impactBps, `${symbol} impact`).to.be.closeTo(dex.depthImpactBps, dex.depthImpactBps * 0.05 + 3);
      }
    });

    it("constant product quotes x*y=k with the fee on the input; the stableswap pool is flatter near the peg", async () => {
      const { replica } = await loadFixture(deployReplicaFixture);
      const ez = replica.assets.ezETH;
      const [r0, r1] = await ez.dexPool!.getReserves();
      const amountIn = 10n * WAD;
      const fee = BigInt(ez.spec.dex!.feeBps);
      const inAfterFee = amountIn * (10_000n - fee);
      expect(await ez.dexPool!.quote(ez.address, amountIn)).to.equal((inAfterFee * r1) / (r0 * 10_000n + inAfterFee));
      // stableswap: 1% of one side moves the price far less than a constant-product pool of the same size
      const we = replica.assets.weETH;
      const [w0] = await we.dexPool!.getReserves();
      const spot = await we.dexPool!.spotPriceWad();
      const out = await we.dexPool!.quote(we.address, w0 / 100n);
      const avg = (out * WAD) / (w0 / 100n);
      expect(spot - avg).to.be.lt(spot / 1000n); // < 0.1% average slippage for 1% of the pool
      expect(() => constantProductReserveEth({ depthEth: 2500, impactBps: 750 })).to.not.throw();
      expect(stableSwapBalanceEth(15_000, 750, 100)).to.be.lessThan(constantProductReserveEth({ depthEth: 15_000, impactBps: 750 }));
    });

    it("rejects unknown tokens and enforces the caller's minimum", async () => {
      const { replica } = await loadFixture(deployReplicaFixture);
      const ez = replica.assets.ezETH;
      await expect(ez.dexPool!.quote(replica.assets.weETH.address, WAD)).to.be.revertedWithCustomError(ez.dexPool!, "DexPoolUnknownToken");
      const [deployer] = await ethers.getSigners();
      await ez.token.mint(deployer.address, WAD);
      await ez.token.approve(await ez.dexPool!.getAddress(), WAD);
      const q = await ez.dexPool!.quote(ez.address, WAD);
      await expect(ez.dexPool!.swap(ez.address, WAD, q + 1n, deployer.address)).to.be.revertedWithCustomError(ez.dexPool!, "DexPoolSlippage");
    });
  });

  describe("price regimes", () => {
    it("exchange-rate (CAPO-like): a market depeg does not move the Aave price; a rate drop does at once; growth is capped", async () => {
      const { replica } = await loadFixture(deployReplicaFixture);
      const we = replica.assets.weETH;
      const oracle = replica.aave.aaveOracle;
      const p0 = await oracle.getAssetPrice(we.address);
      const rate = await we.rateProvider!.getRate();
      expect(p0).to.equal((rate * 3000n * 10n ** 8n) / WAD);
      await we.marketFeed!.setAnswer((rate * 80n) / 100n);
      expect(await oracle.getAssetPrice(we.address)).to.equal(p0);
      await we.rateProvider!.setRate((rate * 94n) / 100n);
      expect(await oracle.getAssetPrice(we.address)).to.equal((((rate * 94n) / 100n) * 3000n * 10n ** 8n) / WAD);
      // +10% rate one day after the snapshot: capped at snapshot x (1 + 8.75% x 1/365)
      await time.increase(86_400);
      await we.rateProvider!.setRate((rate * 110n) / 100n);
      const source = we.exchangeRatePriceSource!;
      expect(await source.isCapped()).to.equal(true);
      expect(await source.assetEthWad()).to.equal(await source.maxRateWad());
      expect(await source.maxRateWad()).to.be.closeTo(rate + (rate * 875n) / (10_000n * 365n), rate / 1_000_000n);
    });

    it("market-price: the Aave price follows the LRT/ETH feed; switching regimes per asset works", async () => {
      const { replica } = await loadFixture(deployReplicaFixture);
      const ez = replica.assets.ezETH;
      await setPriceRegime(replica, "ezETH", "market-price");
      await ez.marketFeed!.setAnswer((WAD * 87n) / 100n);
      expect(await replica.aave.aaveOracle.getAssetPrice(ez.address)).to.equal(87n * 30n * 10n ** 8n);
      await expect(ez.marketFeed!.setAnswer(0)).to.not.be.reverted;
      await expect(replica.aave.aaveOracle.getAssetPrice(ez.address)).to.be.revertedWithCustomError(ez.marketPriceSource!, "ReplicaPriceSourceBadAnswer");
      await setPriceRegime(replica, "ezETH", "exchange-rate");
      expect(await replica.aave.aaveOracle.getAssetPrice(ez.address)).to.equal(((await ez.rateProvider!.getRate()) * 3000n * 10n ** 8n) / WAD);
    });
  });
});
