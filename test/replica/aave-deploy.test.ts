import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  aaveAddressBook,
  configureReserve,
  DeployStepError,
  deployAaveV3,
  deployRateStrategy,
  initReserves,
  readReserveConfig,
  setAssetEModeCategory,
  setAssetSources,
  setEModeCategory,
} from "../../scripts/aave";
import { WAD } from "../../spec/units";


async function aaveWithTwoReserves() {
  const [deployer, riskAdmin, alice, bob] = await ethers.getSigners();
  const aave = await deployAaveV3({ deployer, admins: { riskAdmins: [riskAdmin.address] } });
  const weth = await ethers.deployContract("ReplicaToken", ["Wrapped Ether", "WETH", 18, deployer.address]);
  const weeth = await ethers.deployContract("ReplicaToken", ["Wrapped eETH", "weETH", 18, deployer.address]);
  const ethUsd = await ethers.deployContract("ReplicaFeed", [8, "ETH / USD", 3000n * 10n ** 8n, deployer.address]);
  const weethUsd = await ethers.deployContract("ReplicaFeed", [8, "weETH / USD", 3150n * 10n ** 8n, deployer.address]);
  const strategy = await deployRateStrategy(aave, deployer, {
    optimalUsageRatioBps: 90_00,
    baseVariableBorrowRateBps: 0,
    variableRateSlope1Bps: 2_70,
    variableRateSlope2Bps: 80_00,
  });
  const wethAddr = await weth.getAddress();
  const weethAddr = await weeth.getAddress();
  await initReserves(aave, [
    { asset: wethAddr, symbol: "WETH", decimals: 18, interestRateStrategy: await strategy.getAddress() },
    { asset: weethAddr, symbol: "weETH", decimals: 18, interestRateStrategy: await strategy.getAddress() },
  ]);
  await setAssetSources(aave, [wethAddr, weethAddr], [await ethUsd.getAddress(), await weethUsd.getAddress()]);
  await configureReserve(aave, {
    asset: wethAddr, ltvBps: 80_50, liquidationThresholdBps: 83_00, liquidationBonusBps: 5_00,
    reserveFactorBps: 15_00, borrowingEnabled: true, supplyCap: 0, borrowCap: 0,
  });
  await configureReserve(aave, {
    asset: weethAddr, ltvBps: 77_50, liquidationThresholdBps: 80_00, liquidationBonusBps: 7_00,
    reserveFactorBps: 15_00, borrowingEnabled: false, supplyCap: 84_000,
  });
  await setEModeCategory(aave, { id: 1, ltvBps: 93_00, liquidationThresholdBps: 95_00, liquidationBonusBps: 1_00, label: "ETH correlated" });
  await setAssetEModeCategory(aave, wethAddr, 1);
  await setAssetEModeCategory(aave, weethAddr, 1);
  return { aave, deployer, riskAdmin, alice, bob, weth, weeth, ethUsd, weethUsd };
}

describe("scripts/aave: Aave v3.0.2 deployer", () => {
  it("wires provider, ACL, Pool and PoolConfigurator proxies, oracle and data provider", async () => {
    const { aave, deployer, riskAdmin } = await loadFixture(aaveWithTwoReserves);
    const book = await aaveAddressBook(aave);
    expect(await aave.addressesProvider.getPool()).to.equal(book.Pool);
    expect(book.Pool).to.not.equal(book.PoolImpl);
    expect(await aave.addressesProvider.getPoolConfigurator()).to.equal(book.PoolConfigurator);
    expect(await aave.addressesProvider.getPriceOracle()).to.equal(book.AaveOracle);
    expect(await aave.addressesProvider.getACLManager()).to.equal(book.ACLManager);
    expect(await aave.addressesProvider.getPoolDataProvider()).to.equal(book.AaveProtocolDataProvider);
    expect(await aave.pool.POOL_REVISION()).to.equal(1n);
    expect(await aave.aclManager.isPoolAdmin(deployer.address)).to.equal(true);
    expect(await aave.aclManager.isRiskAdmin(riskAdmin.address)).to.equal(true);
    expect(await aave.aclManager.isRiskAdmin(deployer.address)).to.equal(false);
    for (const lib of Object.values(book.libraries)) expect(await ethers.provider.getCode(lib)).to.not.equal("0x");
  });

  it("reads back the reserve configuration it wrote", async () => {
    const { aave, weeth } = await loadFixture(aaveWithTwoReserves);
    const cfg = await readReserveConfig(aave, await weeth.getAddress());
    expect(cfg).to.include({ ltvBps: 77_50, liquidationThresholdBps: 80_00, liquidationBonusBps: 7_00, reserveFactorBps: 15_00 });
    expect(cfg).to.include({ borrowingEnabled: false, eModeCategoryId: 1, decimals: 18, active: true, frozen: false });
    expect(cfg.supplyCap).to.equal(84_000n);
    const e = await aave.pool.getEModeCategoryData(1);
    expect([e.ltv, e.liquidationThreshold, e.liquidationBonus, e.label]).to.deep.equal([93_00n, 95_00n, 101_00n, "ETH correlated"]);
  });

  it("supplies, borrows in eMode and prices through AaveOracle on the real Pool", async () => {
    const { aave, alice, bob, weth, weeth } = await loadFixture(aaveWithTwoReserves);
    const pool = await aave.pool.getAddress();
    await weth.mint(bob.address, 100n * WAD);
    await weth.connect(bob).approve(pool, 100n * WAD);
    await aave.pool.connect(bob).supply(await weth.getAddress(), 100n * WAD, bob.address, 0);
    await weeth.mint(alice.address, 10n * WAD);
    await weeth.connect(alice).approve(pool, 10n * WAD);
    await aave.pool.connect(alice).supply(await weeth.getAddress(), 10n * WAD, alice.address, 0);
    await aave.pool.connect(alice).setUserEMode(1);
    // 10 weETH at 3150 USD, eMode LTV 93%: max borrow 29,295 USD = 9.765 WETH at 3000 USD.
    await expect(aave.pool.connect(alice).borrow(await weth.getAddress(), 98n * WAD / 10n, 2, 0, alice.address)).to.be.revertedWith("36");
    await aave.pool.connect(alice).borrow(await weth.getAddress(), 97n * WAD / 10n, 2, 0, alice.address);
    const data = await aave.pool.getUserAccountData(alice.address);
    // HF = 10 * 3150 * 0.95 / (9.7 * 3000) = 1.0283
    expect(data.healthFactor).to.be.closeTo(1_0283n * 10n ** 14n, 10n ** 14n);
  });

  it("rejects a reserve whose LT * (1 + LB) exceeds 100% (Aave's own validation)", async () => {
    const { aave, weeth } = await loadFixture(aaveWithTwoReserves);
    const err = await configureReserve(aave, {
      asset: await weeth.getAddress(), ltvBps: 90_00, liquidationThresholdBps: 95_00, liquidationBonusBps: 10_00,
    }).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(DeployStepError);
    expect((err as Error).message).to.match(/configureReserveAsCollateral/);
    expect((await readReserveConfig(aave, await weeth.getAddress())).ltvBps).to.equal(77_50);
  });
});
