import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { DAY, HOUR, RiskLevel, WAD, defaultGuardConfig, deployGuardFixture } from "./fixtures";

const TripReason = { DISCOUNT: 0n, GUARDIAN: 1n };

describe("LiquidationPauseGuard", function () {
  describe("IPriceOracleSentinel (L2 sequencer semantics)", function () {
    it("allows everything with no sequencer feed and no pause", async function () {
      const { guard, provider } = await loadFixture(deployGuardFixture);
      expect(await guard.isLiquidationAllowed()).to.equal(true);
      expect(await guard.isBorrowAllowed()).to.equal(true);
      expect(await guard.ADDRESSES_PROVIDER()).to.equal(provider.target as string);
      expect(await guard.getSequencerOracle()).to.equal(ethers.ZeroAddress);
      expect(await guard.getGracePeriod()).to.equal(BigInt(HOUR));
    });

    it("blocks while the sequencer is down and within its grace period", async function () {
      const { guard, poolAdmin } = await loadFixture(deployGuardFixture);
      const seq = await ethers.deployContract("MockAggregator", [0, "sequencer", 1]); // down
      await expect(guard.connect(poolAdmin).setSequencerOracle(await seq.getAddress()))
        .to.emit(guard, "SequencerOracleUpdated")
        .withArgs(await seq.getAddress());
      expect(await guard.isLiquidationAllowed()).to.equal(false);
      expect(await guard.isBorrowAllowed()).to.equal(false);
      await seq.setAnswer(0); // up since now
      expect(await guard.isLiquidationAllowed()).to.equal(false);
      await time.increase(HOUR + 1);
      expect(await guard.isLiquidationAllowed()).to.equal(true);
      expect(await guard.isBorrowAllowed()).to.equal(true);
    });

    it("setSequencerOracle is pool admin only; setGracePeriod risk or pool admin", async function () {
      const { guard, poolAdmin, riskAdmin, alice } = await loadFixture(deployGuardFixture);
      await expect(guard.connect(riskAdmin).setSequencerOracle(alice.address))
        .to.be.revertedWithCustomError(guard, "GuardCallerNotAaveAdmin")
        .withArgs(riskAdmin.address);
      await expect(guard.connect(alice).setGracePeriod(1))
        .to.be.revertedWithCustomError(guard, "GuardCallerNotAaveAdmin")
        .withArgs(alice.address);
      await expect(guard.connect(riskAdmin).setGracePeriod(7)).to.emit(guard, "GracePeriodUpdated").withArgs(7);
      await guard.connect(poolAdmin).setGracePeriod(9);
      expect(await guard.getGracePeriod()).to.equal(9n);
      await guard.connect(poolAdmin).setSequencerOracle(alice.address);
      expect(await guard.getSequencerOracle()).to.equal(alice.address);
      // the grace period shares the sentinel's storage slot as a uint24 (with the market ring's head)
      await expect(guard.connect(poolAdmin).setGracePeriod(2n ** 24n))
        .to.be.revertedWithCustomError(guard, "GuardInvalidConfig")
        .withArgs(ethers.ZeroAddress, "gracePeriod");
      await guard.connect(poolAdmin).setGracePeriod(2n ** 24n - 1n);
      expect(await guard.getGracePeriod()).to.equal(2n ** 24n - 1n);
      expect(await guard.MAX_SEQUENCER_GRACE_SECONDS()).to.equal(2n ** 24n - 1n);
    });
  });

  describe("configureAsset", function () {
    it("is governance only, lists the asset and emits GuardConfigured", async function () {
      const { guard, asset, alice, guardConfig } = await loadFixture(deployGuardFixture);
      await expect(guard.connect(alice).configureAsset(asset, guardConfig()))
        .to.be.revertedWithCustomError(guard, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, ethers.ZeroHash);
      await expect(guard.configureAsset(asset, guardConfig()))
        .to.emit(guard, "GuardConfigured")
        .withArgs(asset, Object.values(guardConfig()));
      expect(await guard.getAssets()).to.deep.equal([asset]);
      expect((await guard.getGuardConfig(asset)).cooldownSeconds).to.equal(BigInt(DAY));
      expect(await guard.ORACLE()).to.not.equal(ethers.ZeroAddress);
    });

    it("rejects each invalid field by name", async function () {
      const { guard, asset, alice, guardConfig } = await loadFixture(deployGuardFixture);
      const c = guardConfig();
      const bad: [string, object][] = [
        ["maxPauseSeconds", { maxPauseSeconds: 0 }],
        ["maxPauseSeconds", { maxPauseSeconds: 3 * DAY + 1 }],
        ["cooldownSeconds", { cooldownSeconds: 6 * HOUR }],
        ["cooldownSeconds", { cooldownSeconds: 6 * HOUR + HOUR / 2 }], // not above pause + grace
        ["windowSeconds", { windowSeconds: HOUR }],
        ["windowSeconds", { windowSeconds: 8 * DAY }], // 8 d + 6 h > 8 cooldowns
        ["maxPausedSecondsPerWindow", { maxPausedSecondsPerWindow: 0 }],
        ["maxPausedSecondsPerWindow", { maxPausedSecondsPerWindow: 6 * HOUR }], // below one pause + grace
        ["maxPausedSecondsPerWindow", { maxPausedSecondsPerWindow: 7 * DAY }], // not below the window
        ["postPauseGraceSeconds", { postPauseGraceSeconds: DAY + 1 }],
      ];
      for (const [field, patch] of bad) {
        await expect(guard.configureAsset(asset, { ...c, ...patch }))
          .to.be.revertedWithCustomError(guard, "GuardInvalidConfig")
          .withArgs(asset, field);
      }
      await expect(guard.configureAsset(alice.address, c))
        .to.be.revertedWithCustomError(guard, "GuardInvalidConfig")
        .withArgs(alice.address, "oracle");
      await expect(guard.configureAsset(ethers.ZeroAddress, c))
        .to.be.revertedWithCustomError(guard, "GuardInvalidConfig")
        .withArgs(ethers.ZeroAddress, "asset");
    });

    it("caps the number of watched assets", async function () {
      const { guard, oracle, config, aavePricing, guardConfig } = await loadFixture(deployGuardFixture);
      const max = Number(await guard.MAX_ASSETS());
      const more = Array.from({ length: max }, () => ethers.Wallet.createRandom().address);
      await aavePricing.priceByMarket(more, config.marketFeed as string);
      for (const a of more.slice(0, max - 1)) {
        await oracle.configureAsset(a, config);
        await guard.configureAsset(a, guardConfig());
      }
      const extra = more[max - 1];
      await oracle.configureAsset(extra, config);
      await expect(guard.configureAsset(extra, guardConfig()))
        .to.be.revertedWithCustomError(guard, "GuardTooManyAssets")
        .withArgs(max);
    });
  });

  describe("trip", function () {
    it("pauses liquidations and borrowing when the discount is above the trip threshold", async function () {
      const { guard, asset, setDiscount, alice, guardConfig } = await loadFixture(deployGuardFixture);
      await setDiscount(350);
      const now = (await time.latest()) + 1;
      const tx = guard.connect(alice).trip(asset);
      await expect(tx)
        .to.emit(guard, "PauseTripped")
        .withArgs(asset, TripReason.DISCOUNT, now + 6 * HOUR, now + 6 * HOUR + HOUR / 2);
      await expect(tx).to.emit(guard, "AggregateUpdated").withArgs(now + 6 * HOUR, now + 6 * HOUR + HOUR / 2);
      expect(await guard.isAssetPaused(asset)).to.equal(true);
      expect(await guard.isAssetLiquidationBlocked(asset)).to.equal(true);
      expect(await guard.isLiquidationAllowed()).to.equal(false);
      expect(await guard.isBorrowAllowed()).to.equal(false);
      const p = await guard.getPauseState(asset);
      expect(p.pausedAt).to.equal(now);
      expect(p.reason).to.equal(TripReason.DISCOUNT);
      expect(await guard.nextTripAt(asset)).to.equal(now + DAY);
      expect(await guard.pausedSecondsInWindow(asset)).to.equal(BigInt(6 * HOUR + HOUR / 2)); // pause + grace
      expect(await guard.getAggregate()).to.deep.equal([BigInt(now + 6 * HOUR), BigInt(now + 6 * HOUR + HOUR / 2)]);
    });

    it("reverts below the trip threshold, when not enabled, and when already paused", async function () {
      const { guard, asset, setDiscount, alice, guardConfig } = await loadFixture(deployGuardFixture);
      await setDiscount(250);
      await expect(guard.trip(asset))
        .to.be.revertedWithCustomError(guard, "GuardDiscountBelowTrip")
        .withArgs(asset, 250, 300);
      await expect(guard.trip(alice.address))
        .to.be.revertedWithCustomError(guard, "GuardAssetNotEnabled")
        .withArgs(alice.address);
      await setDiscount(400);
      await guard.trip(asset);
      const p = await guard.getPauseState(asset);
      await expect(guard.trip(asset))
        .to.be.revertedWithCustomError(guard, "GuardAlreadyPaused")
        .withArgs(asset, p.pausedUntil);
      await guard.configureAsset(asset, { ...guardConfig(), enabled: false });
      await expect(guard.trip(asset)).to.be.revertedWithCustomError(guard, "GuardAssetNotEnabled");
    });

    it("never pauses an IMPAIRED asset (NAV drop or backing shortfall)", async function () {
      const { guard, oracle, asset, setDiscount, weEth, rate, backingFeed, guardian } =
        await loadFixture(deployGuardFixture);
      await oracle.poke(asset);
      await weEth.setRate((rate * 98n) / 100n); // -2% NAV
      await setDiscount(800);
      await expect(guard.trip(asset)).to.be.revertedWithCustomError(guard, "GuardAssetImpaired").withArgs(asset);
      await expect(guard.connect(guardian).guardianTrip(asset, HOUR)).to.be.revertedWithCustomError(
        guard,
        "GuardAssetImpaired",
      );
      await weEth.setRate(rate);
      await backingFeed.setAnswer(80_000_000n);
      await time.increase(1);
      await expect(guard.trip(asset)).to.be.revertedWithCustomError(guard, "GuardAssetImpaired");
      await oracle.poke(asset); // the reverted trip rolled its own poke back
      expect(await oracle.getRiskLevel(asset)).to.equal(RiskLevel.IMPAIRED);
      expect(await guard.isLiquidationAllowed()).to.equal(true);
    });

    it("expires after maxPauseSeconds; liquidations stay blocked for the grace, borrowing resumes", async function () {
      const { guard, asset, setDiscount } = await loadFixture(deployGuardFixture);
      await setDiscount(400);
      await guard.trip(asset);
      await time.increase(6 * HOUR);
      expect(await guard.isAssetPaused(asset)).to.equal(false);
      expect(await guard.isBorrowAllowed()).to.equal(true);
      expect(await guard.isLiquidationAllowed()).to.equal(false);
      expect(await guard.isAssetLiquidationBlocked(asset)).to.equal(true);
      await time.increase(HOUR / 2);
      expect(await guard.isLiquidationAllowed()).to.equal(true);
      expect(await guard.isAssetLiquidationBlocked(asset)).to.equal(false);
    });

    it("enforces the cooldown from the previous trip's start", async function () {
      const { guard, asset, setDiscount, refreshFeeds } = await loadFixture(deployGuardFixture);
      await setDiscount(400);
      await guard.trip(asset);
      const start = await time.latest();
      await time.increase(12 * HOUR);
      await refreshFeeds();
      await expect(guard.trip(asset))
        .to.be.revertedWithCustomError(guard, "GuardCooldownActive")
        .withArgs(asset, start + DAY);
      await time.increaseTo(start + DAY);
      await refreshFeeds();
      await expect(guard.trip(asset)).to.emit(guard, "PauseTripped");
    });

    it("caps the blocked time (pause + grace) in the rolling window", async function () {
      const { guard, asset, setDiscount, refreshFeeds } = await loadFixture(deployGuardFixture);
      await setDiscount(400);
      await guard.trip(asset); // 6 h + 30 min grace
      const t0 = await time.latest();
      await time.increaseTo(t0 + DAY);
      await refreshFeeds();
      await guard.trip(asset); // 13 h used within the week
      await time.increaseTo(t0 + 2 * DAY);
      await refreshFeeds();
      await expect(guard.trip(asset))
        .to.be.revertedWithCustomError(guard, "GuardWindowCapExceeded")
        .withArgs(asset, 13 * HOUR, 6 * HOUR + HOUR / 2, 13 * HOUR);
      // the first block [t0, t0 + 6.5 h] leaves the window ending at the new block's end once
      // t + 6.5 h - 7 d >= t0 + 6.5 h, i.e. at t0 + 7 d
      await time.increaseTo(t0 + 7 * DAY - 10);
      await refreshFeeds();
      await expect(guard.trip(asset)).to.be.revertedWithCustomError(guard, "GuardWindowCapExceeded");
      await time.increaseTo(t0 + 7 * DAY);
      await refreshFeeds();
      await expect(guard.trip(asset)).to.emit(guard, "PauseTripped");
    });
  });

  describe("the first trip (pause slot and ring words pre-written at configuration)", function () {
    it("a trip right after configureAsset counts exactly its block; the empty ring markers count as nothing", async function () {
      const { guard, asset, setDiscount, refreshFeeds } = await loadFixture(deployGuardFixture);
      // configured, never tripped: nothing counted, no cooldown, an all-zero pause state
      expect(await guard.pausedSecondsInWindow(asset)).to.equal(0n);
      expect(await guard.marketBlockedSecondsInWindow()).to.equal(0n);
      expect(await guard.nextTripAt(asset)).to.equal(0n);
      expect(await guard.getPauseState(asset)).to.deep.equal([0n, 0n, 0n, TripReason.DISCOUNT]);
      expect(await guard.isAssetLiquidationBlocked(asset)).to.equal(false);
      await setDiscount(400);
      await guard.trip(asset);
      const t0 = await time.latest();
      const block = BigInt(6 * HOUR + HOUR / 2);
      expect(await guard.pausedSecondsInWindow(asset)).to.equal(block);
      expect(await guard.marketBlockedSecondsInWindow()).to.equal(block);
      // the same cap arithmetic as before the pre-writing: 13 h per 7 days, a third 6.5 h block refused
      await time.increaseTo(t0 + DAY);
      await refreshFeeds();
      await guard.trip(asset);
      expect(await guard.pausedSecondsInWindow(asset)).to.equal(2n * block);
      expect(await guard.marketBlockedSecondsInWindow()).to.equal(2n * block);
      await time.increaseTo(t0 + 2 * DAY);
      await refreshFeeds();
      await expect(guard.trip(asset))
        .to.be.revertedWithCustomError(guard, "GuardWindowCapExceeded")
        .withArgs(asset, 13 * HOUR, block, 13 * HOUR);
      // the markers never resurface as blocks, however far the windows move
      await time.increaseTo(t0 + 30 * DAY);
      expect(await guard.pausedSecondsInWindow(asset)).to.equal(0n);
      expect(await guard.marketBlockedSecondsInWindow()).to.equal(0n);
    });

    it("reconfiguring keeps the history; a removed asset configured again starts empty", async function () {
      const { guard, asset, setDiscount, refreshFeeds, guardConfig } = await loadFixture(deployGuardFixture);
      await setDiscount(400);
      await guard.trip(asset);
      const t0 = await time.latest();
      const block = BigInt(6 * HOUR + HOUR / 2);
      await time.increaseTo(t0 + DAY);
      await refreshFeeds();
      // a reconfiguration of a watched asset rewrites nothing of its history or pause state
      await guard.configureAsset(asset, guardConfig());
      expect(await guard.pausedSecondsInWindow(asset)).to.equal(block);
      expect(await guard.nextTripAt(asset)).to.equal(BigInt(t0 + DAY));
      await guard.removeAsset(asset);
      await guard.configureAsset(asset, guardConfig());
      expect(await guard.pausedSecondsInWindow(asset)).to.equal(0n);
      expect(await guard.nextTripAt(asset)).to.equal(0n);
      await guard.trip(asset);
      expect(await guard.pausedSecondsInWindow(asset)).to.equal(block);
      // the market-wide records kept counting across the removal
      expect(await guard.marketBlockedSecondsInWindow()).to.equal(2n * block);
    });
  });

  describe("guardianTrip", function () {
    it("pauses for a chosen duration regardless of the discount, within the limits", async function () {
      const { guard, asset, guardian, alice } = await loadFixture(deployGuardFixture);
      await expect(guard.connect(alice).guardianTrip(asset, HOUR))
        .to.be.revertedWithCustomError(guard, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, await guard.GUARDIAN_ROLE());
      await expect(guard.connect(guardian).guardianTrip(asset, 0))
        .to.be.revertedWithCustomError(guard, "GuardInvalidDuration")
        .withArgs(asset, 0, 6 * HOUR);
      await expect(guard.connect(guardian).guardianTrip(asset, 6 * HOUR + 1)).to.be.revertedWithCustomError(
        guard,
        "GuardInvalidDuration",
      );
      const at = (await time.latest()) + 1;
      await expect(guard.connect(guardian).guardianTrip(asset, HOUR))
        .to.emit(guard, "PauseTripped")
        .withArgs(asset, TripReason.GUARDIAN, at + HOUR, at + HOUR + HOUR / 2);
      expect((await guard.getPauseState(asset)).reason).to.equal(TripReason.GUARDIAN);
      await expect(guard.connect(guardian).guardianTrip(asset, HOUR)).to.be.revertedWithCustomError(
        guard,
        "GuardAlreadyPaused",
      );
    });
  });

  describe("release", function () {
    it("anyone ends the pause at once, without grace, when the asset becomes IMPAIRED", async function () {
      const { guard, asset, setDiscount, weEth, rate, alice } = await loadFixture(deployGuardFixture);
      await setDiscount(400);
      await guard.trip(asset);
      await expect(guard.connect(alice).release(asset))
        .to.be.revertedWithCustomError(guard, "GuardReleaseNotAllowed")
        .withArgs(asset, (await guard.getPauseState(asset)).pausedUntil);
      await weEth.setRate((rate * 97n) / 100n); // NAV -3%: a real loss
      await time.increase(600);
      const at = (await time.latest()) + 1;
      const tx = guard.connect(alice).release(asset);
      await expect(tx).to.emit(guard, "PauseReleased").withArgs(asset, alice.address, true, at);
      await expect(tx).to.emit(guard, "AggregateUpdated");
      expect(await guard.isLiquidationAllowed()).to.equal(true);
      expect(await guard.isBorrowAllowed()).to.equal(true);
      expect(await guard.isAssetPaused(asset)).to.equal(false);
      // only the seconds actually blocked count towards the rolling cap (no grace after an IMPAIRED release)
      const p = await guard.getPauseState(asset);
      expect(p.pausedUntil).to.equal(await time.latest());
      expect(await guard.pausedSecondsInWindow(asset)).to.equal(p.pausedUntil - p.pausedAt);
      expect(p.pausedUntil - p.pausedAt).to.be.lessThan(700n);
      await expect(guard.release(asset)).to.be.revertedWithCustomError(guard, "GuardNotPaused").withArgs(asset);
    });

    it("the guardian releases any time; the grace runs from the release", async function () {
      const { guard, asset, setDiscount, guardian } = await loadFixture(deployGuardFixture);
      await expect(guard.connect(guardian).release(asset)).to.be.revertedWithCustomError(guard, "GuardNotPaused");
      await setDiscount(400);
      await guard.trip(asset);
      await time.increase(HOUR);
      await guard.connect(guardian).release(asset);
      const now = await time.latest();
      const p = await guard.getPauseState(asset);
      expect(p.pausedUntil).to.equal(now);
      expect(p.liquidationBlockedUntil).to.equal(now + HOUR / 2);
      expect(await guard.isBorrowAllowed()).to.equal(true);
      expect(await guard.isLiquidationAllowed()).to.equal(false);
      // a second release during the grace ends the grace itself
      await guard.connect(guardian).release(asset);
      expect((await guard.getPauseState(asset)).liquidationBlockedUntil).to.equal(await time.latest());
      expect(await guard.isLiquidationAllowed()).to.equal(true);
      await expect(guard.connect(guardian).release(asset)).to.be.revertedWithCustomError(guard, "GuardNotPaused");
    });

    it("keeps the market-wide aggregate while another asset is still paused", async function () {
      const { guard, oracle, asset, config, guardian, setDiscount, aavePricing, guardConfig } =
        await loadFixture(deployGuardFixture);
      const other = ethers.Wallet.createRandom().address;
      const feed = await ethers.deployContract("MockAggregator", [18, "other", WAD]);
      await oracle.configureAsset(other, { ...config, marketFeed: await feed.getAddress() });
      await aavePricing.priceByMarket([other], await feed.getAddress());
      await guard.configureAsset(other, guardConfig());
      await setDiscount(400);
      await guard.trip(asset);
      await guard.connect(guardian).guardianTrip(other, 2 * HOUR);
      const otherState = await guard.getPauseState(other);
      const assetState = await guard.getPauseState(asset);
      await guard.connect(guardian).release(asset);
      const [borrowUntil, liqUntil] = await guard.getAggregate();
      expect(borrowUntil).to.equal(otherState.pausedUntil);
      expect(liqUntil).to.equal(otherState.liquidationBlockedUntil);
      expect(liqUntil).to.be.lessThan(assetState.liquidationBlockedUntil);
      expect(await guard.isLiquidationAllowed()).to.equal(false);
    });
  });

  describe("history rings (blocks packed four to a storage word)", function () {
    it("remembers 16 market-wide blocks across its words, sums them exactly, and refuses a 17th inside the window", async function () {
      const { guard, asset, guardian, refreshFeeds, guardConfig } = await loadFixture(deployGuardFixture);
      // 1 h pauses every 2 h: disjoint market blocks (never merged), 8 asset records within the asset's ring.
      await guard.configureAsset(asset, {
        ...guardConfig(),
        maxPauseSeconds: HOUR,
        postPauseGraceSeconds: 0,
        cooldownSeconds: 2 * HOUR,
        windowSeconds: 15 * HOUR,
        maxPausedSecondsPerWindow: 14 * HOUR,
      });
      await guard.setMarketLimits({ windowSeconds: 40 * HOUR, maxBlockedSecondsPerWindow: 39 * HOUR });
      const t0 = (await time.latest()) + 10;
      for (let i = 0; i < 16; i++) {
        await time.setNextBlockTimestamp(t0 + i * 2 * HOUR);
        await guard.connect(guardian).guardianTrip(asset, HOUR);
        await time.increase(HOUR);
        await refreshFeeds();
        // every block so far counts in the market's 40 h window; the asset's 15 h window, the part of each block
        // after now - 15 h
        expect(await guard.marketBlockedSecondsInWindow()).to.equal(BigInt((i + 1) * HOUR));
        const from = (await time.latest()) - 15 * HOUR;
        let expected = 0;
        for (let j = 0; j <= i; j++) expected += Math.max(0, t0 + j * 2 * HOUR + HOUR - Math.max(from, t0 + j * 2 * HOUR));
        expect(await guard.pausedSecondsInWindow(asset)).to.equal(BigInt(expected));
      }
      // the 17th would take the place of the first, still inside the 40 h window ending at its end
      await time.setNextBlockTimestamp(t0 + 32 * HOUR);
      await expect(guard.connect(guardian).guardianTrip(asset, HOUR))
        .to.be.revertedWithCustomError(guard, "GuardMarketCapExceeded")
        .withArgs(16 * HOUR, HOUR, 39 * HOUR);
      // once the first block has left the window, the ring takes the new block in its place
      await time.setNextBlockTimestamp(t0 + 40 * HOUR);
      await refreshFeeds();
      await expect(guard.connect(guardian).guardianTrip(asset, HOUR)).to.emit(guard, "PauseTripped");
      expect(await guard.marketBlockedSecondsInWindow()).to.equal(BigInt(16 * HOUR));
    });
  });

  describe("seeded random sequence of trips and releases", function () {
    it("never exceeds the rolling cap in any window, respects the cooldown, and refuses only when it must", async function () {
      const { guard, asset, setDiscount, refreshFeeds, guardian } = await loadFixture(deployGuardFixture);
      const cfg = defaultGuardConfig();
      const W = Number(cfg.windowSeconds);
      const CAP = Number(cfg.maxPausedSecondsPerWindow);
      const GRACE = Number(cfg.postPauseGraceSeconds);
      const actions = fc.sample(
        fc.record({
          dt: fc.integer({ min: HOUR, max: 3 * DAY }),
          kind: fc.constantFrom("trip", "guardianTrip", "release"),
          duration: fc.integer({ min: 600, max: 6 * HOUR }),
          releaseAfter: fc.integer({ min: 60, max: 6 * HOUR }),
        }),
        { numRuns: 60, seed: 99 },
      );
      // blocked intervals: pause + grace (a guardian release during the pause: the grace runs from the release;
      // during the grace: the block ends at once)
      const intervals: { start: number; pauseEnd: number; end: number }[] = [];
      const refusedByCap: { at: number; duration: number }[] = [];
      let tripped = 0;
      await setDiscount(400);
      const releaseAt = (t: number) => {
        const last = intervals[intervals.length - 1];
        if (!last || t >= last.end) return;
        if (t < last.pauseEnd) {
          last.pauseEnd = t;
          last.end = Math.min(last.end, t + GRACE);
        } else last.end = t;
      };
      for (const a of actions) {
        await time.increase(a.dt);
        await refreshFeeds();
        const at = (await time.latest()) + 1;
        const duration = a.kind === "trip" ? Number(cfg.maxPauseSeconds) : a.duration;
        try {
          if (a.kind === "release") {
            await guard.connect(guardian).release(asset);
          } else if (a.kind === "trip") {
            await guard.trip(asset);
          } else {
            await guard.connect(guardian).guardianTrip(asset, duration);
          }
        } catch (e) {
          const msg = String(e);
          if (msg.includes("GuardWindowCapExceeded")) refusedByCap.push({ at, duration });
          else expect(msg).to.match(/GuardCooldownActive|GuardNotPaused|GuardAlreadyPaused/);
          continue;
        }
        if (a.kind !== "release") {
          tripped++;
          intervals.push({ start: at, pauseEnd: at + duration, end: at + duration + GRACE });
          if (a.releaseAfter < duration && a.releaseAfter % 2 === 0) {
            await time.increase(a.releaseAfter - 1);
            await guard.connect(guardian).release(asset);
            releaseAt(await time.latest());
          }
        } else {
          releaseAt(at);
        }
        const p = await guard.getPauseState(asset);
        const last = intervals[intervals.length - 1];
        if (last) expect(Number(p.liquidationBlockedUntil)).to.equal(last.end);
      }
      const overlap = (from: number, to: number) =>
        intervals.reduce((sum, iv) => sum + Math.max(0, Math.min(iv.end, to) - Math.max(iv.start, from)), 0);
      // the worst window ends at the end of some block
      for (const iv of intervals) expect(overlap(iv.end - W, iv.end)).to.be.at.most(CAP);
      for (let i = 1; i < intervals.length; i++) {
        expect(intervals[i].start - intervals[i - 1].start).to.be.at.least(Number(cfg.cooldownSeconds));
      }
      for (const r of refusedByCap) expect(overlap(r.at + r.duration + GRACE - W, r.at) + r.duration + GRACE).to.be.greaterThan(CAP);
      expect(await guard.marketBlockedSecondsInWindow()).to.be.at.most(BigInt(CAP));
      expect(tripped).to.be.greaterThan(5);
      expect(refusedByCap.length).to.be.greaterThan(0);
    });
  });
});
