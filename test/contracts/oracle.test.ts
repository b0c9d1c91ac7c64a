import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { DAY, HOUR, RiskLevel, WAD, defaultBounds, defaultParams, deployOracleFixture } from "./fixtures";
import fc from "fast-check";
import * as rm from "../../spec/riskMath";

describe("CollateralRiskOracle", function () {
  describe("configureAsset", function () {
    it("stores the config, lists the asset and emits AssetConfigured", async function () {
      const { oracle, asset, config, governance, marketFeed } = await loadFixture(deployOracleFixture);
      expect(await oracle.isAssetConfigured(asset)).to.equal(true);
      expect(await oracle.getAssets()).to.deep.equal([asset]);
      const stored = await oracle.getAssetConfig(asset);
      expect(stored.marketFeed).to.equal(config.marketFeed);
      expect(stored.hysteresisBps).to.equal(25n);
      expect(stored.maxRateWad).to.equal(2n * WAD);
      const other = ethers.Wallet.createRandom().address;
      await expect(oracle.connect(governance).configureAsset(other, config))
        .to.emit(oracle, "AssetConfigured")
        .withArgs(other, Object.values(config));
      expect(await oracle.getAssets()).to.deep.equal([asset, other]);
      // reconfiguring does not list the asset twice
      await oracle.configureAsset(other, { ...config, marketFeed: await marketFeed.getAddress() });
      expect((await oracle.getAssets()).length).to.equal(2);
    });

    it("is governance only", async function () {
      const { oracle, asset, config, alice } = await loadFixture(deployOracleFixture);
      await expect(oracle.connect(alice).configureAsset(asset, config))
        .to.be.revertedWithCustomError(oracle, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, ethers.ZeroHash);
    });

    it("rejects each invalid field by name", async function () {
      const { oracle, asset, config } = await loadFixture(deployOracleFixture);
      const bad: [string, object][] = [
        ["marketFeed", { marketFeed: ethers.ZeroAddress }],
        ["rateAdapter", { rateAdapter: ethers.ZeroAddress }],
        ["marketHeartbeatSeconds", { marketHeartbeatSeconds: 0 }],
        ["backingHeartbeatSeconds", { backingHeartbeatSeconds: 0 }],
        ["minRateWad", { minRateWad: 0 }],
        ["minRateWad", { minRateWad: 3n * WAD }],
        ["emaHalfLifeSeconds", { emaHalfLifeSeconds: 0 }],
        ["navHighWindowSeconds", { navHighWindowSeconds: 0 }],
        ["navDropToleranceBps", { navDropToleranceBps: 10_000 }],
        ["backingShortfallToleranceBps", { backingShortfallToleranceBps: 10_000 }],
        ["elevatedDiscountBps", { elevatedDiscountBps: 0 }],
        ["elevatedDiscountBps", { elevatedDiscountBps: 500 }], // not below the stress discount of the params
        ["hysteresisBps", { hysteresisBps: 100 }],
      ];
      for (const [field, patch] of bad) {
        await expect(oracle.configureAsset(asset, { ...config, ...patch }))
          .to.be.revertedWithCustomError(oracle, "OracleInvalidConfig")
          .withArgs(asset, field);
      }
      await expect(oracle.configureAsset(ethers.ZeroAddress, config))
        .to.be.revertedWithCustomError(oracle, "OracleInvalidConfig")
        .withArgs(ethers.ZeroAddress, "asset");
    });

    it("rejects feeds with more than 36 decimals", async function () {
      const { oracle, asset, config } = await loadFixture(deployOracleFixture);
      const feed = await ethers.deployContract("MockAggregator", [40, "bad", 1n]);
      await expect(oracle.configureAsset(asset, { ...config, marketFeed: await feed.getAddress() }))
        .to.be.revertedWithCustomError(oracle, "OracleInvalidConfig")
        .withArgs(asset, "marketFeed.decimals");
      await expect(oracle.configureAsset(asset, { ...config, backingFeed: await feed.getAddress() }))
        .to.be.revertedWithCustomError(oracle, "OracleInvalidConfig")
        .withArgs(asset, "backingFeed.decimals");
    });
  });

  describe("poke", function () {
    it("records an observation at par and emits ObservationRecorded", async function () {
      const { oracle, asset, rate, backingFeed } = await loadFixture(deployOracleFixture);
      await expect(oracle.poke(asset)).to.emit(oracle, "ObservationRecorded").withArgs(asset, rate, rate, 0, 0);
      const st = await oracle.getAssetState(asset);
      expect(st.marketPriceWad).to.equal(rate);
      expect(st.exchangeRateWad).to.equal(rate);
      expect(st.recentHighRateWad).to.equal(rate);
      expect(st.backingPerTokenWad).to.equal(rate); // 8-decimals feed normalised to 1e18
      expect(st.level).to.equal(RiskLevel.NORMAL);
      expect(st.lastPokeAt).to.equal(await time.latest());
      expect(await backingFeed.decimals()).to.equal(8n);
    });

    it("computes the discount (rounded up) and a time-weighted EMA", async function () {
      const { oracle, asset, setDiscount } = await loadFixture(deployOracleFixture);
      await oracle.poke(asset);
      const t0 = await time.latest();
      await setDiscount(400);
      await time.increase(HOUR - 2);
      await oracle.poke(asset);
      const t1 = await time.latest();
      const st = await oracle.getAssetState(asset);
      expect(st.discountBps).to.equal(400n);
      const expected = rm.emaBps({
        prevEmaBps: 0n,
        sampleBps: 400n,
        elapsedSeconds: BigInt(t1 - t0),
        halfLifeSeconds: BigInt(HOUR),
      });
      expect(st.emaDiscountBps).to.equal(expected);
      expect(expected).to.be.within(199n, 201n);
    });

    it("market above the exchange rate is a zero discount", async function () {
      const { oracle, asset, marketFeed } = await loadFixture(deployOracleFixture);
      await marketFeed.setAnswer(2n * WAD);
      await oracle.poke(asset);
      expect((await oracle.getAssetState(asset)).discountBps).to.equal(0n);
    });

    it("normalises feed decimals (8 and 20)", async function () {
      const { oracle, asset, config, weEth } = await loadFixture(deployOracleFixture);
      await weEth.setRate(WAD);
      for (const [dec, answer] of [
        [8, 98_000_000n],
        [20, 98n * 10n ** 18n],
      ] as const) {
        const feed = await ethers.deployContract("MockAggregator", [dec, "x", answer]);
        await oracle.configureAsset(asset, { ...config, marketFeed: await feed.getAddress() });
        await time.increase(1);
        await oracle.poke(asset);
        const st = await oracle.getAssetState(asset);
        expect(st.marketPriceWad).to.equal((WAD * 98n) / 100n);
        expect(st.discountBps).to.equal(200n);
      }
    });

    it("reverts on an unknown asset", async function () {
      const { oracle, alice } = await loadFixture(deployOracleFixture);
      await expect(oracle.poke(alice.address))
        .to.be.revertedWithCustomError(oracle, "OracleUnknownAsset")
        .withArgs(alice.address);
      for (const view of ["getAssetState", "getAssetConfig", "getModelParams", "getModelParamsBounds", "getRiskLevel"]) {
        await expect((oracle as any)[view](alice.address)).to.be.revertedWithCustomError(oracle, "OracleUnknownAsset");
      }
      await expect(oracle.haircutForDiscount(alice.address, 1)).to.be.revertedWithCustomError(
        oracle,
        "OracleUnknownAsset",
      );
    });

    it("a stale market feed freezes the discount (marketStale); a stale backing feed is IMPAIRED", async function () {
      const { oracle, asset, marketFeed, backingFeed, setDiscount } = await loadFixture(deployOracleFixture);
      await setDiscount(200);
      await oracle.poke(asset);
      await time.increase(60);
      await setDiscount(900);
      const now = await time.latest();
      await marketFeed.setUpdatedAt(now - DAY - 10);
      await oracle.poke(asset);
      let st = await oracle.getAssetState(asset);
      expect([st.marketStale, st.discountBps, st.level]).to.deep.equal([true, 200n, RiskLevel.ELEVATED]);
      await marketFeed.setUpdatedAt(await time.latest());
      await backingFeed.setUpdatedAt(now - 2 * DAY);
      await time.increase(60);
      await oracle.poke(asset);
      st = await oracle.getAssetState(asset);
      expect([st.marketStale, st.discountBps, st.level]).to.deep.equal([false, 900n, RiskLevel.IMPAIRED]);
    });

    it("a market price <= 0 is no price (marketStale); a backing answer <= 0 is zero backing (IMPAIRED)", async function () {
      const { oracle, asset, marketFeed, backingFeed, rate } = await loadFixture(deployOracleFixture);
      await oracle.poke(asset);
      for (const answer of [0n, -5n]) {
        await time.increase(60);
        await marketFeed.setAnswer(answer);
        await oracle.poke(asset);
        const st = await oracle.getAssetState(asset);
        expect([st.marketStale, st.marketPriceWad, st.level]).to.deep.equal([true, rate, RiskLevel.NORMAL]);
      }
      await marketFeed.setAnswer(rate);
      await backingFeed.setAnswer(0);
      await time.increase(60);
      await oracle.poke(asset);
      const st = await oracle.getAssetState(asset);
      expect([st.backingPerTokenWad, st.backingShortfallBps, st.level]).to.deep.equal([0n, 10_000n, RiskLevel.IMPAIRED]);
    });

    it("a zero rate, a rate above maxRateWad or below minRateWad is IMPAIRED, never a revert", async function () {
      const { oracle, asset, weEth, rate } = await loadFixture(deployOracleFixture);
      await oracle.poke(asset);
      for (const r of [0n, 3n * WAD, WAD / 4n]) {
        await time.increase(60);
        await weEth.setRate(r);
        await oracle.poke(asset);
        const st = await oracle.getAssetState(asset);
        expect(st.level).to.equal(RiskLevel.IMPAIRED);
        // unreadable (0, above max): the last plausible rate is kept; below min: recorded as read
        expect(st.exchangeRateWad).to.equal(r === WAD / 4n ? r : rate);
      }
    });

    it("updates only once per block", async function () {
      const { oracle, asset, setDiscount } = await loadFixture(deployOracleFixture);
      await network.provider.send("evm_setAutomine", [false]);
      try {
        await setDiscount(200);
        const tx1 = await oracle.poke(asset);
        await setDiscount(900);
        const tx2 = await oracle.poke(asset);
        await network.provider.send("evm_mine");
        const [r1, r2] = await Promise.all([tx1.wait(), tx2.wait()]);
        expect(r1!.logs.length).to.be.greaterThan(0);
        expect(r2!.logs.length).to.equal(0);
      } finally {
        await network.provider.send("evm_setAutomine", [true]);
      }
      expect((await oracle.getAssetState(asset)).discountBps).to.equal(200n);
    });
  });

  describe("pokeForHaircut", function () {
    it("records the same observation as poke and answers its fields with the getModelParams curve", async function () {
      const { oracle, asset, setDiscount } = await loadFixture(deployOracleFixture);
      await oracle.poke(asset);
      await setDiscount(450);
      await time.increase(60);
      // Same chain state and pending block: pokeForHaircut computes exactly what poke computes.
      const stPoke = await oracle.poke.staticCall(asset);
      const h = await oracle.pokeForHaircut.staticCall(asset);
      expect(h.discountBps).to.equal(450n);
      expect([h.discountBps, h.emaDiscountBps, h.navDropBps, h.level, h.marketStale]).to.deep.equal([
        stPoke.discountBps,
        stPoke.emaDiscountBps,
        stPoke.navDropBps,
        stPoke.level,
        stPoke.marketStale,
      ]);
      const [params] = await oracle.getModelParams(asset);
      expect(h.navDropHaircutMultiplierBps).to.equal(params.navDropHaircutMultiplierBps);
      expect([...h.knots]).to.deep.equal([
        params.knot0DiscountBps,
        params.knot0HaircutBps,
        params.knot1DiscountBps,
        params.knot1HaircutBps,
        params.knot2DiscountBps,
        params.knot2HaircutBps,
        params.knot3DiscountBps,
        params.knot3HaircutBps,
      ]);
      expect(params.knot3HaircutBps).to.equal(BigInt(defaultParams().knot3HaircutBps));
      await expect(oracle.pokeForHaircut(asset))
        .to.emit(oracle, "ObservationRecorded")
        .withArgs(asset, stPoke.marketPriceWad, stPoke.exchangeRateWad, 450n, stPoke.emaDiscountBps);
      expect((await oracle.getAssetState(asset)).discountBps).to.equal(450n);
    });

    it("updates only once per block together with poke", async function () {
      const { oracle, asset, setDiscount } = await loadFixture(deployOracleFixture);
      await network.provider.send("evm_setAutomine", [false]);
      try {
        await setDiscount(200);
        const tx1 = await oracle.poke(asset);
        await setDiscount(900);
        const tx2 = await oracle.pokeForHaircut(asset);
        await network.provider.send("evm_mine");
        const [r1, r2] = await Promise.all([tx1.wait(), tx2.wait()]);
        expect(r1!.logs.length).to.be.greaterThan(0);
        expect(r2!.logs.length).to.equal(0);
      } finally {
        await network.provider.send("evm_setAutomine", [true]);
      }
      expect((await oracle.getAssetState(asset)).discountBps).to.equal(200n);
    });

    it("answers a zero curve before the bounds are set and reverts on an unknown asset", async function () {
      const { oracle, config, governance, alice } = await loadFixture(deployOracleFixture);
      const other = ethers.Wallet.createRandom().address;
      await oracle.connect(governance).configureAsset(other, config);
      const h = await oracle.pokeForHaircut.staticCall(other);
      expect(h.navDropHaircutMultiplierBps).to.equal(0n);
      expect([...h.knots].every((v) => v === 0n)).to.equal(true);
      await expect(oracle.pokeForHaircut(alice.address))
        .to.be.revertedWithCustomError(oracle, "OracleUnknownAsset")
        .withArgs(alice.address);
    });

    it("getAssetConfig round-trips the backing feed when it is removed and set again", async function () {
      const { oracle, asset, config } = await loadFixture(deployOracleFixture);
      await oracle.configureAsset(asset, { ...config, backingFeed: ethers.ZeroAddress, backingHeartbeatSeconds: 7 });
      let stored = await oracle.getAssetConfig(asset);
      expect(stored.backingFeed).to.equal(ethers.ZeroAddress);
      expect(stored.backingHeartbeatSeconds).to.equal(7n);
      await oracle.configureAsset(asset, config);
      stored = await oracle.getAssetConfig(asset);
      expect([...stored]).to.deep.equal(Object.values(config));
      await oracle.poke(asset);
      expect((await oracle.getAssetState(asset)).backingPerTokenWad).to.be.greaterThan(0n);
    });
  });

  describe("risk levels", function () {
    it("escalates at once, de-escalates only past the hysteresis band, and tracks streaks", async function () {
      const { oracle, asset, config, setDiscount } = await loadFixture(deployOracleFixture);
      await oracle.poke(asset);
      await setDiscount(150);
      await expect(oracle.poke(asset))
        .to.emit(oracle, "RiskLevelChanged")
        .withArgs(asset, RiskLevel.NORMAL, RiskLevel.ELEVATED);
      const since = await time.latest();
      await setDiscount(600);
      await oracle.poke(asset);
      let st = await oracle.getAssetState(asset);
      expect(st.level).to.equal(RiskLevel.STRESSED);
      expect(st.aboveElevatedSince).to.equal(since);
      expect(st.aboveStressedSince).to.equal(await time.latest());
      // De-escalation needs the discount below the threshold minus the hysteresis band (both from the fixture).
      const stressBps = Number(defaultParams().stressDiscountBps);
      const hysteresisBps = Number(config.hysteresisBps);
      await setDiscount(stressBps - hysteresisBps + 5); // + 25 >= stress: stays STRESSED
      await expect(oracle.poke(asset)).not.to.emit(oracle, "RiskLevelChanged");
      await setDiscount(stressBps - hysteresisBps - 5);
      await oracle.poke(asset);
      st = await oracle.getAssetState(asset);
      expect(st.level).to.equal(RiskLevel.ELEVATED);
      expect(st.aboveStressedSince).to.equal(0n);
      await setDiscount(80); // 80 + 25 >= 100: stays ELEVATED
      await oracle.poke(asset);
      expect(await oracle.getRiskLevel(asset)).to.equal(RiskLevel.ELEVATED);
      await setDiscount(70);
      await oracle.poke(asset);
      st = await oracle.getAssetState(asset);
      expect(st.level).to.equal(RiskLevel.NORMAL);
      expect(st.aboveElevatedSince).to.equal(0n);
      expect(st.levelSince).to.equal(await time.latest());
    });

    it("is IMPAIRED when the exchange rate falls below its recent high beyond tolerance", async function () {
      const { oracle, asset, weEth, rate, marketFeed, backingFeed } = await loadFixture(deployOracleFixture);
      const refreshFeeds = async () => {
        await marketFeed.setUpdatedAt(await time.latest());
        await backingFeed.setUpdatedAt(await time.latest());
      };
      await oracle.poke(asset);
      await weEth.setRate((rate * 9_960n) / 10_000n); // -40 bp: within the 50 bp tolerance
      await oracle.poke(asset);
      expect(await oracle.getRiskLevel(asset)).to.equal(RiskLevel.NORMAL);
      expect((await oracle.getAssetState(asset)).navDropBps).to.equal(40n);
      await weEth.setRate((rate * 9_900n) / 10_000n); // -100 bp
      await expect(oracle.poke(asset))
        .to.emit(oracle, "RiskLevelChanged")
        .withArgs(asset, RiskLevel.NORMAL, RiskLevel.IMPAIRED);
      // the loss is accepted as the new normal once the recent high is older than its window
      await time.increase(7 * DAY + 1);
      await refreshFeeds();
      await oracle.poke(asset);
      const st = await oracle.getAssetState(asset);
      expect(st.navDropBps).to.equal(0n);
      expect(st.level).to.equal(RiskLevel.NORMAL);
    });

    it("is IMPAIRED on a backing shortfall even when the exchange rate is unchanged (rsETH 2026)", async function () {
      const { oracle, asset, backingFeed } = await loadFixture(deployOracleFixture);
      await oracle.poke(asset);
      await backingFeed.setAnswer(88_000_000n); // 0.88 ETH backing per token vs rate 1.05: ~16% short
      await oracle.poke(asset);
      const st = await oracle.getAssetState(asset);
      expect(st.level).to.equal(RiskLevel.IMPAIRED);
      expect(st.backingShortfallBps).to.equal(rm.shortfallBps({ lowWad: (WAD * 88n) / 100n, refWad: (WAD * 105n) / 100n }));
      await backingFeed.setAnswer(105_000_000n);
      await oracle.poke(asset);
      expect(await oracle.getRiskLevel(asset)).to.equal(RiskLevel.NORMAL);
    });

    it("without a backing feed, shortfall is zero", async function () {
      const { oracle, asset, config } = await loadFixture(deployOracleFixture);
      await oracle.configureAsset(asset, { ...config, backingFeed: ethers.ZeroAddress, backingHeartbeatSeconds: 0 });
      await oracle.poke(asset);
      const st = await oracle.getAssetState(asset);
      expect(st.backingShortfallBps).to.equal(0n);
      expect(st.backingPerTokenWad).to.equal(0n);
    });
  });

  describe("seeded random walk: every poke matches the TypeScript mirror", function () {
    it("discount, EMA, recent high, NAV drop, backing shortfall, streaks and level", async function () {
      const { oracle, asset, marketFeed, backingFeed, weEth, config } = await loadFixture(deployOracleFixture);
      const steps = fc.sample(
        fc.record({
          dt: fc.integer({ min: 1, max: 12 * HOUR }),
          discountBps: fc.oneof(fc.integer({ min: 0, max: 150 }), fc.integer({ min: 0, max: 1_200 })),
          rateMilli: fc.integer({ min: 1_030, max: 1_060 }), // exchange rate 1.030 .. 1.060
          backingShortBps: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 })),
          longGap: fc.boolean(),
        }),
        { numRuns: 50, seed: 7_2026 },
      );
      const elevated = BigInt(config.elevatedDiscountBps);
      const stress = BigInt(defaultParams().stressDiscountBps);
      const hyst = BigInt(config.hysteresisBps);
      const window = BigInt(config.navHighWindowSeconds);
      let m = { ema: 0n, d: 0n, high: 0n, highAt: 0n, last: 0n, level: 0, aboveE: 0n, aboveS: 0n };
      const seen = new Set<number>();
      for (const s of steps) {
        await time.increase(s.longGap ? 8 * DAY : s.dt);
        const rate = (WAD * BigInt(s.rateMilli)) / 1000n;
        const market = (rate * BigInt(10_000 - s.discountBps)) / 10_000n;
        const backing8 = (rate * BigInt(10_000 - s.backingShortBps)) / 10_000n / 10n ** 10n;
        await weEth.setRate(rate);
        await marketFeed.setAnswer(market);
        const marketAt = BigInt(await time.latest());
        await backingFeed.setAnswer(backing8);
        await oracle.poke(asset);
        const now = BigInt(await time.latest());
        const st = await oracle.getAssetState(asset);
        // mirror
        const d = rm.discountBps({ marketPriceWad: market, exchangeRateWad: rate });
        const ema = rm.emaHeldBps({ prevEmaBps: m.ema, prevSampleBps: m.d, sampleBps: d, lastPokeAtSeconds: m.last, changeAtSeconds: marketAt, nowSeconds: now, halfLifeSeconds: BigInt(config.emaHalfLifeSeconds) });
        if (rate >= m.high || now - m.highAt > window) {
          m.high = rate;
          m.highAt = now;
        }
        const nav = rm.shortfallBps({ lowWad: rate, refWad: m.high });
        const shortfall = rm.shortfallBps({ lowWad: backing8 * 10n ** 10n, refWad: rate });
        const impaired = nav > BigInt(config.navDropToleranceBps) || shortfall > BigInt(config.backingShortfallToleranceBps);
        m.aboveE = d >= elevated ? (m.aboveE === 0n ? now : m.aboveE) : 0n;
        m.aboveS = d >= stress ? (m.aboveS === 0n ? now : m.aboveS) : 0n;
        m.level = rm.nextLevel({ currentLevel: m.level, discountBps: d, elevatedBps: elevated, stressBps: stress, hysteresisBps: hyst, impaired });
        m.ema = ema;
        m.d = d;
        m.last = now;
        expect(st.discountBps).to.equal(d);
        expect(st.emaDiscountBps).to.equal(ema);
        expect(st.recentHighRateWad).to.equal(m.high);
        expect(st.navDropBps).to.equal(nav);
        expect(st.backingShortfallBps).to.equal(shortfall);
        expect(st.aboveElevatedSince).to.equal(m.aboveE);
        expect(st.aboveStressedSince).to.equal(m.aboveS);
        expect(st.level).to.equal(BigInt(m.level));
        seen.add(m.level);
      }
      expect([...seen].sort()).to.deep.equal([0, 1, 2, 3]); // the walk visits every level
    });
  });

  describe("model parameters", function () {
    it("governance sets bounds and initial params; getters return them", async function () {
      const { oracle, asset } = await loadFixture(deployOracleFixture);
      const [p, at] = await oracle.getModelParams(asset);
      expect(p.tripDiscountBps).to.equal(300n);
      expect(at).to.be.greaterThan(0n);
      const b = await oracle.getModelParamsBounds(asset);
      expect(b.minDelaySeconds).to.equal(BigInt(DAY));
      expect(b.max.navDropHaircutMultiplierBps).to.equal(30_000n);
      expect(await oracle.haircutForDiscount(asset, 1000)).to.equal(1550n);
    });

    it("setModelParamsBounds is governance only and validates", async function () {
      const { oracle, asset, alice } = await loadFixture(deployOracleFixture);
      await expect(oracle.connect(alice).setModelParamsBounds(asset, defaultBounds(), defaultParams()))
        .to.be.revertedWithCustomError(oracle, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, ethers.ZeroHash);
      const inverted = defaultBounds();
      inverted.min = { ...inverted.min, stressDiscountBps: 600 };
      inverted.max = { ...inverted.max, stressDiscountBps: 550 };
      await expect(oracle.setModelParamsBounds(asset, inverted, defaultParams()))
        .to.be.revertedWithCustomError(oracle, "OracleParamOutOfBounds")
        .withArgs(asset, 1, defaultParams().stressDiscountBps, 600, 550); // no value lies within inverted bounds
      await expect(
        oracle.setModelParamsBounds(alice.address, defaultBounds(), defaultParams()),
      ).to.be.revertedWithCustomError(oracle, "OracleUnknownAsset");
      await expect(oracle.setModelParamsBounds(asset, defaultBounds(), defaultParams()))
        .to.emit(oracle, "ModelParamsBoundsUpdated");
    });

    it("the keeper pushes within bounds after the delay", async function () {
      const { oracle, asset, keeper } = await loadFixture(deployOracleFixture);
      const next = { ...defaultParams(), tripDiscountBps: 350, knot3HaircutBps: 2_600 };
      await expect(oracle.connect(keeper).setModelParams(asset, next)).to.be.revertedWithCustomError(
        oracle,
        "OracleParamsUpdateTooSoon",
      );
      await time.increase(DAY);
      await expect(oracle.connect(keeper).setModelParams(asset, next))
        .to.emit(oracle, "ModelParamsUpdated")
        .withArgs(asset, Object.values(defaultParams()), Object.values(next));
      expect((await oracle.getModelParams(asset))[0].tripDiscountBps).to.equal(350n);
      const [, at] = await oracle.getModelParams(asset);
      await expect(oracle.connect(keeper).setModelParams(asset, next))
        .to.be.revertedWithCustomError(oracle, "OracleParamsUpdateTooSoon")
        .withArgs(asset, at, at + BigInt(DAY));
    });

    it("rejects a step too large, a value out of bounds, an invalid curve, and bad cross-field values", async function () {
      const { oracle, asset, keeper } = await loadFixture(deployOracleFixture);
      await time.increase(DAY);
      const k = oracle.connect(keeper);
      await expect(k.setModelParams(asset, { ...defaultParams(), knot2HaircutBps: 701 }))
        .to.be.revertedWithCustomError(oracle, "OracleParamStepTooLarge")
        .withArgs(asset, 8, 600, 701, 100);
      await expect(k.setModelParams(asset, { ...defaultParams(), knot3DiscountBps: 10_001 }))
        .to.be.revertedWithCustomError(oracle, "OracleParamOutOfBounds")
        .withArgs(asset, 9, 10_001, 0, 10_000);
      await expect(
        k.setModelParams(asset, { ...defaultParams(), knot1DiscountBps: 120, knot1HaircutBps: 100, knot0HaircutBps: 80, knot0DiscountBps: 130 }),
      )
        .to.be.revertedWithCustomError(oracle, "OracleInvalidHaircutCurve")
        .withArgs(asset);
      await expect(k.setModelParams(asset, { ...defaultParams(), knot1HaircutBps: 100, knot0HaircutBps: 0, knot2HaircutBps: 600, knot3HaircutBps: 2500, knot0DiscountBps: 50, knot1DiscountBps: 200 }))
        .to.emit(oracle, "ModelParamsUpdated");
      await time.increase(DAY);
      await expect(k.setModelParams(asset, { ...defaultParams(), knot1HaircutBps: 100, tripDiscountBps: 500 }))
        .to.be.revertedWithCustomError(oracle, "OracleParamStepTooLarge")
        .withArgs(asset, 0, 300, 500, 100);
      const bounds = defaultBounds();
      bounds.maxStep = { ...bounds.maxStep, stressDiscountBps: 1_000, tripDiscountBps: 1_000 };
      await oracle.setModelParamsBounds(asset, bounds, defaultParams());
      await time.increase(DAY);
      await expect(k.setModelParams(asset, { ...defaultParams(), stressDiscountBps: 100 }))
        .to.be.revertedWithCustomError(oracle, "OracleInvalidConfig")
        .withArgs(asset, "stressDiscountBps");
      await expect(k.setModelParams(asset, { ...defaultParams(), tripDiscountBps: 0 }))
        .to.be.revertedWithCustomError(oracle, "OracleInvalidConfig")
        .withArgs(asset, "tripDiscountBps");
    });

    it("is keeper only and needs bounds", async function () {
      const { oracle, asset, alice, keeper, config } = await loadFixture(deployOracleFixture);
      await expect(oracle.connect(alice).setModelParams(asset, defaultParams()))
        .to.be.revertedWithCustomError(oracle, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, await oracle.RISK_KEEPER_ROLE());
      const fresh = ethers.Wallet.createRandom().address;
      await oracle.configureAsset(fresh, config);
      await expect(oracle.connect(keeper).setModelParams(fresh, defaultParams()))
        .to.be.revertedWithCustomError(oracle, "OracleParamsBoundsNotSet")
        .withArgs(fresh);
      await expect(oracle.connect(keeper).setModelParams(alice.address, defaultParams()))
        .to.be.revertedWithCustomError(oracle, "OracleUnknownAsset");
      // without model params an asset never reaches STRESSED from the discount alone
      const feed = await ethers.getContractAt("MockAggregator", config.marketFeed as string);
      await feed.setAnswer(WAD / 2n + WAD / 10n);
      await oracle.poke(fresh);
      expect(await oracle.getRiskLevel(fresh)).to.equal(RiskLevel.ELEVATED);
    });
  });
});

describe("Exchange-rate adapters", function () {
  it("GetRateAdapter reads weETH getRate()", async function () {
    const weEth = await ethers.deployContract("MockWeEth", [(WAD * 1_07n) / 100n]);
    const a = await ethers.deployContract("GetRateAdapter", [await weEth.getAddress(), "weETH getRate()"]);
    expect(await a.getRateWad()).to.equal((WAD * 107n) / 100n);
    expect(await a.RATE_SOURCE()).to.equal(await weEth.getAddress());
    expect(await a.description()).to.equal("weETH getRate()");
    await expect(ethers.deployContract("GetRateAdapter", [ethers.ZeroAddress, "x"])).to.be.revertedWithCustomError(
      a,
      "AdapterZeroAddress",
    );
  });

  it("KelpRsEthRateAdapter reads LRTOracle.rsETHPrice()", async function () {
    const kelp = await ethers.deployContract("MockKelpLrtOracle", [(WAD * 1_04n) / 100n]);
    const a = await ethers.deployContract("KelpRsEthRateAdapter", [await kelp.getAddress()]);
    expect(await a.getRateWad()).to.equal((WAD * 104n) / 100n);
    await kelp.setRsETHPrice(WAD);
    expect(await a.getRateWad()).to.equal(WAD);
    expect(await a.description()).to.contain("rsETHPrice");
    await expect(ethers.deployContract("KelpRsEthRateAdapter", [ethers.ZeroAddress])).to.be.reverted;
  });

  it("Erc4626RateAdapter normalises share and asset decimals", async function () {
    const v18 = await ethers.deployContract("MockErc4626Vault", [18, 18, (WAD * 1_02n) / 100n]);
    const a18 = await ethers.deployContract("Erc4626RateAdapter", [await v18.getAddress()]);
    expect(await a18.getRateWad()).to.equal((WAD * 102n) / 100n);
    // 6-decimal asset, 8-decimal share: 1.5 asset units per share
    const v6 = await ethers.deployContract("MockErc4626Vault", [8, 6, 1_500_000n]);
    const a6 = await ethers.deployContract("Erc4626RateAdapter", [await v6.getAddress()]);
    expect(await a6.getRateWad()).to.equal((WAD * 3n) / 2n);
    expect(await a6.description()).to.contain("convertToAssets");
  });

  it("RenzoTvlRateAdapter divides TVL by ezETH supply and rejects a zero supply", async function () {
    const rm_ = await ethers.deployContract("MockRenzoRestakeManager", [1_010n * WAD]);
    const ez = await ethers.deployContract("MockDecimalsToken", [18, 1_000n * WAD]);
    const a = await ethers.deployContract("RenzoTvlRateAdapter", [await rm_.getAddress(), await ez.getAddress()]);
    expect(await a.getRateWad()).to.equal((WAD * 101n) / 100n);
    expect(await a.EZETH()).to.equal(await ez.getAddress());
    await ez.setTotalSupply(0);
    await expect(a.getRateWad())
      .to.be.revertedWithCustomError(a, "AdapterInvalidSourceValue")
      .withArgs(await ez.getAddress());
    expect(await a.description()).to.contain("calculateTVLs");
  });

  it("StakeWiseOsEthRateAdapter reads convertToAssets(1e18)", async function () {
    const c = await ethers.deployContract("MockOsTokenVaultController", [(WAD * 1_03n) / 100n]);
    const a = await ethers.deployContract("StakeWiseOsEthRateAdapter", [await c.getAddress()]);
    expect(await a.getRateWad()).to.equal((WAD * 103n) / 100n);
    expect(await a.description()).to.contain("osETH");
  });
});
