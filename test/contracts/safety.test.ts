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
});
