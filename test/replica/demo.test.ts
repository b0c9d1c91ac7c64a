import { expect } from "chai";
import { ethers, network } from "hardhat";
import { FLASH_DISLOCATION, SLASHING, runDemo } from "../../scripts/replica/demo";

describe("demo (scripts/replica/demo.ts, the steps behind `npm run demo`)", () => {
  it("flash dislocation: the guard trips and blocks HF [0.95,1) liquidations; slashing: it never trips", async () => {
    const [deployer, liquidator, keeper] = await ethers.getSigners();
    const demo = await runDemo({
      deployer,
      liquidator,
      keeper,
      positions: 120,
      seed: 11,
      episodes: [FLASH_DISLOCATION, SLASHING],
      rpc: (m, p) => network.provider.send(m, p),
    });
    const [flashU, flashP, slashU, slashP] = demo.results;
    expect([flashU.protectedRun, flashP.protectedRun, slashU.protectedRun, slashP.protectedRun]).to.deep.equal([false, true, false, true]);
    // unprotected: liquidators fire and sell into the pool, pushing the market below the outside seller's 9%
    expect(flashU.liquidations).to.be.greaterThan(0);
    expect(flashU.collateralSoldEth).to.be.greaterThan(0);
    expect(flashU.minMarketPriceRatio).to.be.lessThan(0.91);
    // protected: a permissionless trip, liquidations blocked, fewer executed, a pause window recorded
    expect(flashP.trips).to.be.greaterThan(0);
    expect(flashP.blockedLiquidations).to.be.greaterThan(0);
    expect(flashP.liquidations).to.be.lessThan(flashU.liquidations);
    expect(flashP.pausedSeconds).to.be.greaterThan(0);
    // slashing is a real loss: the market discount (4%) is above the trip threshold (3%) but the asset is IMPAIRED,
    // so no trip and nothing blocked; the haircut module (when built) cuts weETH's LTV to its floor and ramps LT down,
    // which can only add liquidations
    expect(slashP.minMarketPriceRatio).to.be.lessThan(0.97);
    expect(slashP.trips).to.equal(0);
    expect(slashP.blockedLiquidations).to.equal(0);
    expect(slashP.liquidations).to.be.gte(slashU.liquidations);
    if (demo.haircutModuleBuilt) {
      expect(slashP.haircutUpdates).to.be.greaterThan(0);
      expect(slashP.finalLtvBps).to.be.lessThan(slashU.finalLtvBps!);
    } else {
      expect(slashP.liquidations).to.equal(slashU.liquidations);
    }
  });
});
