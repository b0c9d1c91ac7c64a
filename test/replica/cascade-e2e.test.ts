import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256 } from "ethers";
import { readReserveConfig } from "../../scripts/aave";
import { cascadeAssetsFromReplica, deployCascadeGuard, DEFAULT_GUARD_CONFIG, installCascadeGuard } from "../../scripts/guard";
import { deployReplicaMarket, openPositions, planPosition } from "../../scripts/markets/replica";
import { WAD } from "../../spec/units";

const E = (n: number) => BigInt(Math.round(n * 1e6)) * 10n ** 12n;

/**
 * Replica in the market-price regime (a market depeg moves Aave health factors) with three weETH eMode loops:
 * A at HF 1.08, B at HF 1.01, C at HF 1.9. An 8% market discount takes A to ~0.994 (in [0.95, 1)) and B to ~0.929
 * (< 0.95) while the exchange rate is intact (a liquidity dislocation: trippable).
 */
async function unprotectedFixture() {
  const [deployer, keeper, guardian, liquidator, alice] = await ethers.getSigners();
  const replica = await deployReplicaMarket({ deployer, aave: "3.0", priceRegime: "market-price", withoutDex: true });
  const plans = [
    planPosition(replica.market, { index: 0, symbol: "weETH", inEMode: true, targetHf: 1.08, equityEth: 10, aaveVersion: "3.0" }),
    planPosition(replica.market, { index: 1, symbol: "weETH", inEMode: true, targetHf: 1.01, equityEth: 10, aaveVersion: "3.0" }),
    planPosition(replica.market, { index: 2, symbol: "weETH", inEMode: true, targetHf: 1.9, equityEth: 10, aaveVersion: "3.0" }),
  ];
  const population = await openPositions({ replica, plans });
  const [A, B, C] = population.positions.map((p) => p.account);
  const pool = replica.aave.pool;
  const poolAddress = await pool.getAddress();
  await replica.weth.token.mint(liquidator.address, 10_000n * WAD);
  await replica.weth.token.connect(liquidator).approve(poolAddress, MaxUint256);
  const weeth = replica.assets.weETH;
  const rate = await weeth.rateProvider!.getRate();
  /** Market price of weETH `bps` below its exchange rate. */
  const depeg = async (bps: number) => weeth.marketFeed!.setAnswer((rate * BigInt(10_000 - bps)) / 10_000n);
  const liquidate = (user: string) =>
    pool.connect(liquidator).liquidationCall(weeth.address, replica.weth.address, user, MaxUint256, false);
  const borrowAs = async (account: string, amount: bigint) =>
    population.opener.execute(account, poolAddress, pool.interface.encodeFunctionData("borrow", [replica.weth.address, amount, 2, 0, account]));
  const hf = async (user: string) => (await pool.getUserAccountData(user)).healthFactor;
  return { replica, population, deployer, keeper, guardian, liquidator, alice, A, B, C, weeth, depeg, liquidate, borrowAs, hf, rate };
}

async function protectedFixture() {
  const base = await unprotectedFixture();
  const { replica, deployer, keeper, guardian } = base;
  const addressesProvider = String(replica.aave.addressesProvider.target);
  const assets = await cascadeAssetsFromReplica(replica, { symbols: ["weETH"] });
  const cascade = await deployCascadeGuard({ deployer, addressesProvider, assets, keeper: keeper.address, guardian: guardian.address });
  const install = await installCascadeGuard({ signer: deployer, addressesProvider, cascade });
  return { ...base, cascade, install, addressesProvider };
}

describe("Cascade Guard installed on the replica (end to end through the real Aave v3.0.2 Pool)", () => {
  describe("install", () => {
    it("sets the guard as price oracle sentinel and grants RISK_ADMIN to the haircut module; re-running is a no-op", async () => {
      const { replica, cascade, install, deployer, addressesProvider } = await loadFixture(protectedFixture);
      expect(await replica.aave.addressesProvider.getPriceOracleSentinel()).to.equal(cascade.addresses.pauseGuard);
      expect(install.sentinelSet).to.equal(true);
      if (cascade.addresses.haircutModule) {
        expect(await replica.aave.aclManager.isRiskAdmin(cascade.addresses.haircutModule)).to.equal(true);
        expect(install.grantedRiskAdmin).to.equal(true);
      }
      const again = await installCascadeGuard({ signer: deployer, addressesProvider, cascade });
      expect(again).to.deep.equal({ grantedRiskAdmin: false, sentinelSet: false, haircutAssetsConfigured: [] });
    });
  });

  describe("control: without Cascade Guard", () => {
    it("a position at HF in [0.95, 1) is liquidated during the same dislocation", async () => {
      const { depeg, liquidate, A, hf, replica } = await loadFixture(unprotectedFixture);
      await depeg(800);
      const h = await hf(A);
      expect(h).to.be.gte((WAD * 95n) / 100n).and.lt(WAD);
      await expect(liquidate(A)).to.emit(replica.aave.pool, "LiquidationCall");
    });
  });

  describe("while tripped (8% market discount, exchange rate intact)", () => {
    async function tripped() {
      const f = await loadFixture(protectedFixture);
      await f.depeg(800);
      await f.cascade.pauseGuard.trip(f.weeth.address);
      return f;
    }

    it("liquidationCall on a position with HF in [0.95, 1) reverts (PRICE_ORACLE_SENTINEL_CHECK_FAILED)", async () => {
      const { liquidate, A, hf, cascade, weeth } = await tripped();
      expect(await cascade.pauseGuard.isAssetPaused(weeth.address)).to.equal(true);
      const h = await hf(A);
      expect(h).to.be.gte((WAD * 95n) / 100n).and.lt(WAD);
      await expect(liquidate(A)).to.be.revertedWith("59");
    });

    it("borrowing reverts (PRICE_ORACLE_SENTINEL_CHECK_FAILED)", async () => {
      const { borrowAs, C } = await tripped();
      await expect(borrowAs(C, WAD / 10n)).to.be.revertedWith("59");
    });

    it("below HF 0.95 Aave v3.0.2 liquidates anyway (the sentinel is consulted only at HF >= 0.95)", async () => {
      const { liquidate, B, hf, replica } = await tripped();
      expect(await hf(B)).to.be.lt((WAD * 95n) / 100n);
      await expect(liquidate(B)).to.emit(replica.aave.pool, "LiquidationCall");
    });

    it("after the pause and its grace, the HF [0.95, 1) position is liquidated", async () => {
      const { liquidate, A, replica, depeg } = await tripped();
      await time.increase(DEFAULT_GUARD_CONFIG.maxPauseSeconds + DEFAULT_GUARD_CONFIG.postPauseGraceSeconds + 1);
      await depeg(800); // refresh the feed timestamp; same discount
      await expect(liquidate(A)).to.emit(replica.aave.pool, "LiquidationCall");
    });
  });

  describe("real loss", () => {
    it("an IMPAIRED asset (exchange rate 2% below its recent high) cannot be tripped", async () => {
      const { cascade, weeth, rate, depeg } = await loadFixture(protectedFixture);
      await cascade.riskOracle.poke(weeth.address); // keepers poke continuously: the recent high is recorded
      await time.increase(60);
      await weeth.rateProvider!.setRate((rate * 98n) / 100n);
      await depeg(800);
      await cascade.riskOracle.poke(weeth.address);
      expect(await cascade.riskOracle.getRiskLevel(weeth.address)).to.equal(3n); // IMPAIRED
      await expect(cascade.pauseGuard.trip(weeth.address)).to.be.revertedWithCustomError(cascade.pauseGuard, "GuardAssetImpaired");
      const guardian = (await ethers.getSigners())[2];
      await expect(cascade.pauseGuard.connect(guardian).guardianTrip(weeth.address, 3600)).to.be.revertedWithCustomError(
        cascade.pauseGuard,
        "GuardAssetImpaired",
      );
    });
  });

  describe("freezing", () => {
    it("the haircut module freezes an IMPAIRED reserve: new supply of it reverts, LTV goes to its floor", async function () {
      const f = await loadFixture(protectedFixture);
      const { replica, cascade, weeth, rate, depeg, alice } = f;
      await cascade.riskOracle.poke(weeth.address);
      await time.increase(60);
      await weeth.rateProvider!.setRate((rate * 97n) / 100n);
      await depeg(0);
      await cascade.haircutModule!.poke(weeth.address);
      const cfg = await readReserveConfig(replica.aave, weeth.address);
      expect(cfg.frozen).to.equal(true);
      expect(cfg.ltvBps).to.equal(Number((await cascade.haircutModule!.getHaircutConfig(weeth.address)).floorLtvBps));
      await weeth.token.mint(alice.address, WAD);
      await weeth.token.connect(alice).approve(await replica.aave.pool.getAddress(), WAD);
      await expect(replica.aave.pool.connect(alice).supply(weeth.address, WAD, alice.address, 0)).to.be.revertedWith("28");
    });

    it("a frozen reserve takes no new supply and no new borrow (unfrozen, the same calls succeed)", async () => {
      const { replica, alice, borrowAs, C } = await loadFixture(unprotectedFixture);
      const { pool, poolConfigurator } = replica.aave;
      const weeth = replica.assets.weETH;
      await weeth.token.mint(alice.address, WAD);
      await weeth.token.connect(alice).approve(await pool.getAddress(), WAD);
      await poolConfigurator.setReserveFreeze(weeth.address, true);
      expect((await readReserveConfig(replica.aave, weeth.address)).frozen).to.equal(true);
      await expect(pool.connect(alice).supply(weeth.address, WAD, alice.address, 0)).to.be.revertedWith("28");
      await poolConfigurator.setReserveFreeze(replica.weth.address, true);
      await expect(borrowAs(C, WAD / 10n)).to.be.revertedWith("28");
      // control: unfrozen, the same calls succeed
      await poolConfigurator.setReserveFreeze(weeth.address, false);
      await poolConfigurator.setReserveFreeze(replica.weth.address, false);
      await pool.connect(alice).supply(weeth.address, WAD, alice.address, 0);
      await borrowAs(C, WAD / 10n);
    });
  });

  describe("haircut module", () => {
    it("a poke under a persistent discount lowers the reserve's and the eMode category's LTV/LT as read from the Pool", async function () {
      const f = await loadFixture(protectedFixture);
      const { replica, weeth, depeg, cascade } = f;
      const before = await readReserveConfig(replica.aave, weeth.address);
      const eBefore = await replica.aave.pool.getEModeCategoryData(1);
      await depeg(600);
      await cascade.haircutModule!.poke(weeth.address);
      await time.increase(3600);
      await depeg(600);
      await cascade.haircutModule!.poke(weeth.address);
      const after = await readReserveConfig(replica.aave, weeth.address);
      const eAfter = await replica.aave.pool.getEModeCategoryData(1);
      expect(after.ltvBps).to.be.lt(before.ltvBps);
      expect(after.liquidationThresholdBps).to.be.lte(before.liquidationThresholdBps);
      expect(eAfter.ltv).to.be.lt(eBefore.ltv);
      expect(eAfter.liquidationThreshold).to.be.lte(eBefore.liquidationThreshold);
      const state = await cascade.haircutModule!.getHaircutState(weeth.address);
      expect(Number(state.ltvBps)).to.equal(after.ltvBps);
      expect(Number(state.eModeLtvBps)).to.equal(Number(eAfter.ltv));
    });
  });
});
