import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { DAY, HOUR } from "./fixtures";
import { CAT_ETH, CAT_EZETH, CAT_WEETH, deployHaircutV36Fixture, ezEthHaircutConfig } from "./fixturesV36";

const V3_0 = 0n;
const V3_2 = 1n;

describe("WideningHaircutModule on the real Aave v3.6 (liquid eMode, v3.6 freeze rules)", function () {
  describe("generation", function () {
    it("reads the Aave generation once, at construction: v3.2+ here", async function () {
      const { module, aave } = await loadFixture(deployHaircutV36Fixture);
      expect(await module.AAVE_GENERATION()).to.equal(V3_2);
      await expect(module.deploymentTransaction())
        .to.emit(module, "AaveGenerationDetected")
        .withArgs(await aave.pool.getAddress(), V3_2);
    });

    it("reads v3.0 on the v3.0.2 Pool", async function () {
      const { deployHaircutFixture } = await import("./fixtures");
      const { module } = await loadFixture(deployHaircutFixture);
      expect(await module.AAVE_GENERATION()).to.equal(V3_0);
    });
  });

  describe("configureAsset", function () {
    it("writes the base values into the reserve and the LRT's own category, keeping its label", async function () {
      const { readReserve, readEMode, ezethAddr } = await loadFixture(deployHaircutV36Fixture);
      const r = await readReserve(ezethAddr);
      expect([r.ltv, r.lt, r.lb, r.frozen]).to.deep.equal([72_00, 75_00, 107_50, false]);
      const e = await readEMode(CAT_EZETH, ezethAddr);
      expect([e.ltv, e.lt, e.lb, e.label, e.collateral]).to.deep.equal([93_00, 95_00, 101_00, "ezETH/WETH", true]);
    });

    it("refuses a category where the asset is not collateral (liquid eMode bitmap), by name", async function () {
      const { module, ezethAddr } = await loadFixture(deployHaircutV36Fixture);
      for (const id of [CAT_ETH, CAT_WEETH, 7]) {
        await expect(module.configureAsset(ezethAddr, { ...ezEthHaircutConfig(), eModeCategoryId: id }))
          .to.be.revertedWithCustomError(module, "HaircutInvalidConfig")
          .withArgs(ezethAddr, "eModeCategoryId");
      }
    });

    it("has no v3.0 member constraint: eMode floors below a member's reserve LTV are valid on v3.2+", async function () {
      const { module, ezethAddr } = await loadFixture(deployHaircutV36Fixture);
      // 50% eMode LTV floor < ezETH's own 72% reserve LTV: v3.0 would refuse it, v3.6 has no such rule.
      await expect(module.configureAsset(ezethAddr, ezEthHaircutConfig())).not.to.be.reverted;
    });
  });

  describe("an ezETH-only depeg", function () {
    it("cuts ezETH's reserve and its own category (LTV at once, LT ramped); WETH and weETH users untouched", async function () {
      const f = await loadFixture(deployHaircutV36Fixture);
      const { module, ezethAddr, weethAddr, wethAddr, setDiscount, refreshFeeds, readReserve, readEMode, hf } = f;
      const terms_ = async (who: { address: string }) => {
        const d = await f.aave.pool.getUserAccountData(who.address);
        return [d.currentLiquidationThreshold, d.ltv];
      };
      const before = {
        wethTerms: await terms_(f.wethLooper),
        weethTerms: await terms_(f.weethLooper),
        weth: await hf(f.wethLooper),
        weeth: await hf(f.weethLooper),
        ezeth: await hf(f.ezethLooper),
        eth: await readEMode(CAT_ETH, wethAddr),
        weethCat: await readEMode(CAT_WEETH, weethAddr),
        weethRes: await readReserve(weethAddr),
        wethRes: await readReserve(wethAddr),
      };
      await module.poke(ezethAddr);
      await setDiscount(1_000);
      await expect(module.poke(ezethAddr))
        .to.emit(module, "EModeHaircutUpdated")
        .withArgs(CAT_EZETH, 93_00, 93_00 - 1_550, 95_00, 95_00);
      expect((await readEMode(CAT_EZETH, ezethAddr)).ltv).to.equal(93_00 - 1_550);
      expect((await readReserve(ezethAddr)).ltv).to.equal(72_00 - 1_550);
      for (let h = 0; h < 40; h++) {
        await time.increase(HOUR);
        await refreshFeeds();
        await module.poke(ezethAddr);
      }
      const e = await readEMode(CAT_EZETH, ezethAddr);
      expect(e.lt).to.equal(80_00); // ezETH's own category LT ramped down to its floor (95% - 15.5%, floored at 80%)
      expect(e.label).to.equal("ezETH/WETH");
      expect((await readReserve(ezethAddr)).lt).to.be.lessThan(75_00);
      expect(await hf(f.ezethLooper)).to.be.lessThan(before.ezeth);
      // Nobody without ezETH is touched: same categories, same reserves, same health factors.
      expect(await readEMode(CAT_ETH, wethAddr)).to.deep.equal(before.eth);
      expect(await readEMode(CAT_WEETH, weethAddr)).to.deep.equal(before.weethCat);
      expect(await readReserve(weethAddr)).to.deep.equal(before.weethRes);
      expect(await readReserve(wethAddr)).to.deep.equal(before.wethRes);
      // Their health factors move by interest only: the LT and LTV the Pool applies to them are unchanged.
      for (const [who, terms] of [
        [f.wethLooper, before.wethTerms],
        [f.weethLooper, before.weethTerms],
      ] as const) {
        expect(await terms_(who)).to.deep.equal(terms);
      }
      expect(await hf(f.wethLooper)).to.be.greaterThan((before.weth * 9_99n) / 10_00n);
      expect(await hf(f.weethLooper)).to.be.greaterThan((before.weeth * 9_99n) / 10_00n);
    });

    it("holds the category LT (LTV cut only) once another collateral shares the category", async function () {
      const f = await loadFixture(deployHaircutV36Fixture);
      const { module, aave, ezethAddr, weethAddr, setDiscount, refreshFeeds, readEMode } = f;
      await aave.poolConfigurator.setAssetCollateralInEMode(weethAddr, CAT_EZETH, true);
      await module.poke(ezethAddr);
      await setDiscount(1_000);
      for (let h = 0; h < 10; h++) {
        await module.poke(ezethAddr);
        await time.increase(HOUR);
        await refreshFeeds();
      }
      const e = await readEMode(CAT_EZETH, ezethAddr);
      expect(e.ltv).to.equal(93_00 - 1_550);
      expect(e.lt).to.equal(95_00);
    });
  });

  describe("an offboarded reserve (LTV 0 on-chain, as rsETH and ezETH on v3.6)", function () {
    async function offboarded() {
      const f = await loadFixture(deployHaircutV36Fixture);
      // Governance offboards ezETH's reserve LTV; the category (93/95) still lends against it.
      await f.aave.poolConfigurator.configureReserveAsCollateral(f.ezethAddr, 0, 75_00, 107_50);
      return f;
    }
    const ltvZero = () => ({ ...ezEthHaircutConfig(), baseLtvBps: 0, floorLtvBps: 0 });

    it("is configured with base and floor LTV 0, and only so", async function () {
      const f = await offboarded();
      await expect(f.module.configureAsset(f.ezethAddr, { ...ltvZero(), floorLtvBps: 1_00 }))
        .to.be.revertedWithCustomError(f.module, "HaircutInvalidConfig")
        .withArgs(f.ezethAddr, "baseLtvBps");
      await expect(f.module.configureAsset(f.ezethAddr, ltvZero())).to.emit(f.module, "HaircutConfigured");
    });

    it("refuses base LTV 0 where the on-chain LTV is not 0 (the module never moves an LTV to 0)", async function () {
      const f = await loadFixture(deployHaircutV36Fixture);
      await expect(f.module.configureAsset(f.ezethAddr, ltvZero()))
        .to.be.revertedWithCustomError(f.module, "HaircutInvalidConfig")
        .withArgs(f.ezethAddr, "baseLtvBps");
    });

    it("cuts the category LTV on a depeg and freezes on IMPAIRED; the reserve LTV stays 0", async function () {
      const f = await offboarded();
      const { module, ezethAddr, readReserve, readEMode } = f;
      await module.configureAsset(ezethAddr, ltvZero());
      await module.poke(ezethAddr);
      await f.setDiscount(1_000);
      await expect(module.poke(ezethAddr))
        .to.emit(module, "EModeHaircutUpdated")
        .withArgs(CAT_EZETH, 93_00, 93_00 - 1_550, 95_00, 95_00);
      expect((await readReserve(ezethAddr)).ltv).to.equal(0);
      await f.weEth.setRate((f.rate * 97n) / 100n); // 3% NAV drop: IMPAIRED
      await f.setDiscount(0);
      await expect(module.poke(ezethAddr)).to.emit(module, "ReserveFreezeUpdated").withArgs(ezethAddr, true);
      const r = await readReserve(ezethAddr);
      expect([r.frozen, r.ltv, r.pendingLtv]).to.deep.equal([true, 0, 0]);
      expect((await readEMode(CAT_EZETH, ezethAddr)).ltv).to.equal(50_00); // the category's IMPAIRED floor
      expect((await readEMode(CAT_EZETH, ezethAddr)).ltvZero).to.equal(true);
    });
  });

  describe("freeze on IMPAIRED under v3.6 rules", function () {
    async function impaired() {
      const f = await loadFixture(deployHaircutV36Fixture);
      await f.module.poke(f.ezethAddr);
      await f.weEth.setRate((f.rate * 97n) / 100n); // 3% NAV drop: IMPAIRED
      await f.setDiscount(0);
      return f;
    }

    it("freezes once, Aave moves LTV to pending and sets the category's LTV-zero bit; later pokes do not fight it", async function () {
      const f = await impaired();
      const { module, ezethAddr, readReserve, readEMode, refreshFeeds } = f;
      await expect(module.poke(ezethAddr)).to.emit(module, "ReserveFreezeUpdated").withArgs(ezethAddr, true);
      let r = await readReserve(ezethAddr);
      expect(r.frozen).to.equal(true);
      expect(r.ltv).to.equal(0); // v3.6 writes LTV 0 on freeze
      expect(r.pendingLtv).to.equal(1_00); // the module's IMPAIRED floor, kept by Aave as pending
      expect((await readEMode(CAT_EZETH, ezethAddr)).ltvZero).to.equal(true);
      expect((await module.getHaircutState(ezethAddr)).frozenByModule).to.equal(true);
      for (let h = 0; h < 5; h++) {
        await time.increase(HOUR);
        await refreshFeeds();
        const tx = module.poke(ezethAddr);
        await expect(tx).not.to.emit(module, "ReserveFreezeUpdated");
        await expect(tx).not.to.emit(module, "GovernanceValueAdopted"); // Aave's freeze LTV 0 is not governance's
      }
      r = await readReserve(ezethAddr);
      expect([r.frozen, r.ltv]).to.deep.equal([true, 0]);
      expect(r.lt).to.be.lessThan(75_00); // LT still ramps while frozen
    });

    it("never freezes a reserve governance froze (v3.6 refuses a no-op freeze), nor unfreezes it later", async function () {
      const f = await impaired();
      const { module, aave, ezethAddr, readReserve } = f;
      await aave.poolConfigurator.setReserveFreeze(ezethAddr, true);
      await expect(module.poke(ezethAddr)).not.to.emit(module, "ReserveFreezeUpdated");
      expect((await module.getHaircutState(ezethAddr)).frozenByModule).to.equal(false);
      expect((await readReserve(ezethAddr)).frozen).to.equal(true);
    });

    it("unfreezes on recovery and restores the reserve LTV and the category's LTV-zero bit", async function () {
      const f = await impaired();
      const { module, ezethAddr, readReserve, readEMode, refreshFeeds } = f;
      await module.poke(ezethAddr);
      await f.weEth.setRate(f.rate);
      await f.setDiscount(0);
      let unfrozen = false;
      for (let h = 0; h < 60 && !unfrozen; h++) {
        await time.increase(HOUR);
        await refreshFeeds();
        const rc = await (await module.poke(ezethAddr)).wait();
        unfrozen = rc!.logs.some((l) => module.interface.parseLog(l)?.name === "ReserveFreezeUpdated");
      }
      expect(unfrozen).to.equal(true);
      const r = await readReserve(ezethAddr);
      const s = await module.getHaircutState(ezethAddr);
      expect(r.frozen).to.equal(false);
      expect(r.ltv).to.equal(Number(s.ltvBps)); // back from pending: the value the module holds
      expect(r.ltv).to.be.greaterThan(0);
      expect(r.pendingLtv).to.equal(0);
      expect((await readEMode(CAT_EZETH, ezethAddr)).ltvZero).to.equal(false);
      expect(s.frozenByModule).to.equal(false);
    });

    it("a recovery poke after governance unfroze the reserve does not revert (v3.6 refuses a no-op unfreeze)", async function () {
      const f = await impaired();
      const { module, aave, ezethAddr, readReserve, refreshFeeds } = f;
      await module.poke(ezethAddr);
      await aave.poolConfigurator.setReserveFreeze(ezethAddr, false);
      await f.weEth.setRate(f.rate);
      await f.setDiscount(0);
      for (let h = 0; h < 40; h++) {
        await time.increase(HOUR);
        await refreshFeeds();
        await module.poke(ezethAddr);
      }
      expect((await module.getHaircutState(ezethAddr)).frozenByModule).to.equal(false);
      expect((await readReserve(ezethAddr)).frozen).to.equal(false);
    });
  });
});

void DAY;
void ethers;
