import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { HOUR, WAD, defaultGuardConfig, deployHaircutFixture } from "./fixtures";

const USD = 10n ** 8n;

/**
 * The guard installed as the PriceOracleSentinel of a real Aave v3.0.2 Pool: a weETH-collateral WETH loan is
 * pushed between HF 0.95 and 1, the asset trips on a liquidity discount, and the real Pool refuses the
 * liquidation (error 59) until the pause and its grace end; below HF 0.95 the Pool ignores the sentinel.
 */
async function deployPoolWithGuardFixture() {
  const f = await deployHaircutFixture();
  const { aave, aaveLib, weth, weeth, wethAddr, weethAddr, oracle, governance } = f;
  const [deployer, , alice, , , , lender, liquidator] = await ethers.getSigners();
  const ethUsd = await ethers.deployContract("ReplicaFeed", [8, "ETH / USD", 3000n * USD, deployer.address]);
  const weethUsd = await ethers.deployContract("ReplicaFeed", [8, "weETH / USD", 3150n * USD, deployer.address]);
  await aaveLib.setAssetSources(aave, [wethAddr, weethAddr], [await ethUsd.getAddress(), await weethUsd.getAddress()]);
  await aave.poolConfigurator.setReserveBorrowing(wethAddr, true);

  const guard = await ethers.deployContract("LiquidationPauseGuard", [
    aave.addressesProvider.target as string,
    await oracle.getAddress(),
    governance.address,
    ethers.ZeroAddress,
    HOUR,
  ]);
  await guard.configureAsset(weethAddr, { ...defaultGuardConfig(), pricingReference: wethAddr });
  await aave.addressesProvider.setPriceOracleSentinel(await guard.getAddress());

  const pool = aave.pool;
  await weth.mint(lender.address, 1_000n * WAD);
  await weth.connect(lender).approve(pool.target as string, ethers.MaxUint256);
  await pool.connect(lender).supply(wethAddr, 1_000n * WAD, lender.address, 0);
  await weeth.mint(alice.address, 100n * WAD);
  await weeth.connect(alice).approve(pool.target as string, ethers.MaxUint256);
  await pool.connect(alice).supply(weethAddr, 100n * WAD, alice.address, 0);
  await pool.connect(alice).borrow(wethAddr, 80n * WAD, 2, 0, alice.address); // HF = 315k * 0.8 / 240k = 1.05
  await weth.mint(liquidator.address, 100n * WAD);
  await weth.connect(liquidator).approve(pool.target as string, ethers.MaxUint256);
  return { ...f, guard, pool, alice, lender, liquidator, weethUsd, ethUsd };
}

describe("LiquidationPauseGuard as the PriceOracleSentinel of a real Aave v3.0.2 Pool", function () {
  it("blocks liquidations at 0.95 <= HF < 1 and borrowing while paused; liquidations resume after pause + grace", async function () {
    const { guard, pool, alice, liquidator, lender, weethUsd, setDiscount, weethAddr, wethAddr } =
      await loadFixture(deployPoolWithGuardFixture);
    expect(await pool.ADDRESSES_PROVIDER()).to.not.equal(ethers.ZeroAddress);
    await weethUsd.setAnswer(2900n * USD); // HF = 290k * 0.8 / 240k = 0.967
    const hf = (await pool.getUserAccountData(alice.address)).healthFactor;
    expect(hf).to.be.within((WAD * 95n) / 100n, WAD - 1n);

    await setDiscount(400); // LRT/ETH market 4% under the exchange rate, NAV intact
    await guard.trip(weethAddr);
    await expect(
      pool.connect(liquidator).liquidationCall(weethAddr, wethAddr, alice.address, 10n * WAD, false),
    ).to.be.revertedWith("59");
    await expect(pool.connect(lender).borrow(wethAddr, WAD, 2, 0, lender.address)).to.be.revertedWith("59");

    await time.increase(6 * HOUR); // pause over: borrowing back, liquidations wait for the grace
    await expect(pool.connect(lender).borrow(wethAddr, WAD, 2, 0, lender.address)).not.to.be.reverted;
    await expect(
      pool.connect(liquidator).liquidationCall(weethAddr, wethAddr, alice.address, 10n * WAD, false),
    ).to.be.revertedWith("59");
    await time.increase(HOUR / 2);
    await expect(
      pool.connect(liquidator).liquidationCall(weethAddr, wethAddr, alice.address, 10n * WAD, false),
    ).to.emit(pool, "LiquidationCall");
  });

  it("below HF 0.95 the Pool liquidates despite the pause (Aave v3.0 ignores the sentinel there)", async function () {
    const { guard, pool, alice, liquidator, weethUsd, setDiscount, weethAddr, wethAddr } =
      await loadFixture(deployPoolWithGuardFixture);
    await setDiscount(400);
    await guard.trip(weethAddr);
    await weethUsd.setAnswer(2800n * USD); // HF = 0.933
    expect(await guard.isLiquidationAllowed()).to.equal(false);
    await expect(
      pool.connect(liquidator).liquidationCall(weethAddr, wethAddr, alice.address, 10n * WAD, false),
    ).to.emit(pool, "LiquidationCall");
  });

  it("an IMPAIRED asset is released by anyone and liquidated at once", async function () {
    const { guard, pool, alice, liquidator, weethUsd, setDiscount, weethAddr, wethAddr, weEth, rate } =
      await loadFixture(deployPoolWithGuardFixture);
    await setDiscount(400);
    await guard.trip(weethAddr);
    await weethUsd.setAnswer(2900n * USD);
    await weEth.setRate((rate * 97n) / 100n); // slashing: NAV -3%
    await guard.connect(liquidator).release(weethAddr);
    await expect(
      pool.connect(liquidator).liquidationCall(weethAddr, wethAddr, alice.address, 10n * WAD, false),
    ).to.emit(pool, "LiquidationCall");
  });

  it("the haircut module's LTV cut stops new borrowing at once without touching health factors", async function () {
    const { module, pool, alice, setDiscount, weethAddr, wethAddr } = await loadFixture(deployPoolWithGuardFixture);
    await module.poke(weethAddr);
    const hfBefore = (await pool.getUserAccountData(alice.address)).healthFactor;
    await expect(pool.connect(alice).borrow(wethAddr, WAD, 2, 0, alice.address)).not.to.be.reverted;
    await setDiscount(400);
    await expect(module.poke(weethAddr)).to.emit(module, "HaircutUpdated");
    const data = await pool.getUserAccountData(alice.address);
    expect(data.ltv).to.equal(73_00n);
    expect(data.currentLiquidationThreshold).to.equal(80_00n); // LT cuts ramp: nobody is liquidated by the cut
    expect(data.healthFactor).to.be.lessThan(hfBefore); // only the extra 1 WETH borrowed above
    await expect(pool.connect(alice).borrow(wethAddr, WAD, 2, 0, alice.address)).to.be.revertedWith("36");
  });
});
