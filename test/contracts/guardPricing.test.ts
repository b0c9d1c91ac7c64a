import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { HOUR, Pricing, deployGuardFixture } from "./fixtures";
import { deployAaveAcl } from "./aaveAcl";

/**
 * Issue 11 item 4: the guard trips only where a pause can save someone. On a venue that prices the LRT by its
 * exchange rate (Aave's CAPO), a market discount liquidates nobody, so a pause would only block.
 */
describe("LiquidationPauseGuard: collateral pricing regime", function () {
  async function exchangeRateVenue() {
    const f = await loadFixture(deployGuardFixture);
    await f.aavePricing.setPricing("EXCHANGE_RATE");
    await f.guard.configureAsset(f.asset, { ...f.guardConfig(), pricing: Pricing.EXCHANGE_RATE });
    return f;
  }

  it("refuses every trip of an asset the market prices by exchange rate, by name", async function () {
    const { guard, asset, setDiscount, guardian, alice } = await exchangeRateVenue();
    await setDiscount(400); // above the 3% trip threshold
    await expect(guard.connect(alice).trip(asset))
      .to.be.revertedWithCustomError(guard, "GuardPauseCannotHelp")
      .withArgs(asset, Pricing.EXCHANGE_RATE);
    await expect(guard.connect(guardian).guardianTrip(asset, HOUR))
      .to.be.revertedWithCustomError(guard, "GuardPauseCannotHelp")
      .withArgs(asset, Pricing.EXCHANGE_RATE);
    expect(await guard.isLiquidationAllowed()).to.equal(true);
    expect(await guard.isBorrowAllowed()).to.equal(true);
  });

  it("still trips on a market-priced venue", async function () {
    const { guard, asset, setDiscount } = await loadFixture(deployGuardFixture);
    await setDiscount(400);
    await expect(guard.trip(asset)).to.emit(guard, "PauseTripped");
  });

  it("refuses a MARKET declaration where the market's oracle follows the exchange rate (dislocated market)", async function () {
    const { guard, asset, setDiscount, aavePricing, guardConfig } = await loadFixture(deployGuardFixture);
    await aavePricing.setPricing("EXCHANGE_RATE");
    await setDiscount(400);
    await expect(guard.configureAsset(asset, guardConfig())).to.be.revertedWithCustomError(guard, "GuardPricingMismatch");
  });

  it("refuses an EXCHANGE_RATE declaration where the market's oracle follows the market price", async function () {
    const { guard, asset, setDiscount, guardConfig } = await loadFixture(deployGuardFixture);
    await setDiscount(400);
    await expect(guard.configureAsset(asset, { ...guardConfig(), pricing: Pricing.EXCHANGE_RATE }))
      .to.be.revertedWithCustomError(guard, "GuardPricingMismatch");
  });

  it("refuses a declaration the market's oracle contradicts even at par (price off by more than the tolerance)", async function () {
    const { guard, asset, aavePricing, guardConfig, poolAdmin } = await loadFixture(deployGuardFixture);
    const wrong = await ethers.deployContract("ReplicaFeed", [8, "wrong", 2000n * 10n ** 8n, poolAdmin.address]);
    await aavePricing.aaveOracle.connect(poolAdmin).getFunction("setAssetSources")([asset], [await wrong.getAddress()]);
    for (const pricing of [Pricing.MARKET, Pricing.EXCHANGE_RATE]) {
      await expect(guard.configureAsset(asset, { ...guardConfig(), pricing })).to.be.revertedWithCustomError(
        guard,
        "GuardPricingMismatch",
      );
    }
  });

  it("cannot be configured without a verifiable price: no Aave oracle or no reference reserve", async function () {
    const { guard, asset, guardConfig, oracle, governance } = await loadFixture(deployGuardFixture);
    await expect(guard.configureAsset(asset, { ...guardConfig(), pricingReference: ethers.ZeroAddress }))
      .to.be.revertedWithCustomError(guard, "GuardPricingUnverifiable")
      .withArgs(asset, ethers.ZeroAddress);
    const { provider } = await deployAaveAcl(governance);
    const bare = await ethers.deployContract("LiquidationPauseGuard", [
      provider.target as string,
      await oracle.getAddress(),
      governance.address,
      ethers.ZeroAddress,
      HOUR,
    ]);
    await expect(bare.configureAsset(asset, guardConfig())).to.be.revertedWithCustomError(bare, "GuardPricingUnverifiable");
  });

  it("without an Aave market (a Morpho RiskAwareOracle's guard) accepts only MARKET pricing, and trips on it", async function () {
    const { asset, oracle, governance, setDiscount } = await loadFixture(deployGuardFixture);
    const noAave = await ethers.deployContract("LiquidationPauseGuard", [
      ethers.ZeroAddress,
      await oracle.getAddress(),
      governance.address,
      ethers.ZeroAddress,
      HOUR,
    ]);
    const config = { maxPauseSeconds: 6 * HOUR, cooldownSeconds: 24 * HOUR, windowSeconds: 7 * 24 * HOUR, maxPausedSecondsPerWindow: 13 * HOUR, postPauseGraceSeconds: HOUR / 2, enabled: true, pricingReference: ethers.ZeroAddress };
    await expect(noAave.configureAsset(asset, { ...config, pricing: Pricing.EXCHANGE_RATE }))
      .to.be.revertedWithCustomError(noAave, "GuardPauseCannotHelp")
      .withArgs(asset, Pricing.EXCHANGE_RATE);
    await noAave.configureAsset(asset, { ...config, pricing: Pricing.MARKET });
    await setDiscount(400);
    await expect(noAave.trip(asset)).to.emit(noAave, "PauseTripped");
  });
});
