import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { DAY, HOUR, RiskLevel, WAD, defaultHaircutConfig, defaultParams, deployHaircutFixture } from "./fixtures";
import * as rm from "../../spec/riskMath";

const P = defaultParams();
const KNOTS: rm.Knots = [
  Number(P.knot0DiscountBps), Number(P.knot0HaircutBps), Number(P.knot1DiscountBps), Number(P.knot1HaircutBps),
  Number(P.knot2DiscountBps), Number(P.knot2HaircutBps), Number(P.knot3DiscountBps), Number(P.knot3HaircutBps),
];

describe("WideningHaircutModule (against the real Aave v3.0.2 PoolConfigurator)", function () {
  describe("configureAsset", function () {
    it("stores config and state taken from the on-chain values", async function () {
      const { module, weethAddr, readAave } = await loadFixture(deployHaircutFixture);
      const a = await readAave();
      expect([a.ltv, a.lt, a.lb, a.eLtv, a.eLt, a.eLb]).to.deep.equal([77_50, 80_00, 7_00, 93_00, 95_00, 101_00]);
      expect(a.eLabel).to.equal("ETH correlated"); // label and price source kept
      const s = await module.getHaircutState(weethAddr);
      expect([s.ltvBps, s.ltBps, s.eModeLtvBps, s.eModeLtBps]).to.deep.equal([7750n, 8000n, 9300n, 9500n]);
      expect(await module.getAssets()).to.deep.equal([weethAddr]);
      expect((await module.getHaircutConfig(weethAddr)).ltRampBpsPerHour).to.equal(50n);
      const { aave, oracle } = await loadFixture(deployHaircutFixture);
      expect(await module.ADDRESSES_PROVIDER()).to.equal(aave.addressesProvider.target);
      expect(await module.POOL()).to.equal(aave.pool.target);
      expect(await module.CONFIGURATOR()).to.equal(aave.poolConfigurator.target);
      expect(await module.ORACLE()).to.equal(await oracle.getAddress());
    });

    it("is governance only", async function () {
      const { module, weethAddr, alice } = await loadFixture(deployHaircutFixture);
      await expect(module.connect(alice).configureAsset(weethAddr, defaultHaircutConfig()))
        .to.be.revertedWithCustomError(module, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, ethers.ZeroHash);
    });

    it("rejects each invalid field by name", async function () {
      const { module, weethAddr } = await loadFixture(deployHaircutFixture);
      const c = defaultHaircutConfig();
      const bad: [string, object][] = [
        ["baseLtBps", { baseLtBps: 0 }],
        ["baseLtvBps", { baseLtvBps: 81_00 }],
        ["baseLtvBps", { baseLtvBps: 0 }],
        ["liquidationBonusBps", { liquidationBonusBps: 100_00 }],
        ["liquidationBonusBps", { liquidationBonusBps: 126_00 }], // 80% x 126% > 100%
        ["floorLtvBps", { floorLtvBps: 0 }], // LTV 0 has a special meaning on Aave
        ["floorLtBps", { floorLtBps: 0 }],
        ["floorLtBps", { floorLtBps: 50, floorLtvBps: 100 }],
        ["ltRampBpsPerHour", { ltRampBpsPerHour: 0 }],
        ["recoveryBpsPerHour", { recoveryBpsPerHour: 0 }],
        ["recoveryBandBps", { recoveryBandBps: 10_000 }],
        ["eModeCategoryId", { eModeCategoryId: 2 }],
        ["eModeBaseLtBps", { eModeBaseLtBps: 10_000 }],
        ["eModeBaseLtvBps", { eModeBaseLtvBps: 96_00 }],
        ["eModeLiquidationBonusBps", { eModeLiquidationBonusBps: 106_00 }],
        ["eModeFloorLtvBps", { eModeFloorLtvBps: 94_00 }],
        ["eModeFloorLtBps", { eModeFloorLtBps: 84_00 }],
      ];
      for (const [field, patch] of bad) {
        await expect(module.configureAsset(weethAddr, { ...c, ...patch }))
          .to.be.revertedWithCustomError(module, "HaircutInvalidConfig")
          .withArgs(weethAddr, field);
      }
      await expect(
        module.configureAsset(weethAddr, { ...c, eModeCategoryId: 0 }),
      ).to.be.revertedWithCustomError(module, "HaircutInvalidConfig"); // eMode values without a category
    });

    it("rejects eMode floors that Aave v3.0.2 would refuse (at or below a member's LTV/LT)", async function () {
      const { module, weethAddr, wethAddr } = await loadFixture(deployHaircutFixture);
      const c = defaultHaircutConfig();
      await expect(module.configureAsset(weethAddr, { ...c, eModeFloorLtvBps: 80_50 }))
        .to.be.revertedWithCustomError(module, "HaircutEModeFloorBelowMember")
        .withArgs(1, wethAddr, 80_50, 80_50);
      await expect(module.configureAsset(weethAddr, { ...c, eModeFloorLtvBps: 82_00, eModeFloorLtBps: 83_00 }))
        .to.be.revertedWithCustomError(module, "HaircutEModeFloorBelowMember")
        .withArgs(1, wethAddr, 83_00, 83_00);
      await expect(module.configureAsset(weethAddr, { ...c, eModeFloorLtvBps: 77_50, eModeFloorLtBps: 85_00 }))
        .to.be.revertedWithCustomError(module, "HaircutEModeFloorBelowMember")
        .withArgs(1, weethAddr, 77_50, 77_50);
    });

    it("rejects an asset that is not an Aave reserve or not in the oracle", async function () {
      const { module, oracle, config, alice, weethAddr, aave } = await loadFixture(deployHaircutFixture);
      await expect(module.configureAsset(alice.address, defaultHaircutConfig()))
        .to.be.revertedWithCustomError(module, "HaircutInvalidConfig")
        .withArgs(alice.address, "asset");
      await expect(module.configureAsset(ethers.ZeroAddress, defaultHaircutConfig()))
        .to.be.revertedWithCustomError(module, "HaircutInvalidConfig")
        .withArgs(ethers.ZeroAddress, "asset");
      const fresh = await ethers.deployContract("CollateralRiskOracle", [alice.address]);
      const m2 = await ethers.deployContract("WideningHaircutModule", [
        aave.addressesProvider.target as string,
        await fresh.getAddress(),
        (await ethers.getSigners())[0].address,
      ]);
      await expect(m2.configureAsset(weethAddr, defaultHaircutConfig()))
        .to.be.revertedWithCustomError(m2, "HaircutInvalidConfig")
        .withArgs(weethAddr, "oracle");
      expect(config.marketFeed).to.not.equal(ethers.ZeroAddress);
      expect(await oracle.isAssetConfigured(weethAddr)).to.equal(true);
    });

    it("reconfiguration keeps a haircut in force and writes nothing (the state is what is on-chain)", async function () {
      const { module, weethAddr, setDiscount, readAave } = await loadFixture(deployHaircutFixture);
      await module.poke(weethAddr);
      await setDiscount(1_000);
      await module.poke(weethAddr);
      expect((await readAave()).ltv).to.equal(77_50 - 1_550);
      await expect(module.configureAsset(weethAddr, { ...defaultHaircutConfig(), floorLtvBps: 65_00 })).not.to.emit(
        module,
        "HaircutUpdated",
      );
      expect((await readAave()).ltv).to.equal(77_50 - 1_550);
      expect((await module.getHaircutState(weethAddr)).ltvBps).to.equal(62_00n);
    });
  });

  describe("poke", function () {
    it("reverts for an unknown asset", async function () {
      const { module, alice } = await loadFixture(deployHaircutFixture);
      await expect(module.poke(alice.address))
        .to.be.revertedWithCustomError(module, "HaircutUnknownAsset")
        .withArgs(alice.address);
      await expect(module.previewTarget(alice.address)).to.be.revertedWithCustomError(module, "HaircutUnknownAsset");
    });

    it("is a no-op at par (no Aave write, no event)", async function () {
      const { module, weethAddr } = await loadFixture(deployHaircutFixture);
      await module.poke(weethAddr);
      await time.increase(HOUR);
      await expect(module.poke(weethAddr)).not.to.emit(module, "HaircutUpdated");
      const s = await module.getHaircutState(weethAddr);
      expect(s.rampClockAt).to.equal(0n);
    });

    it("cuts LTV at once on a spot discount (reserve and eMode), leaves LT to the ramp", async function () {
      const { module, oracle, weethAddr, setDiscount, readAave } = await loadFixture(deployHaircutFixture);
      await module.poke(weethAddr);
      await setDiscount(400);
      await expect(module.poke(weethAddr))
        .to.emit(module, "HaircutUpdated")
        .withArgs(weethAddr, 77_50, 73_00, 80_00, 80_00);
      const a = await readAave();
      expect([a.ltv, a.lt, a.eLtv, a.eLt]).to.deep.equal([73_00, 80_00, 88_50, 95_00]);
      // the TypeScript mirror gives the same targets from the oracle's state
      const st = await oracle.getAssetState(weethAddr);
      const c = defaultHaircutConfig();
      const t = rm.haircutTarget({
        discountBps: st.discountBps,
        emaDiscountBps: st.emaDiscountBps,
        navDropBps: st.navDropBps,
        impaired: st.level === RiskLevel.IMPAIRED,
        navDropHaircutMultiplierBps: BigInt(P.navDropHaircutMultiplierBps),
        knots: KNOTS,
        baseLtvBps: BigInt(c.baseLtvBps),
        baseLtBps: BigInt(c.baseLtBps),
        floorLtvBps: BigInt(c.floorLtvBps),
        floorLtBps: BigInt(c.floorLtBps),
      });
      const preview = await module.previewTarget(weethAddr);
      expect(preview.targetLtvBps).to.equal(t.targetLtvBps);
      expect(preview.targetLtBps).to.equal(t.targetLtBps);
      expect(preview.ltvHaircutBps).to.equal(t.ltvHaircutBps);
    });

    it("ramps LT down at most ltRampBpsPerHour and drags LTV under it; stops at the floors", async function () {
      const { module, weethAddr, setDiscount, readAave, refreshFeeds } = await loadFixture(deployHaircutFixture);
      await module.poke(weethAddr);
      await setDiscount(1_000);
      await module.poke(weethAddr);
      let prev = await readAave();
      let prevT = await time.latest();
      let sawRamp = false;
      for (let h = 0; h < 26; h++) {
        await time.increase(HOUR);
        await refreshFeeds();
        await module.poke(weethAddr);
        const now = await time.latest();
        const a = await readAave();
        const allowed = Math.floor((50 * (now - prevT)) / 3600) + 1;
        expect(prev.lt - a.lt).to.be.at.most(allowed);
        expect(prev.eLt - a.eLt).to.be.at.most(allowed);
        expect(a.ltv).to.be.at.most(a.lt);
        expect(a.eLtv).to.be.at.most(a.eLt);
        if (a.lt < prev.lt) sawRamp = true;
        prev = a;
        prevT = now;
      }
      expect(sawRamp).to.equal(true);
      const a = await readAave();
      expect(a.lt).to.equal(70_00); // 80% - 15.5% clamped at the 70% floor after ~20 h
      expect(a.eLt).to.equal(95_00); // category 1 is shared with WETH: its LT is never cut (H-1)
      expect(a.ltv).to.equal(62_00);
      expect(a.eLtv).to.equal(85_00); // 93% - 15.5% clamped at the 85% eMode floor
      expect((await module.getHaircutState(weethAddr)).rampClockAt).to.equal(0n);
    });

    it("frequent pokes lose no ramp time (the clock advances by the seconds each step consumed)", async function () {
      const { module, weethAddr, setDiscount, readAave, refreshFeeds } = await loadFixture(deployHaircutFixture);
      await module.poke(weethAddr);
      await setDiscount(1_500);
      await module.poke(weethAddr); // the keeper pokes on the feed's round
      await time.increase(6 * HOUR); // EMA close to 1500: LT target at the floor, far below
      await refreshFeeds();
      await module.poke(weethAddr); // starts the ramp clock
      const start = await time.latest();
      const lt0 = (await readAave()).lt;
      // poke every 100 s for 2 h: each interval alone is worth only 1.39 bp at 50 bp/h
      for (let i = 0; i < 72; i++) {
        await time.increase(99);
        await module.poke(weethAddr);
      }
      const elapsed = (await time.latest()) - start;
      const dropped = lt0 - (await readAave()).lt;
      expect(dropped).to.equal(Math.floor((50 * elapsed) / 3600));
    });

    it("recovers only after the cooldown below the recovery band, then slowly", async function () {
      const { module, weethAddr, setDiscount, readAave, refreshFeeds } = await loadFixture(deployHaircutFixture);
      await module.poke(weethAddr);
      await setDiscount(1_000);
      await module.poke(weethAddr);
      expect((await readAave()).ltv).to.equal(62_00);
      await setDiscount(0);
      await module.poke(weethAddr);
      const calmSince = await time.latest();
      expect((await module.getHaircutState(weethAddr)).belowRecoveryBandSince).to.equal(calmSince);
      // a whole day below the band but before the cooldown ends: nothing rises
      await time.increase(DAY - 10);
      await refreshFeeds();
      await module.poke(weethAddr);
      expect((await readAave()).ltv).to.equal(62_00);
      await time.increase(10);
      await refreshFeeds();
      await module.poke(weethAddr); // cooldown over: the recovery clock starts
      expect((await readAave()).ltv).to.equal(62_00);
      await time.increase(HOUR);
      await refreshFeeds();
      await expect(module.poke(weethAddr)).to.emit(module, "HaircutUpdated").withArgs(weethAddr, 62_00, 62_25, 80_00, 80_00);
      const a = await readAave();
      expect(a.eLtv).to.equal(85_00 + 25); // eMode LTV sat at its 85% floor, recovering 25 bp per hour
    });

    it("a renewed discount resets the recovery cooldown", async function () {
      const { module, weethAddr, setDiscount, refreshFeeds, readAave } = await loadFixture(deployHaircutFixture);
      await module.poke(weethAddr);
      await setDiscount(1_000);
      await module.poke(weethAddr);
      await setDiscount(0);
      await module.poke(weethAddr);
      await time.increase(DAY / 2);
      await refreshFeeds();
      await setDiscount(60); // above the 50 bp band
      await module.poke(weethAddr);
      expect((await module.getHaircutState(weethAddr)).belowRecoveryBandSince).to.equal(0n);
      await setDiscount(0);
      await time.increase(DAY - 100);
      await refreshFeeds();
      await module.poke(weethAddr);
      await time.increase(2 * HOUR);
      await refreshFeeds();
      await module.poke(weethAddr);
      expect((await readAave()).ltv).to.equal(62_00);
    });

    it("on IMPAIRED: LTV to its floor at once, reserve frozen; unfrozen after recovery", async function () {
      const { module, weethAddr, weEth, rate, readAave, refreshFeeds } = await loadFixture(deployHaircutFixture);
      await module.poke(weethAddr);
      await weEth.setRate((rate * 98n) / 100n); // -2% NAV: slashing
      const tx = module.poke(weethAddr);
      await expect(tx).to.emit(module, "ReserveFreezeUpdated").withArgs(weethAddr, true);
      await expect(tx).to.emit(module, "EModeHaircutUpdated");
      let a = await readAave();
      expect(a.ltv).to.equal(1_00);
      expect(a.eLtv).to.equal(85_00);
      expect(a.frozen).to.equal(true);
      expect(a.lt).to.equal(80_00); // LT still ramps
      expect((await module.getHaircutState(weethAddr)).frozenByModule).to.equal(true);
      await time.increase(2 * HOUR);
      await refreshFeeds();
      await module.poke(weethAddr);
      a = await readAave();
      expect(a.lt).to.be.lessThan(80_00);
      expect(a.lt).to.be.at.least(80_00 - 200); // NAV-drop haircut is 200 bp at 1x
      // NAV restored: the cooldown runs, then the module unfreezes
      await weEth.setRate(rate);
      await refreshFeeds();
      await module.poke(weethAddr);
      expect((await readAave()).frozen).to.equal(true);
      await time.increase(DAY);
      await refreshFeeds();
      await expect(module.poke(weethAddr)).to.emit(module, "ReserveFreezeUpdated").withArgs(weethAddr, false);
      expect((await readAave()).frozen).to.equal(false);
    });

    it("never takes over a freeze set by governance", async function () {
      const { module, aave, weethAddr, weEth, rate, readAave, refreshFeeds } = await loadFixture(deployHaircutFixture);
      await aave.poolConfigurator.setReserveFreeze(weethAddr, true);
      await module.poke(weethAddr);
      await weEth.setRate((rate * 98n) / 100n);
      await expect(module.poke(weethAddr)).not.to.emit(module, "ReserveFreezeUpdated");
      expect((await module.getHaircutState(weethAddr)).frozenByModule).to.equal(false);
      await weEth.setRate(rate);
      await time.increase(DAY + HOUR);
      await refreshFeeds();
      await module.poke(weethAddr);
      expect((await readAave()).frozen).to.equal(true);
    });
  });

  describe("invariants over a seeded random walk (real Aave read-back after each poke)", function () {
    it("floor <= value <= base, LTV <= LT, bounded LT ramp, increases only after the calm cooldown", async function () {
      const { module, weethAddr, setDiscount, readAave, refreshFeeds, weEth, rate } =
        await loadFixture(deployHaircutFixture);
      const c = defaultHaircutConfig();
      const steps = fc.sample(
        fc.record({
          discountBps: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 2_500 })),
          dtSeconds: fc.integer({ min: 60, max: 8 * HOUR }),
          navDrop: fc.boolean(),
        }),
        { numRuns: 40, seed: 424242 },
      );
      await module.poke(weethAddr);
      let prev = await readAave();
      let prevT = await time.latest();
      let lastAboveBandAt = prevT;
      for (const s of steps) {
        await time.increase(s.dtSeconds);
        await weEth.setRate(s.navDrop ? (rate * 99n) / 100n : rate);
        await setDiscount(s.discountBps);
        await refreshFeeds();
        await module.poke(weethAddr);
        const now = await time.latest();
        if (s.discountBps >= Number(c.recoveryBandBps) || s.navDrop) lastAboveBandAt = now;
        const a = await readAave();
        for (const [v, lo, hi] of [
          [a.ltv, c.floorLtvBps, c.baseLtvBps],
          [a.lt, c.floorLtBps, c.baseLtBps],
          [a.eLtv, c.eModeFloorLtvBps, c.eModeBaseLtvBps],
          [a.eLt, c.eModeFloorLtBps, c.eModeBaseLtBps],
        ] as const) {
          expect(v).to.be.within(Number(lo), Number(hi));
        }
        expect(a.ltv).to.be.at.most(a.lt);
        expect(a.eLtv).to.be.at.most(a.eLt);
        expect((a.lt * (10_000 + a.lb) + 5_000) / 10_000).to.be.at.most(10_000);
        const dt = now - prevT;
        expect(prev.lt - a.lt).to.be.at.most(Math.floor((50 * dt) / 3600) + 1);
        if (a.lt > prev.lt || a.ltv > prev.ltv || a.eLt > prev.eLt || a.eLtv > prev.eLtv) {
          expect(now - lastAboveBandAt).to.be.at.least(DAY);
          expect(a.lt - prev.lt).to.be.at.most(Math.floor((25 * dt) / 3600) + 1);
        }
        prev = a;
        prevT = now;
      }
      expect(WAD).to.equal(10n ** 18n);
    });
  });
});
