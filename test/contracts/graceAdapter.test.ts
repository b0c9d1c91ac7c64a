import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { HOUR, DAY, defaultGuardConfig, deployGuardFixture } from "./fixtures";

// Aave v3.1+ cannot be deployed here (sources only, no artifacts): the configurator is a recording double that
// implements exactly setReservePause(address,bool,uint40) and disableLiquidationGracePeriod(address).
async function deployAdapterFixture() {
  const base = await deployGuardFixture();
  const configurator = await ethers.deployContract("MockAaveV31Configurator");
  const pool = await ethers.deployContract("MockAaveReserveConfig");
  const adapter = await ethers.deployContract("AaveGracePeriodAdapter", [
    await base.guard.getAddress(),
    await configurator.getAddress(),
    await pool.getAddress(),
  ]);
  return { ...base, configurator, pool, adapter };
}

describe("AaveGracePeriodAdapter (Aave v3.1+ per-reserve liquidation grace period)", function () {
  it("does nothing while the guard is idle", async function () {
    const { adapter, asset, configurator } = await loadFixture(deployAdapterFixture);
    expect(await adapter.sync.staticCall(asset)).to.equal(false);
    await adapter.sync(asset);
    expect(await configurator.callCount()).to.equal(0n);
    expect(await adapter.MAX_GRACE_PERIOD()).to.equal(BigInt(4 * HOUR));
    const { guard, pool } = await loadFixture(deployAdapterFixture);
    expect(await adapter.GUARD()).to.equal(await guard.getAddress());
    expect(await adapter.CONFIGURATOR()).to.equal(await configurator.getAddress());
    expect(await adapter.POOL()).to.equal(await pool.getAddress());
  });

  it("mirrors a pause (capped at 4 h), re-extends it, and clears it after an early release", async function () {
    const { adapter, guard, asset, configurator, setDiscount, guardian, refreshFeeds } =
      await loadFixture(deployAdapterFixture);
    await setDiscount(400);
    await guard.trip(asset); // 6 h pause + 30 min grace
    const p = await guard.getPauseState(asset);
    const at = (await time.latest()) + 1;
    await expect(adapter.sync(asset))
      .to.emit(adapter, "GracePeriodMirrored")
      .withArgs(asset, at + 4 * HOUR);
    let c = await configurator.getCall(0);
    expect(c.selector).to.equal(configurator.interface.getFunction("setReservePause")!.selector);
    expect(c.paused).to.equal(false);
    expect(c.gracePeriod).to.equal(BigInt(4 * HOUR));
    expect(await configurator.liquidationGracePeriodUntil(asset)).to.equal(at + 4 * HOUR);
    // a second sync in the same state is a no-op
    await adapter.sync(asset);
    expect(await configurator.callCount()).to.equal(1n);
    // three hours later the keeper extends it to the guard's end
    await time.increase(3 * HOUR);
    await adapter.sync(asset);
    expect(await adapter.mirroredUntil(asset)).to.equal(p.liquidationBlockedUntil);
    expect(await configurator.liquidationGracePeriodUntil(asset)).to.equal(p.liquidationBlockedUntil);
    // the guardian ends the pause and its grace: the adapter disables Aave's grace period
    await guard.connect(guardian).release(asset);
    await time.increase(HOUR / 2);
    await refreshFeeds();
    await expect(adapter.sync(asset)).to.emit(adapter, "GracePeriodCleared").withArgs(asset);
    c = await configurator.getCall(2);
    expect(c.selector).to.equal(configurator.interface.getFunction("disableLiquidationGracePeriod")!.selector);
    expect(await configurator.liquidationGracePeriodUntil(asset)).to.equal(0n);
    expect(await adapter.mirroredUntil(asset)).to.equal(0n);
  });

  it("refuses to touch a reserve paused by Aave's emergency admin (it would unpause it)", async function () {
    const { adapter, guard, asset, pool, setDiscount } = await loadFixture(deployAdapterFixture);
    await setDiscount(400);
    await guard.trip(asset);
    await pool.setConfiguration(asset, 1n << 60n);
    await expect(adapter.sync(asset)).to.be.revertedWithCustomError(adapter, "GraceAdapterReservePaused").withArgs(asset);
  });

  it("rejects zero addresses", async function () {
    const { adapter } = await loadFixture(deployAdapterFixture);
    await expect(
      ethers.deployContract("AaveGracePeriodAdapter", [ethers.ZeroAddress, ethers.ZeroAddress, ethers.ZeroAddress]),
    ).to.be.revertedWithCustomError(adapter, "GraceAdapterZeroAddress");
    expect(defaultGuardConfig().maxPauseSeconds).to.be.lessThan(DAY);
  });
});
