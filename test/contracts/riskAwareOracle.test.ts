import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { HOUR, DAY, WAD, RiskLevel, defaultGuardConfig } from "./fixtures";
import { FIXTURE_MAX_FLOOR_SECONDS, LLTV_86, deployMorphoRiskAwareFixture, deployRiskAwareFixture } from "./riskAwareFixture";
import { deployRiskAwareOracle } from "../../scripts/guard/riskAwareOracle";
import { MorphoLltvNotEnabledError, MorphoOracleZeroPriceError, createMorphoMarket } from "../../scripts/markets/morpho/deploy";

/** Awaits a promise expected to reject; checks the error's class or message. */
async function expectRejects(p: Promise<unknown>, matcher: RegExp | (new (...a: never[]) => Error)): Promise<void> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err, "expected a rejection").to.be.instanceOf(Error);
  if (matcher instanceof RegExp) expect((err as Error).message).to.match(matcher);
  else expect(err).to.be.instanceOf(matcher);
}

const Mode = { MARKET: 0n, FLOOR: 1n, IMPAIRED: 2n } as const;
const RATE = (WAD * 105n) / 100n;
/** floor = rate x (1 - 3%) with backing intact */
const FLOOR = (RATE * 9700n) / 10_000n;

describe("RiskAwareOracle (Morpho IOracle over Cascade Guard)", function () {
  describe("pricing rules", function () {
    it("NORMAL: the market price, at Morpho's 1e36 scale", async function () {
      const f = await loadFixture(deployRiskAwareFixture);
      await f.setDiscount(100);
      expect(await f.riskAware.price()).to.equal(((RATE * 9900n) / 10_000n) * WAD);
      const q = await f.riskAware.quote();
      expect(q.mode).to.equal(Mode.MARKET);
      expect(q.marketFresh).to.equal(true);
    });

    it("a discount without a guard pause is not floored (the oracle alone never props the price)", async function () {
      const f = await loadFixture(deployRiskAwareFixture);
      await f.setDiscount(1000);
      await f.oracle.poke(f.asset);
      expect(await f.priceWad()).to.equal((RATE * 9000n) / 10_000n);
    });

    it("guard-tripped dislocation: floored at rate x (1 - tolerance) while paused", async function () {
      const f = await loadFixture(deployRiskAwareFixture);
      await f.setDiscount(1000);
      await f.guard.trip(f.asset);
      expect(await f.guard.isAssetPaused(f.asset)).to.equal(true);
      expect(await f.priceWad()).to.equal(FLOOR);
      const q = await f.riskAware.quote();
      expect(q.mode).to.equal(Mode.FLOOR);
      expect(q.floorWad).to.equal(FLOOR);
      // a market above the floor is reported as is
      await f.setDiscount(200);
      expect(await f.priceWad()).to.equal((RATE * 9800n) / 10_000n);
    });

    it("the floor lapses MAX_FLOOR_SECONDS after the pause started, even while the guard is still paused", async function () {
      const f = await loadFixture(deployRiskAwareFixture);
      await f.setDiscount(1000);
      await f.guard.trip(f.asset);
      const pausedAt = Number((await f.guard.getPauseState(f.asset)).pausedAt);
      await time.increaseTo(pausedAt + FIXTURE_MAX_FLOOR_SECONDS - 20);
      await f.refreshFeeds();
      expect(await f.priceWad()).to.equal(FLOOR);
      await time.increaseTo(pausedAt + FIXTURE_MAX_FLOOR_SECONDS);
      await f.refreshFeeds();
      expect(await f.guard.isAssetPaused(f.asset)).to.equal(true); // guard pause is 6 h
      expect(await f.priceWad()).to.equal((RATE * 9000n) / 10_000n);
    });

    it("the floor lapses when the guard's pause ends first", async function () {
      const f = await loadFixture(deployRiskAwareFixture);
      await f.guard.configureAsset(f.asset, { ...defaultGuardConfig(), maxPauseSeconds: HOUR });
      await f.setDiscount(1000);
      await f.guard.trip(f.asset);
      await time.increase(HOUR);
      await f.refreshFeeds();
      expect(await f.guard.isAssetPaused(f.asset)).to.equal(false);
      expect((await f.riskAware.quote()).mode).to.equal(Mode.MARKET);
    });

    it("IMPAIRED (NAV drop): min(market, rate x backing) at once, even during a guard pause", async function () {
      const f = await loadFixture(deployRiskAwareFixture);
      await f.setDiscount(1000);
      await f.guard.trip(f.asset);
      // slash 5%: the market follows at 10% below the new rate... and a higher market is capped at the new rate
      const slashed = (RATE * 95n) / 100n;
      await f.weEth.setRate(slashed);
      await f.marketFeed.setAnswer(RATE); // market still at the old rate
      await time.increase(1);
      await f.backingFeed.setAnswer(105_000_000n);
      await f.oracle.poke(f.asset);
      expect(await f.oracle.getRiskLevel(f.asset)).to.equal(RiskLevel.IMPAIRED);
      expect(await f.guard.isAssetPaused(f.asset)).to.equal(true);
      expect(await f.priceWad()).to.equal(slashed);
      expect((await f.riskAware.quote()).mode).to.equal(Mode.IMPAIRED);
      await f.marketFeed.setAnswer((slashed * 80n) / 100n);
      expect(await f.priceWad()).to.equal((slashed * 80n) / 100n);
    });

    it("IMPAIRED (backing shortfall): priced at rate x backing ratio", async function () {
      const f = await loadFixture(deployRiskAwareFixture);
      await f.backingFeed.setAnswer(84_000_000n); // 0.84 ETH per token against a 1.05 rate: 20% short
      await f.oracle.poke(f.asset);
      expect(await f.oracle.getRiskLevel(f.asset)).to.equal(RiskLevel.IMPAIRED);
      const st = await f.oracle.getAssetState(f.asset);
      expect(await f.priceWad()).to.equal((RATE * (10_000n - st.backingShortfallBps)) / 10_000n);
    });

    it("a rate below the last poked one (loss not yet poked) lifts the floor at once", async function () {
      const f = await loadFixture(deployRiskAwareFixture);
      await f.setDiscount(1000);
      await f.guard.trip(f.asset);
      expect((await f.riskAware.quote()).mode).to.equal(Mode.FLOOR);
      await f.weEth.setRate(RATE - 1n);
      expect((await f.riskAware.quote()).mode).to.equal(Mode.MARKET);
    });

    it("stale market feed: no revert; the lower of the last recorded market price and rate x backing", async function () {
      const f = await loadFixture(deployRiskAwareFixture);
      await f.setDiscount(500);
      await f.oracle.poke(f.asset);
      await time.increase(2 * DAY);
      const q = await f.riskAware.quote();
      expect(q.marketFresh).to.equal(false);
      expect(await f.priceWad()).to.equal((RATE * 9500n) / 10_000n);
      // a zero answer is treated as stale too
      await f.marketFeed.setAnswer(0);
      expect(await f.priceWad()).to.equal((RATE * 9500n) / 10_000n);
    });
  });

  describe("configuration (validate, then deploy)", function () {
    it("refuses out-of-range parameters with RiskAwareOracleInvalidParam, before and on-chain", async function () {
      const f = await loadFixture(deployRiskAwareFixture);
      await expectRejects(deployRiskAwareOracle({ ...f.request, floorToleranceBps: 10 }), /floorToleranceBps: expected an integer in \[50, 3000\]; found 10/);
      await expectRejects(deployRiskAwareOracle({ ...f.request, maxFloorSeconds: 0 }), /maxFloorSeconds/);
      const factory = await ethers.getContractFactory("RiskAwareOracle");
      const raw = { ...f.request, deployer: undefined };
      delete raw.deployer;
      await expect(factory.deploy({ ...raw, floorToleranceBps: 3001 }))
        .to.be.revertedWithCustomError(factory, "RiskAwareOracleInvalidParam")
        .withArgs("floorToleranceBps", 3001);
      await expect(factory.deploy({ ...raw, maxFloorSeconds: 3 * DAY + 1 }))
        .to.be.revertedWithCustomError(factory, "RiskAwareOracleInvalidParam")
        .withArgs("maxFloorSeconds", 3 * DAY + 1);
    });

    it("refuses a guard that reads another risk oracle", async function () {
      const f = await loadFixture(deployRiskAwareFixture);
      const other = await ethers.deployContract("CollateralRiskOracle", [f.deployer.address]);
      const factory = await ethers.getContractFactory("RiskAwareOracle");
      const { deployer: _d, ...raw } = f.request;
      await expect(factory.deploy({ ...raw, riskOracle: await other.getAddress() })).to.be.revertedWithCustomError(factory, "RiskAwareOracleGuardMismatch");
    });

    it("refuses an oracle that would price the collateral at zero (RiskAwareOracleZeroPrice)", async function () {
      const f = await loadFixture(deployRiskAwareFixture);
      await f.backingFeed.setAnswer(1n); // 1e-8 ETH of backing per token: IMPAIRED, rate x backing rounds to 0
      await f.oracle.poke(f.asset);
      const factory = await ethers.getContractFactory("RiskAwareOracle");
      const { deployer: _d, ...raw } = f.request;
      await expect(factory.deploy(raw)).to.be.revertedWithCustomError(factory, "RiskAwareOracleZeroPrice").withArgs(f.asset);
    });
  });

  describe("on the real Morpho Blue", function () {
    /** Opens a position of 100 collateral at HF `hf` (at the current oracle price) for `who`. */
    async function openAt(f: Awaited<ReturnType<typeof deployMorphoRiskAwareFixture>>, hf: number) {
      const [, , , , , , borrower] = await ethers.getSigners();
      const collateral = 100n * WAD;
      await f.collateral.mint(borrower.address, collateral);
      await f.collateral.connect(borrower).approve(await f.morpho.getAddress(), collateral);
      await f.morpho.connect(borrower).supplyCollateral(f.params, collateral, borrower.address, "0x");
      const price = await f.priceWad();
      const borrow = (((collateral * price) / WAD) * LLTV_86) / WAD;
      const amount = (borrow * 10_000n) / BigInt(Math.round(hf * 10_000));
      await f.morpho.connect(borrower).borrow(f.params, amount, 0, borrower.address, borrower.address);
      return { borrower, amount };
    }

    it("a guard-tripped dislocation delays the liquidation until the floor lapses; then the real liquidate() goes through", async function () {
      const f = await loadFixture(deployMorphoRiskAwareFixture);
      // HF 1.05 at par: 0.945 at a 10% discount (liquidatable), 1.0185 at the 3% floor (healthy)
      const { borrower } = await openAt(f, 1.05);
      const [, liquidator] = await ethers.getSigners();
      await f.weth.mint(liquidator.address, 1000n * WAD);
      await f.weth.connect(liquidator).approve(await f.morpho.getAddress(), ethers.MaxUint256);
      await f.setDiscount(1000); // 10% below NAV: unhealthy at the market price
      await f.guard.trip(f.asset);
      const pos = await f.morpho.position(f.id, borrower.address);
      await expect(f.morpho.connect(liquidator).liquidate(f.params, borrower.address, pos.collateral / 10n, 0, "0x")).to.be.revertedWith("position is healthy");
      await time.increase(FIXTURE_MAX_FLOOR_SECONDS);
      await f.refreshFeeds();
      await f.setDiscount(1000);
      await f.morpho.connect(liquidator).liquidate(f.params, borrower.address, pos.collateral / 10n, 0, "0x");
      expect((await f.morpho.position(f.id, borrower.address)).collateral).to.equal(pos.collateral - pos.collateral / 10n);
    });

    it("IMPAIRED: liquidations go through at once, guard pause or not", async function () {
      const f = await loadFixture(deployMorphoRiskAwareFixture);
      const { borrower } = await openAt(f, 1.02);
      const [, liquidator] = await ethers.getSigners();
      await f.weth.mint(liquidator.address, 1000n * WAD);
      await f.weth.connect(liquidator).approve(await f.morpho.getAddress(), ethers.MaxUint256);
      await f.setDiscount(1000);
      await f.guard.trip(f.asset);
      await f.weEth.setRate((RATE * 96n) / 100n);
      await f.oracle.poke(f.asset);
      const pos = await f.morpho.position(f.id, borrower.address);
      await f.morpho.connect(liquidator).liquidate(f.params, borrower.address, pos.collateral / 10n, 0, "0x");
      expect((await f.morpho.position(f.id, borrower.address)).collateral).to.equal(pos.collateral - pos.collateral / 10n);
    });

    it("createMorphoMarket: an LLTV Morpho has not enabled stops with MorphoLltvNotEnabledError, nothing sent", async function () {
      const f = await loadFixture(deployMorphoRiskAwareFixture);
      const before = await ethers.provider.getBlockNumber();
      await expectRejects(createMorphoMarket({ morpho: f.morpho as never, signer: f.deployer, params: { ...f.params, lltv: 87n * 10n ** 16n } }), MorphoLltvNotEnabledError);
      expect(await ethers.provider.getBlockNumber()).to.equal(before);
    });

    it("createMorphoMarket: an oracle answering zero stops with MorphoOracleZeroPriceError, nothing sent", async function () {
      const f = await loadFixture(deployMorphoRiskAwareFixture);
      // The deployed oracle's backing collapses after construction: it now answers 0.
      await f.backingFeed.setAnswer(1n);
      await f.oracle.poke(f.asset);
      expect(await f.riskAware.price()).to.equal(0n);
      const before = await ethers.provider.getBlockNumber();
      // a second market (another collateral token) with this oracle
      const params = { ...f.params, collateralToken: await f.weth.getAddress() };
      await expectRejects(createMorphoMarket({ morpho: f.morpho as never, signer: f.deployer, params }), MorphoOracleZeroPriceError);
      expect(await ethers.provider.getBlockNumber()).to.equal(before);
    });
  });
});
