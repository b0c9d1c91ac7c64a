import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { defaultBounds, defaultGuardConfig, defaultParams, deployGuardFixture, deployOracleFixture } from "./fixtures";
import { addOracleAsset } from "./safetyHelpers";

/**
 * Regression tests of the contract review (issue 10), one `describe` per finding. Each asserts the correct
 * behaviour and failed on the code before its fix.
 */
describe("contract safety (review findings)", function () {
  describe("L-3 model-parameter updates need a positive minimum delay", function () {
    it("setModelParamsBounds refuses minDelaySeconds = 0 by name, so maxStep keeps its meaning", async function () {
      const { oracle, asset } = await loadFixture(deployOracleFixture);
      await expect(oracle.setModelParamsBounds(asset, { ...defaultBounds(), minDelaySeconds: 0 }, defaultParams()))
        .to.be.revertedWithCustomError(oracle, "OracleInvalidConfig")
        .withArgs(asset, "minDelaySeconds");
      await expect(oracle.setModelParamsBounds(asset, { ...defaultBounds(), minDelaySeconds: 1 }, defaultParams())).not.to.be
        .reverted;
    });
  });

  describe("L-1 trip requires model parameters", function () {
    it("an asset without model parameters cannot be tripped at a 0% discount", async function () {
      const { oracle, guard, alice } = await loadFixture(deployGuardFixture);
      const extra = await addOracleAsset(oracle, { withParams: false });
      await guard.configureAsset(extra.asset, defaultGuardConfig());
      await expect(guard.connect(alice).trip(extra.asset))
        .to.be.revertedWithCustomError(guard, "GuardModelParamsNotSet")
        .withArgs(extra.asset);
      expect(await guard.isLiquidationAllowed()).to.equal(true);
      expect(await guard.isBorrowAllowed()).to.equal(true);
    });
  });
});
