import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  DAY,
  HOUR,
  RiskLevel,
  WAD,
  defaultBounds,
  defaultGuardConfig,
  defaultParams,
  deployGuardFixture,
  deployHaircutFixture,
  deployOracleFixture,
  defaultHaircutConfig,
  reserveOnlyHaircutConfig,
} from "./fixtures";
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
      const { oracle, guard, alice, aavePricing, guardConfig } = await loadFixture(deployGuardFixture);
      const extra = await addOracleAsset(oracle, { withParams: false });
      await aavePricing.priceByMarket([extra.asset], await extra.marketFeed.getAddress());
      await guard.configureAsset(extra.asset, guardConfig());
      await expect(guard.connect(alice).trip(extra.asset))
        .to.be.revertedWithCustomError(guard, "GuardModelParamsNotSet")
        .withArgs(extra.asset);
      expect(await guard.isLiquidationAllowed()).to.equal(true);
      expect(await guard.isBorrowAllowed()).to.equal(true);
    });
  });

  describe("M-2 catastrophic readings record IMPAIRED instead of reverting (real Aave v3.0.2)", function () {
    it("backing feed answering 0: IMPAIRED, LTV to its floor, reserve frozen", async function () {
      const { module, oracle, backingFeed, weethAddr, readAave } = await loadFixture(deployHaircutFixture);
      await time.increase(60);
      await backingFeed.setAnswer(0);
      await module.poke(weethAddr);
      const st = await oracle.getAssetState(weethAddr);
      expect(st.level).to.equal(RiskLevel.IMPAIRED);
      expect(st.backingShortfallBps).to.equal(10_000n);
      const a = await readAave();
      expect([a.ltv, a.frozen]).to.deep.equal([1_00, true]);
    });

    it("backing feed answering a negative price or going stale: IMPAIRED (fail closed)", async function () {
      const { module, oracle, backingFeed, weethAddr, marketFeed } = await loadFixture(deployHaircutFixture);
      await time.increase(60);
      await backingFeed.setAnswer(-1);
      await module.poke(weethAddr);
      expect(await oracle.getRiskLevel(weethAddr)).to.equal(RiskLevel.IMPAIRED);
      const f2 = await loadFixture(deployHaircutFixture);
      await time.increase(DAY + 60); // backing older than its heartbeat, market fresh
      await f2.marketFeed.setUpdatedAt(await time.latest());
      await f2.module.poke(f2.weethAddr);
      expect(await f2.oracle.getRiskLevel(f2.weethAddr)).to.equal(RiskLevel.IMPAIRED);
      void marketFeed;
    });

    it("rate below minRateWad in one update: IMPAIRED, the loss recorded, cut and frozen", async function () {
      const { module, oracle, weEth, marketFeed, weethAddr, readAave } = await loadFixture(deployHaircutFixture);
      await module.poke(weethAddr); // the keeper's last poke before the event: rate 1.05 is the recent high
      await time.increase(60);
      await weEth.setRate((WAD * 45n) / 100n); // -57% NAV
      await marketFeed.setAnswer((WAD * 40n) / 100n);
      await module.poke(weethAddr);
      const st = await oracle.getAssetState(weethAddr);
      expect(st.level).to.equal(RiskLevel.IMPAIRED);
      expect(st.exchangeRateWad).to.equal((WAD * 45n) / 100n);
      expect(st.navDropBps).to.be.greaterThan(5_000n);
      const a = await readAave();
      expect([a.ltv, a.frozen]).to.deep.equal([1_00, true]);
    });

    it("rate 0 or above maxRateWad: IMPAIRED, the last plausible rate kept", async function () {
      const { module, oracle, weEth, weethAddr, rate, readAave } = await loadFixture(deployHaircutFixture);
      await module.poke(weethAddr);
      await time.increase(60);
      await weEth.setRate(0);
      await module.poke(weethAddr);
      let st = await oracle.getAssetState(weethAddr);
      expect(st.level).to.equal(RiskLevel.IMPAIRED);
      expect(st.exchangeRateWad).to.equal(rate);
      expect((await readAave()).frozen).to.equal(true);
      await time.increase(60);
      await weEth.setRate(3n * WAD);
      await module.poke(weethAddr);
      st = await oracle.getAssetState(weethAddr);
      expect(st.level).to.equal(RiskLevel.IMPAIRED);
      expect(st.recentHighRateWad).to.equal(rate); // the implausible rate did not become the recent high
    });

    it("stale MARKET feed with a 9.5% NAV drop in the rate: IMPAIRED, cut and frozen without the market feed", async function () {
      const { module, oracle, weEth, backingFeed, weethAddr, readAave } = await loadFixture(deployHaircutFixture);
      await module.poke(weethAddr);
      await time.increase(DAY + 60); // market feed older than its 1-day heartbeat
      await weEth.setRate((WAD * 95n) / 100n);
      await backingFeed.setAnswer(95_000_000n); // fresh
      await module.poke(weethAddr);
      const st = await oracle.getAssetState(weethAddr);
      expect(st.level).to.equal(RiskLevel.IMPAIRED);
      expect(st.marketStale).to.equal(true);
      const a = await readAave();
      expect([a.ltv, a.frozen]).to.deep.equal([1_00, true]);
    });

    it("a market feed that reverts or answers <= 0 is stale, not a revert", async function () {
      const { oracle, asset, marketFeed } = await loadFixture(deployOracleFixture);
      await oracle.poke(asset);
      await time.increase(60);
      await marketFeed.setAnswer(0);
      await oracle.poke(asset);
      const st = await oracle.getAssetState(asset);
      expect(st.marketStale).to.equal(true);
      expect(st.level).to.equal(RiskLevel.NORMAL);
    });

    it("guard: once the backing feed says 0, anyone ends an active pause", async function () {
      const { guard, oracle, backingFeed, alice, asset, setDiscount } = await loadFixture(deployGuardFixture);
      await setDiscount(400);
      await guard.connect(alice).trip(asset);
      await time.increase(60);
      await backingFeed.setAnswer(0);
      await expect(guard.connect(alice).release(asset)).to.emit(guard, "PauseReleased");
      expect(await oracle.getRiskLevel(asset)).to.equal(RiskLevel.IMPAIRED);
      expect(await guard.isLiquidationAllowed()).to.equal(true);
    });

    it("guard: no trip on a discount carried over from a stale market feed", async function () {
      const { guard, alice, asset, setDiscount, backingFeed } = await loadFixture(deployGuardFixture);
      await setDiscount(400);
      await time.increase(DAY + 60);
      await backingFeed.setUpdatedAt(await time.latest());
      await expect(guard.connect(alice).trip(asset)).to.be.revertedWithCustomError(guard, "GuardMarketFeedStale").withArgs(asset);
    });

    it("an asset whose rate source is blind to unbacked mints (Kelp rsETHPrice) needs a backing feed", async function () {
      const { oracle, config } = await loadFixture(deployOracleFixture);
      const kelp = await ethers.deployContract("MockKelpLrtOracle", [WAD]);
      const adapter = await ethers.deployContract("KelpRsEthRateAdapter", [await kelp.getAddress()]);
      const rsEth = ethers.Wallet.createRandom().address;
      const noBacking = { ...config, rateAdapter: await adapter.getAddress(), backingFeed: ethers.ZeroAddress, backingHeartbeatSeconds: 0 };
      await expect(oracle.configureAsset(rsEth, noBacking))
        .to.be.revertedWithCustomError(oracle, "OracleBackingFeedRequired")
        .withArgs(rsEth, await adapter.getAddress());
      await expect(oracle.configureAsset(rsEth, { ...config, rateAdapter: await adapter.getAddress() })).not.to.be.reverted;
    });
  });

  describe("M-6 the EMA measures the market, not poke timing", function () {
    /** Calm 10 h (pokes every 10 min, or none), one 15% print poked at once, calm again 12 s later. */
    async function run(gapPokes: boolean) {
      const f = await loadFixture(deployHaircutFixture);
      const { module, oracle, weethAddr, setDiscount, refreshFeeds, readAave } = f;
      await module.poke(weethAddr);
      for (let i = 0; i < 60; i++) {
        await time.increase(10 * 60);
        await refreshFeeds();
        if (gapPokes) await module.poke(weethAddr);
      }
      await setDiscount(1500);
      await module.poke(weethAddr);
      const emaAtPrint = Number((await oracle.getAssetState(weethAddr)).emaDiscountBps);
      await time.increase(12);
      await setDiscount(0);
      await module.poke(weethAddr); // a keeper poking on the feed's next round
      let minLt = 80_00;
      for (let h = 1; h <= 24; h++) {
        await time.increase(HOUR);
        await refreshFeeds();
        await module.poke(weethAddr);
        minLt = Math.min(minLt, (await readAave()).lt);
      }
      return { emaAtPrint, emaAfter: Number((await oracle.getAssetState(weethAddr)).emaDiscountBps), minLt };
    }

    it("one 15% print after 10 h without pokes does not make the EMA ~1500 bps; same outcome at any cadence", async function () {
      const frequent = await run(true);
      const sparse = await run(false);
      expect(sparse.emaAtPrint).to.be.lessThan(10);
      expect(frequent.emaAtPrint).to.be.lessThan(10);
      expect(sparse.minLt).to.equal(frequent.minLt);
      expect(sparse.minLt).to.equal(80_00); // a 12-second print cuts no LT
    });

    it("a discount that lasts is still measured (the EMA follows a persistent 5% discount)", async function () {
      const { module, oracle, weethAddr, setDiscount, refreshFeeds } = await loadFixture(deployHaircutFixture);
      await module.poke(weethAddr);
      await setDiscount(500);
      await module.poke(weethAddr);
      for (let i = 0; i < 4; i++) {
        await time.increase(HOUR);
        await refreshFeeds();
        await module.poke(weethAddr);
      }
      // 4 h at 500 bps with a 1 h half-life: 500 * (1 - 2^-4) = 469
      expect(Number((await oracle.getAssetState(weethAddr)).emaDiscountBps)).to.be.within(460, 475);
    });
  });

  describe("M-1 pauses are capped market-wide, grace counted", function () {
    it("four correlated LRTs cannot chain trips beyond the market-wide cap (13 h per 7 days by default)", async function () {
      const { oracle, guard, alice, setDiscount, asset, refreshFeeds } = await loadFixture(deployGuardFixture);
      const extra = [await addOracleAsset(oracle), await addOracleAsset(oracle), await addOracleAsset(oracle)];
      for (const e of extra) await guard.configureAsset(e.asset, defaultGuardConfig());
      const all = [{ asset, refresh: refreshFeeds, set: setDiscount }, ...extra.map((e) => ({ asset: e.asset, refresh: e.refresh, set: e.setDiscount }))];
      let t0 = 0;
      let refused = 0;
      for (let round = 0; round < 2; round++) {
        for (const a of all) {
          await a.refresh();
          await a.set(400);
          try {
            await guard.connect(alice).trip(a.asset);
          } catch (e) {
            expect(String(e)).to.match(/GuardMarketCapExceeded|GuardCooldownActive/);
            refused++;
            continue;
          }
          const p = await guard.getPauseState(a.asset);
          if (t0 === 0) t0 = Number(p.pausedAt);
          await time.increaseTo(Number(p.pausedUntil)); // the next asset trips as soon as this pause ends
        }
      }
      const [, liqUntil] = await guard.getAggregate();
      expect(Number(liqUntil) - t0).to.be.at.most(13 * HOUR);
      expect(refused).to.be.greaterThan(0);
      expect(await guard.marketBlockedSecondsInWindow()).to.be.at.most(13n * BigInt(HOUR));
    });

    it("the guardian cannot exceed the market-wide cap either", async function () {
      const { oracle, guard, guardian, setDiscount, asset } = await loadFixture(deployGuardFixture);
      const b = await addOracleAsset(oracle);
      await guard.configureAsset(b.asset, defaultGuardConfig());
      await guard.setMarketLimits({ windowSeconds: 7 * DAY, maxBlockedSecondsPerWindow: 12 * HOUR });
      await setDiscount(400);
      await guard.trip(asset); // blocks 6 h + 30 min grace
      const t0 = await time.latest();
      await time.increaseTo(t0 + 6 * HOUR);
      await b.refresh();
      // adds [t0 + 6.5 h, at + d + 0.5 h]: the d that ends the block at t0 + 12 h fills the cap, one second more is refused
      const dMax = (at: number) => t0 + 12 * HOUR - at - HOUR / 2;
      await expect(guard.connect(guardian).guardianTrip(b.asset, dMax((await time.latest()) + 1) + 1)).to.be.revertedWithCustomError(
        guard,
        "GuardMarketCapExceeded",
      );
      await expect(guard.connect(guardian).guardianTrip(b.asset, dMax((await time.latest()) + 1))).to.emit(guard, "PauseTripped");
      const [, liqUntil] = await guard.getAggregate();
      expect(Number(liqUntil) - t0).to.equal(12 * HOUR);
    });

    it("a config whose cooldown does not exceed pause + grace is refused (no self-chaining)", async function () {
      const { guard, asset } = await loadFixture(deployGuardFixture);
      const chained = { ...defaultGuardConfig(), maxPauseSeconds: 6 * HOUR, cooldownSeconds: 6 * HOUR + 1, windowSeconds: 42 * HOUR, maxPausedSecondsPerWindow: 12 * HOUR, postPauseGraceSeconds: DAY, enabled: true };
      await expect(guard.configureAsset(asset, chained)).to.be.revertedWithCustomError(guard, "GuardInvalidConfig").withArgs(asset, "cooldownSeconds");
    });

    it("the per-asset cap counts the post-pause grace", async function () {
      const { guard, asset, setDiscount, refreshFeeds } = await loadFixture(deployGuardFixture);
      const cfg = { ...defaultGuardConfig(), maxPauseSeconds: 6 * HOUR, cooldownSeconds: 8 * HOUR, windowSeconds: 42 * HOUR, maxPausedSecondsPerWindow: 12 * HOUR, postPauseGraceSeconds: HOUR, enabled: true };
      await guard.configureAsset(asset, cfg);
      await setDiscount(400);
      await guard.trip(asset);
      const t0 = await time.latest();
      await time.increaseTo(t0 + 8 * HOUR);
      await refreshFeeds();
      await expect(guard.trip(asset))
        .to.be.revertedWithCustomError(guard, "GuardWindowCapExceeded")
        .withArgs(asset, 7 * HOUR, 7 * HOUR, 12 * HOUR);
    });

    it("cap == window is refused, per asset and market-wide", async function () {
      const { guard, asset } = await loadFixture(deployGuardFixture);
      await expect(guard.configureAsset(asset, { ...defaultGuardConfig(), maxPausedSecondsPerWindow: 7 * DAY }))
        .to.be.revertedWithCustomError(guard, "GuardInvalidConfig")
        .withArgs(asset, "maxPausedSecondsPerWindow");
      await expect(guard.setMarketLimits({ windowSeconds: DAY, maxBlockedSecondsPerWindow: DAY }))
        .to.be.revertedWithCustomError(guard, "GuardInvalidMarketLimits")
        .withArgs("maxBlockedSecondsPerWindow");
      await expect(guard.setMarketLimits({ windowSeconds: DAY, maxBlockedSecondsPerWindow: 6 * HOUR })).to.emit(guard, "MarketLimitsUpdated");
    });
  });

  /** A WETH-only eMode borrower in category 1 (no weETH anywhere) on the real Pool; prices from one ETH/USD feed. */
  async function withWethEModeBorrower(f: Awaited<ReturnType<typeof deployHaircutFixture>>, borrowWeth: bigint) {
    const { aave, aaveLib, weth, wethAddr, weethAddr } = f;
    const [deployer, , , , , , lender, , carol] = await ethers.getSigners();
    const USD = 10n ** 8n;
    const ethUsd = await ethers.deployContract("ReplicaFeed", [8, "ETH / USD", 3000n * USD, deployer.address]);
    const weethUsd = await ethers.deployContract("ReplicaFeed", [8, "weETH / USD", 3150n * USD, deployer.address]);
    await aaveLib.setAssetSources(aave, [wethAddr, weethAddr], [await ethUsd.getAddress(), await weethUsd.getAddress()]);
    await aave.poolConfigurator.setReserveBorrowing(wethAddr, true);
    const pool = aave.pool;
    await weth.mint(lender.address, 1_000n * WAD);
    await weth.connect(lender).approve(pool.target as string, ethers.MaxUint256);
    await pool.connect(lender).supply(wethAddr, 1_000n * WAD, lender.address, 0);
    await weth.mint(carol.address, 100n * WAD);
    await weth.connect(carol).approve(pool.target as string, ethers.MaxUint256);
    await pool.connect(carol).supply(wethAddr, 100n * WAD, carol.address, 0);
    await pool.connect(carol).setUserEMode(1);
    await pool.connect(carol).borrow(wethAddr, borrowWeth, 2, 0, carol.address);
    const hf = async () => (await pool.getUserAccountData(carol.address)).healthFactor;
    return { pool, carol, hf };
  }

  const reserveOnly = reserveOnlyHaircutConfig;

  describe("H-2 configuring (or enabling eMode on) an asset writes nothing: it starts from the on-chain values", function () {
    it("turning eMode management on for a managed asset leaves the category at 93/95 and the WETH loop healthy", async function () {
      const f = await loadFixture(deployHaircutFixture);
      const { module, weethAddr, readAave } = f;
      const { hf } = await withWethEModeBorrower(f, 90n * WAD); // HF 1.056
      await module.configureAsset(weethAddr, reserveOnly());
      await module.configureAsset(weethAddr, defaultHaircutConfig());
      const a = await readAave();
      expect([a.eLtv, a.eLt]).to.deep.equal([93_00, 95_00]);
      expect(await hf()).to.be.greaterThan(WAD);
      const s = await module.getHaircutState(weethAddr);
      expect([s.eModeLtvBps, s.eModeLtBps]).to.deep.equal([93_00n, 95_00n]);
      // and a calm poke afterwards changes nothing either
      await time.increase(HOUR);
      await f.refreshFeeds();
      await expect(module.poke(weethAddr)).not.to.emit(module, "EModeHaircutUpdated");
    });

    it("a haircut in force survives reconfiguration and recovers to the new base, not above", async function () {
      const { module, weethAddr, setDiscount, readAave, refreshFeeds } = await loadFixture(deployHaircutFixture);
      await module.poke(weethAddr);
      await setDiscount(1_000);
      await module.poke(weethAddr);
      expect((await readAave()).ltv).to.equal(77_50 - 1_550);
      await module.configureAsset(weethAddr, { ...defaultHaircutConfig(), floorLtvBps: 65_00, baseLtvBps: 76_00 });
      expect((await readAave()).ltv).to.equal(77_50 - 1_550); // nothing written at configuration
      const s = await module.getHaircutState(weethAddr);
      expect([s.ltvBps, s.ltvCeilingBps]).to.deep.equal([62_00n, 76_00n]);
      await setDiscount(0);
      for (let i = 0; i < 80; i++) {
        await time.increase(4 * HOUR);
        await refreshFeeds();
        await module.poke(weethAddr);
      }
      expect((await readAave()).ltv).to.equal(76_00);
    });
  });

  describe("M-4 a permissionless poke never undoes governance", function () {
    it("after governance offboards weETH (LTV 0, LT 75%, LB 8%), pokes keep 0 / 75 / 8 through a wobble and a calm week", async function () {
      const { aave, module, weethAddr, setDiscount, readAave, refreshFeeds } = await loadFixture(deployHaircutFixture);
      await aave.poolConfigurator.configureReserveAsCollateral(weethAddr, 0, 75_00, 108_00);
      await time.increase(60);
      await setDiscount(100);
      await module.poke(weethAddr);
      let a = await readAave();
      expect([a.ltv, a.lt, a.lb]).to.deep.equal([0, 75_00, 8_00]);
      await setDiscount(0);
      for (let i = 0; i < 30; i++) {
        await time.increase(6 * HOUR);
        await refreshFeeds();
        await module.poke(weethAddr);
      }
      a = await readAave();
      expect([a.ltv, a.lt, a.lb]).to.deep.equal([0, 75_00, 8_00]);
    });

    it("a governance LT below base is adopted as the ceiling: cut during a depeg, recovered only back to it", async function () {
      const { aave, module, weethAddr, setDiscount, readAave, refreshFeeds } = await loadFixture(deployHaircutFixture);
      await aave.poolConfigurator.configureReserveAsCollateral(weethAddr, 70_00, 76_00, 107_00);
      await module.poke(weethAddr);
      await setDiscount(1_000);
      await module.poke(weethAddr);
      for (let i = 0; i < 6; i++) {
        await time.increase(HOUR);
        await refreshFeeds();
        await module.poke(weethAddr);
      }
      expect((await readAave()).lt).to.be.lessThan(76_00);
      await setDiscount(0);
      await module.poke(weethAddr);
      for (let i = 0; i < 80; i++) {
        await time.increase(4 * HOUR);
        await refreshFeeds();
        await module.poke(weethAddr);
      }
      const a = await readAave();
      expect([a.ltv, a.lt, a.lb]).to.deep.equal([70_00, 76_00, 7_00]);
    });

    it("a governance LT above base is never cut at once by a poke (ramped down to base)", async function () {
      const { aave, module, weethAddr, setDiscount, readAave } = await loadFixture(deployHaircutFixture);
      await module.poke(weethAddr);
      await aave.poolConfigurator.configureReserveAsCollateral(weethAddr, 77_50, 82_00, 107_00);
      await time.increase(60);
      await setDiscount(400); // LTV cut: the module writes the reserve
      await module.poke(weethAddr);
      const a = await readAave();
      expect([a.ltv, a.lt]).to.deep.equal([73_00, 82_00]);
    });

    it("the module writes the liquidation bonus on-chain unchanged", async function () {
      const { aave, module, weethAddr, setDiscount, readAave } = await loadFixture(deployHaircutFixture);
      await aave.poolConfigurator.configureReserveAsCollateral(weethAddr, 77_50, 80_00, 106_00); // governance: LB 6%
      await module.poke(weethAddr);
      await setDiscount(400);
      await module.poke(weethAddr);
      const a = await readAave();
      expect([a.ltv, a.lb]).to.deep.equal([73_00, 6_00]);
    });
  });

  describe("M-5 a refused eMode write never blocks the reserve cut or the freeze", function () {
    it("with a member above the eMode target, the reserve cut and the IMPAIRED freeze still land", async function () {
      const { aave, aaveLib, module, weethAddr, wethAddr, backingFeed, setDiscount, readAave, refreshFeeds } =
        await loadFixture(deployHaircutFixture);
      // governance raises WETH (eMode 1 member) to 86 / 89: v3.0.2 configureReserveAsCollateral has no eMode check
      await aaveLib.configureReserve(aave, { asset: wethAddr, ltvBps: 86_00, liquidationThresholdBps: 89_00, liquidationBonusBps: 5_00 });
      await module.poke(weethAddr);
      await time.increase(60);
      await setDiscount(1500);
      await expect(module.poke(weethAddr)).to.emit(module, "HaircutWriteRefused");
      let a = await readAave();
      expect(a.ltv).to.be.lessThan(77_50); // the reserve LTV cut landed
      expect([a.eLtv, a.eLt]).to.deep.equal([93_00, 95_00]);
      await time.increase(HOUR);
      await refreshFeeds();
      await backingFeed.setAnswer(52_000_000n); // real loss: IMPAIRED
      await module.poke(weethAddr);
      a = await readAave();
      expect([a.ltv, a.frozen]).to.deep.equal([1_00, true]);
    });
  });

  describe("M-3 one driver per eMode category", function () {
    it("a second managed LRT cannot drive the category the first one drives", async function () {
      const f = await loadFixture(deployHaircutFixture);
      const { aave, aaveLib, oracle, module, weethAddr } = f;
      const [deployer] = await ethers.getSigners();
      const ezeth = await ethers.deployContract("ReplicaToken", ["Renzo ezETH", "ezETH", 18, deployer.address]);
      const ezAddr = await ezeth.getAddress();
      const strategy = await aaveLib.deployRateStrategy(aave, deployer, {
        optimalUsageRatioBps: 90_00, baseVariableBorrowRateBps: 0, variableRateSlope1Bps: 2_70, variableRateSlope2Bps: 80_00,
      });
      await aaveLib.initReserves(aave, [{ asset: ezAddr, symbol: "ezETH", decimals: 18, interestRateStrategy: await strategy.getAddress() }]);
      await aaveLib.configureReserve(aave, { asset: ezAddr, ltvBps: 72_50, liquidationThresholdBps: 75_00, liquidationBonusBps: 7_50 });
      await aaveLib.setAssetEModeCategory(aave, ezAddr, 1);
      await addOracleAsset(oracle, { asset: ezAddr });
      const ezCfg = { ...defaultHaircutConfig(), baseLtvBps: 72_50, baseLtBps: 75_00, liquidationBonusBps: 107_50, floorLtBps: 65_00 };
      await expect(module.configureAsset(ezAddr, ezCfg))
        .to.be.revertedWithCustomError(module, "HaircutEModeCategoryTaken")
        .withArgs(1, weethAddr);
      expect(await module.eModeDriver(1)).to.equal(weethAddr);
      // reserve-only management of the second LRT is fine; moving weETH off the category frees it
      await module.configureAsset(ezAddr, reserveOnly());
      await module.configureAsset(weethAddr, reserveOnly());
      expect(await module.eModeDriver(1)).to.equal(ethers.ZeroAddress);
      await expect(module.configureAsset(ezAddr, ezCfg)).not.to.be.reverted;
      expect(await module.eModeDriver(1)).to.equal(ezAddr);
    });
  });

  describe("H-1 a shared eMode category: LTV cut only, never its LT", function () {
    it("an 8% weETH-only depeg over 24 h of pokes leaves the category LT at 95% and the WETH/WETH loop unliquidatable", async function () {
      const f = await loadFixture(deployHaircutFixture);
      const { module, weethAddr, setDiscount, refreshFeeds, readAave } = f;
      const { hf } = await withWethEModeBorrower(f, 92n * WAD); // HF 1.033
      await module.poke(weethAddr);
      await setDiscount(800);
      await module.poke(weethAddr);
      for (let i = 0; i < 48; i++) {
        await time.increase(HOUR / 2);
        await refreshFeeds();
        await module.poke(weethAddr);
      }
      const a = await readAave();
      expect(a.eLt).to.equal(95_00);
      expect(a.eLtv).to.be.lessThan(93_00); // the LTV cut (no liquidation) still applies
      expect(a.lt).to.be.lessThan(80_00); // the reserve's own LT still ramps
      expect(await hf()).to.be.greaterThan(WAD);
    });

    it("a dedicated category is verified at configuration and its LT is cut", async function () {
      const f = await loadFixture(deployHaircutFixture);
      const { aave, aaveLib, module, weethAddr, wethAddr, setDiscount, refreshFeeds, readAave } = f;
      await expect(module.setEModeDedicated(weethAddr, true))
        .to.be.revertedWithCustomError(module, "HaircutEModeCategoryShared")
        .withArgs(1, wethAddr);
      // weETH's own category 2 (liquid-eMode style): 90 / 93 / 2
      await aaveLib.setEModeCategory(aave, { id: 2, ltvBps: 90_00, liquidationThresholdBps: 93_00, liquidationBonusBps: 2_00, label: "weETH" });
      await aaveLib.setAssetEModeCategory(aave, weethAddr, 2);
      const own = { ...defaultHaircutConfig(), eModeCategoryId: 2, eModeBaseLtvBps: 90_00, eModeBaseLtBps: 93_00, eModeLiquidationBonusBps: 102_00 };
      await module.configureAsset(weethAddr, own);
      await expect(module.setEModeDedicated(weethAddr, true)).to.emit(module, "EModeDedicationUpdated").withArgs(weethAddr, 2, true);
      expect((await module.getHaircutState(weethAddr)).eModeDedicated).to.equal(true);
      await module.poke(weethAddr);
      await setDiscount(800);
      await module.poke(weethAddr);
      for (let i = 0; i < 8; i++) {
        await time.increase(HOUR);
        await refreshFeeds();
        await module.poke(weethAddr);
      }
      const e = await aave.pool.getEModeCategoryData(2);
      expect(Number(e.liquidationThreshold)).to.be.lessThan(93_00);
      // governance adds WETH to the category: the next LT cut is skipped (LTV cut still applies)
      await aaveLib.setAssetEModeCategory(aave, wethAddr, 2);
      const lt = Number((await aave.pool.getEModeCategoryData(2)).liquidationThreshold);
      await time.increase(HOUR);
      await refreshFeeds();
      await expect(module.poke(weethAddr)).to.emit(module, "EModeLtCutSkipped").withArgs(2, wethAddr);
      expect(Number((await aave.pool.getEModeCategoryData(2)).liquidationThreshold)).to.equal(lt);
      void readAave;
    });
  });

  describe("two-step admin transfer (AccessControlDefaultAdminRules) on the oracle, the guard and the module", function () {
    it("the admin role cannot be granted in one step; a transfer needs the new admin's acceptance after the delay", async function () {
      const f = await loadFixture(deployHaircutFixture);
      const [, , , , , , , newGov] = await ethers.getSigners();
      const guard = await ethers.deployContract("LiquidationPauseGuard", [
        f.aave.addressesProvider.target as string, await f.oracle.getAddress(), f.governance.address, ethers.ZeroAddress, HOUR,
      ]);
      for (const c of [f.oracle, guard, f.module]) {
        const admin = await c.DEFAULT_ADMIN_ROLE();
        await expect(c.grantRole(admin, newGov.address)).to.be.revertedWithCustomError(c, "AccessControlEnforcedDefaultAdminRules");
        await c.beginDefaultAdminTransfer(newGov.address);
        await expect(c.connect(newGov).acceptDefaultAdminTransfer()).to.be.revertedWithCustomError(c, "AccessControlEnforcedDefaultAdminDelay");
        expect(await c.hasRole(admin, f.governance.address)).to.equal(true);
      }
      await time.increase(DAY + 1);
      for (const c of [f.oracle, guard, f.module]) {
        await c.connect(newGov).acceptDefaultAdminTransfer();
        expect(await c.defaultAdmin()).to.equal(newGov.address);
        expect(await c.hasRole(await c.DEFAULT_ADMIN_ROLE(), f.governance.address)).to.equal(false);
      }
    });
  });

  describe("removing an asset from the guard and the module", function () {
    it("guard: removal ends the asset's pause at once and unlists it; governance only", async function () {
      const { guard, asset, setDiscount, alice } = await loadFixture(deployGuardFixture);
      await setDiscount(400);
      await guard.trip(asset);
      expect(await guard.isLiquidationAllowed()).to.equal(false);
      await expect(guard.connect(alice).removeAsset(asset)).to.be.revertedWithCustomError(guard, "AccessControlUnauthorizedAccount");
      await expect(guard.removeAsset(asset)).to.emit(guard, "GuardAssetRemoved").withArgs(asset);
      expect(await guard.isLiquidationAllowed()).to.equal(true);
      expect(await guard.isBorrowAllowed()).to.equal(true);
      expect(await guard.getAssets()).to.deep.equal([]);
      await expect(guard.trip(asset)).to.be.revertedWithCustomError(guard, "GuardAssetNotEnabled");
      expect(await guard.marketBlockedSecondsInWindow()).to.be.greaterThan(0n); // the market-wide record stays
    });

    it("module: removal frees the eMode category, unlists the asset and leaves Aave's values as they are", async function () {
      const { module, weethAddr, setDiscount, readAave, alice } = await loadFixture(deployHaircutFixture);
      await module.poke(weethAddr);
      await setDiscount(400);
      await module.poke(weethAddr);
      const before = await readAave();
      await expect(module.connect(alice).removeAsset(weethAddr)).to.be.revertedWithCustomError(module, "AccessControlUnauthorizedAccount");
      await expect(module.removeAsset(weethAddr)).to.emit(module, "HaircutAssetRemoved").withArgs(weethAddr, false);
      expect(await module.getAssets()).to.deep.equal([]);
      expect(await module.eModeDriver(1)).to.equal(ethers.ZeroAddress);
      await expect(module.poke(weethAddr)).to.be.revertedWithCustomError(module, "HaircutUnknownAsset");
      expect(await readAave()).to.deep.equal(before);
    });
  });
});
