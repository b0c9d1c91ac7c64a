import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { readReserveConfig } from "../../scripts/aave";
import { healthFactors, loadMarketFile, planPopulation } from "../../scripts/markets/replica";
import { replicaWithPopulationFixture } from "../shared/fixtures";
import { WAD } from "../../spec/units";

const population120 = replicaWithPopulationFixture(120);

describe("replica population", () => {
  describe("planPopulation (pure, seeded)", () => {
    const market = loadMarketFile();
    it("is reproducible for a seed and differs across seeds", () => {
      const a = planPopulation({ market, seed: 1, count: 50 });
      expect(planPopulation({ market, seed: 1, count: 50 })).to.deep.equal(a);
      expect(planPopulation({ market, seed: 2, count: 50 })).to.not.deep.equal(a);
    });

    it("draws HF in [min, max], leverage 1/(1-LT/HF), debt = collateral x LT / HF", () => {
      const plans = planPopulation({ market, seed: 3, count: 400 });
      for (const p of plans) {
        expect(p.targetHf).to.be.within(1.01, 2.0);
        const lt = p.liquidationThresholdBps / 1e4;
        expect(p.leverage).to.be.closeTo(1 / (1 - lt / p.targetHf), 1e-9);
        expect(p.debtEth).to.be.closeTo((p.collateralEth * lt) / p.targetHf, 1e-9 * p.collateralEth);
        expect(p.collateralEth - p.debtEth).to.be.closeTo(p.equityEth, 1e-9 * p.collateralEth);
      }
      const hfs = plans.map((p) => p.targetHf).sort((x, y) => x - y);
      // triangular(1.01, 1.08, 2.0): median = 2 - sqrt(0.5 * 0.99 * 0.92) = 1.3251
      expect(hfs[200]).to.be.closeTo(1.325, 0.06);
      const eModeShare = plans.filter((p) => p.eModeCategoryId !== 0).length / plans.length;
      expect(eModeShare).to.be.within(0.75, 0.9);
      // ezETH (reserve LT 0.1%) is only usable in eMode
      expect(plans.filter((p) => p.symbol === "ezETH" && p.eModeCategoryId === 0)).to.have.length(0);
    });

    it("rejects a bad distribution naming the field", () => {
      expect(() => planPopulation({ market, seed: 1, count: 5, hf: { min: 0.9, mode: 1, max: 2 } })).to.throw(/population hf/);
      expect(() => planPopulation({ market, seed: 1, count: 5, assetWeights: { FOO: 1 } })).to.throw(/assetWeights\.FOO/);
    });
  });

  describe("openPositions through the real Pool", () => {
    it("opens every position at its target HF, in the planned eMode, funded from the Pool's WETH", async () => {
      const { replica, population } = await loadFixture(population120);
      expect(population.positions).to.have.length(120);
      const hfs = await healthFactors(replica, population.positions.map((p) => p.account));
      population.positions.forEach((p, i) => {
        const target = BigInt(Math.round(p.targetHf * 1e6)) * 10n ** 12n;
        expect(hfs[i], `position ${i}`).to.be.gte(WAD + WAD / 100n);
        expect(hfs[i], `position ${i}`).to.be.closeTo(target, target / 10_000n);
      });
      for (const p of population.positions.slice(0, 20)) {
        expect(await replica.aave.pool.getUserEMode(p.account)).to.equal(BigInt(p.eModeCategoryId));
        const debtToken = await ethers.getContractAt("ReplicaToken", (await replica.aave.pool.getReserveData(replica.weth.address)).variableDebtTokenAddress);
        // debt accrues interest block by block: within 1e-6
        expect(await debtToken.balanceOf(p.account)).to.be.closeTo(p.debtAmount, p.debtAmount / 1_000_000n);
      }
    });

    it("restores the market file's LTVs after opening (LTV-0 reserves stay LTV 0)", async () => {
      const { replica } = await loadFixture(population120);
      for (const spec of replica.market.reserves) {
        expect((await readReserveConfig(replica.aave, replica.assets[spec.symbol].address)).ltvBps, spec.symbol).to.equal(spec.ltvBps);
      }
      for (const c of replica.market.eModeCategories) {
        expect((await replica.aave.pool.getEModeCategoryData(c.id)).ltv).to.equal(BigInt(c.ltvBps));
      }
    });

    it("positions on LTV-0 collateral (rsETH) cannot borrow more once the file's LTV is back", async () => {
      const { replica, population } = await loadFixture(population120);
      const lowHf = population.positions.find((p) => p.symbol === "rsETH" && p.targetHf > 1.5)!;
      expect(lowHf, "an rsETH position with HF > 1.5 in the seeded draw").to.not.equal(undefined);
      const borrow = replica.aave.pool.interface.encodeFunctionData("borrow", [replica.weth.address, WAD / 100n, 2, 0, lowHf.account]);
      await expect(population.opener.execute(lowHf.account, await replica.aave.pool.getAddress(), borrow)).to.be.reverted;
      // control: a weETH position (LTV 77.5% / eMode 93%) with the same headroom can
      const control = population.positions.find((p) => p.symbol === "weETH" && p.targetHf > 1.5)!;
      const borrowControl = replica.aave.pool.interface.encodeFunctionData("borrow", [replica.weth.address, WAD / 100n, 2, 0, control.account]);
      await population.opener.execute(control.account, await replica.aave.pool.getAddress(), borrowControl);
    });
  });
});
