import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { readReserveConfig } from "../../scripts/aave";
import { loadMarketFile } from "../../scripts/markets/replica";
import { deployProtectedReplicaFixture, deployReplicaFixture } from "../shared/fixtures";

describe("replica market: configuration read back from the Pool equals the market file", () => {
  it("every reserve's LTV/LT/LB, reserve factor, caps, borrowing, freeze and eMode category", async () => {
    const { replica } = await loadFixture(deployReplicaFixture);
    const file = loadMarketFile();
    expect(Object.keys(replica.assets)).to.have.members(file.reserves.map((r) => r.symbol));
    for (const spec of file.reserves) {
      const cfg = await readReserveConfig(replica.aave, replica.assets[spec.symbol].address);
      expect(cfg, spec.symbol).to.deep.include({
        ltvBps: spec.ltvBps,
        liquidationThresholdBps: spec.liquidationThresholdBps,
        liquidationBonusBps: spec.liquidationBonusBps,
        reserveFactorBps: spec.reserveFactorBps,
        borrowingEnabled: spec.borrowingEnabled,
        frozen: spec.frozen,
        decimals: spec.decimals,
        eModeCategoryId: spec.eModeCategoryId,
        active: true,
        paused: false,
      });
      expect(cfg.supplyCap, `${spec.symbol} supplyCap`).to.equal(BigInt(spec.supplyCap));
      expect(cfg.borrowCap, `${spec.symbol} borrowCap`).to.equal(BigInt(spec.borrowCap));
    }
  });

  it("every eMode category's LTV/LT/LB and label", async () => {
    const { replica } = await loadFixture(deployReplicaFixture);
    for (const c of loadMarketFile().eModeCategories) {
      const e = await replica.aave.pool.getEModeCategoryData(c.id);
      expect([Number(e.ltv), Number(e.liquidationThreshold), Number(e.liquidationBonus) - 10_000, e.label]).to.deep.equal([
        c.ltvBps,
        c.liquidationThresholdBps,
        c.liquidationBonusBps,
        c.label,
      ]);
    }
  });
});

describe("deployProtectedReplicaFixture", () => {
  it("watches every LRT/LST in the oracle and the guard; the module manages the LTV>0 ones; the guard is the sentinel", async () => {
    const { replica, cascade } = await loadFixture(deployProtectedReplicaFixture);
    const watched = Object.values(replica.assets).filter((a) => a.spec.rate);
    expect((await cascade.riskOracle.getAssets()).length).to.equal(watched.length);
    expect((await cascade.pauseGuard.getAssets()).length).to.equal(watched.length);
    expect(await replica.aave.addressesProvider.getPriceOracleSentinel()).to.equal(cascade.addresses.pauseGuard);
    if (cascade.haircutModule) {
      const managed: string[] = [...(await cascade.haircutModule.getAssets())];
      expect(managed).to.have.members([replica.assets.weETH.address, replica.assets.wstETH.address]);
      // configureAsset wrote the base values: the Pool still equals the market file
      expect((await readReserveConfig(replica.aave, replica.assets.weETH.address)).ltvBps).to.equal(replica.assets.weETH.spec.ltvBps);
      expect((await cascade.haircutModule.getHaircutConfig(replica.assets.weETH.address)).eModeCategoryId).to.equal(1n);
      expect((await cascade.haircutModule.getHaircutConfig(replica.assets.wstETH.address)).eModeCategoryId).to.equal(0n);
    }
  });
});
