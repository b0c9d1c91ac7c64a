/**
 * The liquidation pause on Aave v3.1+ is the per-reserve liquidation grace period, driven by
 * `AaveGracePeriodAdapter` through the real v3.6 PoolConfigurator (`setReservePause(asset, false, grace)`,
 * `disableLiquidationGracePeriod`). Unlike the v3.0 sentinel (consulted only at HF >= 0.95) it blocks liquidations
 * of that collateral at every health factor, and touches no other reserve.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Contract, MaxUint256 } from "ethers";
import { aave36Artifact, readReserveConfig, type AaveVersion } from "../../scripts/aave";
import { cascadeAssetsFromReplica, deployCascadeGuard, installCascadeGuard, installGraceAdapter } from "../../scripts/guard";
import { deployReplicaMarket, openPositions, planPosition } from "../../scripts/markets/replica";
import hre from "hardhat";
import { keeperRound } from "../../scripts/ops/keeper";
import { loadCascadeAbis } from "../../scripts/ops/abis";
import { WAD } from "../../spec/units";

const HOUR = 3600;
const errors36 = () => aave36Artifact("protocol/libraries/helpers/Errors.sol/Errors.json").abi;

/**
 * Market-price regime (a market depeg moves health factors), weETH in its own eMode category: A at HF 1.05
 * (-12% market: HF ~0.92 < 0.95), an osETH position O at HF 1.02 (-5% market: HF ~0.97).
 */
function fixtureFor(aave: AaveVersion) {
  return async function graceFixture() {
    const [deployer, keeper, guardian, liquidator] = await ethers.getSigners();
    const replica = await deployReplicaMarket({ deployer, aave, priceRegime: "market-price", withoutDex: true });
    const plans = [
      planPosition(replica.market, { index: 0, symbol: "weETH", inEMode: true, targetHf: 1.05, equityEth: 10, aaveVersion: aave }),
      planPosition(replica.market, { index: 1, symbol: "osETH", inEMode: true, targetHf: 1.02, equityEth: 10, aaveVersion: aave }),
    ];
    const population = await openPositions({ replica, plans });
    const [A, O] = population.positions.map((p) => p.account);
    const pool = replica.aave.pool;
    await replica.weth.token.mint(liquidator.address, 10_000n * WAD);
    await replica.weth.token.connect(liquidator).approve(await pool.getAddress(), MaxUint256);
    const depeg = async (symbol: string, bps: number) => {
      const a = replica.assets[symbol];
      const rate = await a.rateProvider!.getRate();
      await a.marketFeed!.setAnswer((rate * BigInt(10_000 - bps)) / 10_000n);
    };
    const liquidate = (symbol: string, user: string) =>
      pool.connect(liquidator).liquidationCall(replica.assets[symbol].address, replica.weth.address, user, MaxUint256, false);
    const hf = async (user: string) => (await pool.getUserAccountData(user)).healthFactor;

    const addressesProvider = String(replica.aave.addressesProvider.target);
    const assets = await cascadeAssetsFromReplica(replica, { symbols: ["weETH"], eModeDriver: null, haircut: { weETH: null } });
    const cascade = await deployCascadeGuard({ deployer, addressesProvider, assets, keeper: keeper.address, guardian: guardian.address });
    // v3.0: the guard is the market-wide sentinel. v3.6: the grace-period adapter, and no sentinel unless asked.
    await installCascadeGuard({ signer: deployer, addressesProvider, cascade, setSentinel: aave === "3.0" });
    const grace = aave === "3.6" ? await installGraceAdapter({ signer: deployer, addressesProvider, pauseGuard: cascade.addresses.pauseGuard }) : undefined;
    return { replica, pool, A, O, depeg, liquidate, hf, cascade, grace, guardian, keeper };
  };
}
const v36 = fixtureFor("3.6");
const v30 = fixtureFor("3.0");

describe("liquidation pause through the v3.1+ grace period (real Aave v3.6 Pool)", function () {
  it("v3.6: a tripped weETH pause mirrored as a grace period blocks a liquidation at HF < 0.95", async function () {
    const { replica, pool, A, depeg, liquidate, hf, cascade, grace } = await loadFixture(v36);
    const weeth = replica.assets.weETH.address;
    expect(await replica.aave.addressesProvider.getPriceOracleSentinel()).to.equal(ethers.ZeroAddress);
    // opened through the real Pool in each LRT's own liquid eMode category (setUserEMode): weETH 26, osETH 1
    expect(await pool.getUserEMode(A)).to.equal(26n);
    await depeg("weETH", 1200);
    expect(await hf(A)).to.be.lt((WAD * 95n) / 100n);
    await cascade.pauseGuard.trip(weeth);
    await expect(grace!.adapter.sync(weeth)).to.emit(grace!.adapter, "GracePeriodMirrored");
    const until = Number(await new Contract(await pool.getAddress(), ["function getLiquidationGracePeriod(address) view returns (uint40)"], ethers.provider).getLiquidationGracePeriod(weeth));
    expect(until).to.be.greaterThan(await time.latest());
    expect(until - (await time.latest())).to.be.lte(4 * HOUR);
    await expect(liquidate("weETH", A)).to.be.revertedWithCustomError(new Contract(await pool.getAddress(), errors36()), "LiquidationGraceSentinelCheckFailed");
  });

  it("v3.6: the grace period touches no other reserve (an osETH liquidation proceeds, other reserves unchanged)", async function () {
    const { replica, pool, O, depeg, liquidate, hf, cascade, grace } = await loadFixture(v36);
    const weeth = replica.assets.weETH.address;
    const before = await Promise.all(Object.values(replica.assets).map((a) => pool.getConfiguration(a.address)));
    await depeg("weETH", 1200);
    await depeg("osETH", 500);
    await cascade.pauseGuard.trip(weeth);
    await grace!.adapter.sync(weeth);
    const after = await Promise.all(Object.values(replica.assets).map((a) => pool.getConfiguration(a.address)));
    expect(after.map((c) => c.data)).to.deep.equal(before.map((c) => c.data));
    const g = new Contract(await pool.getAddress(), ["function getLiquidationGracePeriod(address) view returns (uint40)"], ethers.provider);
    for (const a of Object.values(replica.assets)) {
      if (a.address !== weeth) expect(await g.getLiquidationGracePeriod(a.address), a.symbol).to.equal(0n);
    }
    expect(await pool.getUserEMode(O)).to.equal(1n);
    expect(await hf(O)).to.be.lt(WAD);
    await expect(liquidate("osETH", O)).to.emit(pool, "LiquidationCall");
    expect((await readReserveConfig(replica.aave, weeth)).paused).to.equal(false);
  });

  it("v3.6: after the guard's pause and grace end, sync clears the grace period and the liquidation proceeds", async function () {
    const { replica, A, depeg, liquidate, cascade, grace, guardian } = await loadFixture(v36);
    const weeth = replica.assets.weETH.address;
    await depeg("weETH", 1200);
    await cascade.pauseGuard.trip(weeth);
    await grace!.adapter.sync(weeth);
    await cascade.pauseGuard.connect(guardian).release(weeth);
    const s = await cascade.pauseGuard.getPauseState(weeth);
    await time.increaseTo(Number(s.liquidationBlockedUntil) + 1);
    await depeg("weETH", 1200); // refresh the feed timestamp
    await expect(grace!.adapter.sync(weeth)).to.emit(grace!.adapter, "GracePeriodCleared");
    await expect(liquidate("weETH", A)).to.emit(replica.aave.pool, "LiquidationCall");
  });

  it("v3.6: a keeper round trips the guard and syncs the grace adapter (keeper:run with a grace adapter in the book)", async function () {
    const { replica, pool, A, depeg, liquidate, cascade, grace, keeper } = await loadFixture(v36);
    const weeth = replica.assets.weETH.address;
    await depeg("weETH", 1200);
    const lines: string[] = [];
    const round = () =>
      keeperRound({
        signer: keeper,
        addresses: { oracle: cascade.addresses.riskOracle, guard: cascade.addresses.pauseGuard, gracePeriodAdapter: grace!.address },
        abis: loadCascadeAbis(hre.artifacts),
        assets: [weeth],
        log: (l) => lines.push(l),
      });
    const actions = await round();
    const status = (a: string) => actions.find((x) => x.action === a)?.outcome.status;
    expect(status("guard.trip"), lines.join("\n")).to.equal("sent");
    expect(status("graceAdapter.sync"), lines.join("\n")).to.equal("sent");
    const g = new Contract(await pool.getAddress(), ["function getLiquidationGracePeriod(address) view returns (uint40)"], ethers.provider);
    expect(Number(await g.getLiquidationGracePeriod(weeth))).to.be.greaterThan(await time.latest());
    await expect(liquidate("weETH", A)).to.be.revertedWithCustomError(new Contract(await pool.getAddress(), errors36()), "LiquidationGraceSentinelCheckFailed");
    // The next round has nothing to mirror: the grace period already matches the guard.
    const again = await round();
    expect(again.find((x) => x.action === "graceAdapter.sync")?.outcome.status).to.equal("skipped-noop");
  });

  it("v3.0 control: the sentinel cannot stop the same liquidation at HF < 0.95", async function () {
    const { replica, A, depeg, liquidate, hf, cascade } = await loadFixture(v30);
    await depeg("weETH", 1200);
    expect(await hf(A)).to.be.lt((WAD * 95n) / 100n);
    await cascade.pauseGuard.trip(replica.assets.weETH.address);
    expect(await cascade.pauseGuard.isLiquidationAllowed()).to.equal(false);
    await expect(liquidate("weETH", A)).to.emit(replica.aave.pool, "LiquidationCall");
  });

  describe("AaveGracePeriodAdapter on the real v3.6 PoolConfigurator", function () {
    const graceUntil = async (pool: string, asset: string) =>
      Number(await new Contract(pool, ["function getLiquidationGracePeriod(address) view returns (uint40)"], ethers.provider).getLiquidationGracePeriod(asset));

    it("does nothing while the guard is idle; reports its guard, configurator and pool", async function () {
      const { replica, grace, cascade } = await loadFixture(v36);
      const weeth = replica.assets.weETH.address;
      expect(await grace!.adapter.sync.staticCall(weeth)).to.equal(false);
      await expect(grace!.adapter.sync(weeth)).to.not.emit(grace!.adapter, "GracePeriodMirrored");
      expect(await graceUntil(await replica.aave.pool.getAddress(), weeth)).to.equal(0);
      expect(await grace!.adapter.MAX_GRACE_PERIOD()).to.equal(BigInt(4 * HOUR));
      expect(await grace!.adapter.GUARD()).to.equal(cascade.addresses.pauseGuard);
      expect(await grace!.adapter.CONFIGURATOR()).to.equal(await replica.aave.poolConfigurator.getAddress());
      expect(await grace!.adapter.POOL()).to.equal(await replica.aave.pool.getAddress());
      expect(await replica.aave.aclManager.isEmergencyAdmin(grace!.address)).to.equal(true);
    });

    it("caps one grace period at 4 h, re-extends it within the guard's pause, and a second sync is a no-op", async function () {
      const { replica, depeg, cascade, grace } = await loadFixture(v36);
      const weeth = replica.assets.weETH.address;
      const pool = await replica.aave.pool.getAddress();
      await depeg("weETH", 1200);
      await cascade.pauseGuard.trip(weeth);
      const p = await cascade.pauseGuard.getPauseState(weeth);
      expect(Number(p.liquidationBlockedUntil) - (await time.latest())).to.be.greaterThan(4 * HOUR);
      await grace!.adapter.sync(weeth);
      const first = await graceUntil(pool, weeth);
      expect(first).to.equal((await time.latest()) + 4 * HOUR);
      expect(await grace!.adapter.sync.staticCall(weeth)).to.equal(false);
      await time.increase(3 * HOUR);
      await depeg("weETH", 1200);
      await expect(grace!.adapter.sync(weeth)).to.emit(grace!.adapter, "GracePeriodMirrored");
      expect(await graceUntil(pool, weeth)).to.equal(Number(p.liquidationBlockedUntil));
    });

    it("refuses to act on a reserve Aave's emergency admin paused (setReservePause(asset, false, grace) would unpause it)", async function () {
      const { replica, depeg, cascade, grace } = await loadFixture(v36);
      const weeth = replica.assets.weETH.address;
      await depeg("weETH", 1200);
      await cascade.pauseGuard.trip(weeth);
      const c = new Contract(await replica.aave.poolConfigurator.getAddress(), ["function setReservePause(address,bool)"], replica.deployer);
      await (await c.setReservePause(weeth, true)).wait();
      await expect(grace!.adapter.sync(weeth)).to.be.revertedWithCustomError(grace!.adapter, "GraceAdapterReservePaused").withArgs(weeth);
      expect((await readReserveConfig(replica.aave, weeth)).paused).to.equal(true);
    });

    it("rejects zero addresses, and installing on a v3.0 Pool (no grace period) is refused by name", async function () {
      const { grace } = await loadFixture(v36);
      await expect(
        ethers.deployContract("AaveGracePeriodAdapter", [ethers.ZeroAddress, ethers.ZeroAddress, ethers.ZeroAddress]),
      ).to.be.revertedWithCustomError(grace!.adapter, "GraceAdapterZeroAddress");
      const { replica, cascade } = await loadFixture(v30);
      const err = await installGraceAdapter({
        signer: replica.deployer,
        addressesProvider: String(replica.aave.addressesProvider.target),
        pauseGuard: cascade.addresses.pauseGuard,
      }).then(() => undefined, (e: Error) => e);
      expect(err?.message).to.match(/has no liquidation grace period \(Aave v3\.0\)/);
    });
  });
});
