import { ethers } from "hardhat";
import type { BaseContract, Contract, Signer } from "ethers";

/**
 * The real Aave v3.6 market compiled from `@aave-dao/aave-v3-origin@3.6.0` source (contracts/external/aave-v3.6):
 * PoolAddressesProvider, ACLManager, Pool (logic libraries linked), PoolConfigurator, AaveOracle (USD, 8 decimals),
 * DefaultReserveInterestRateStrategyV2, aToken and variable debt token instances. A small test fixture until the
 * shared v3.6 deployer (scripts/aave, branch aave36) lands; every call goes through Aave's own contracts.
 */
const ORIGIN = "@aave-dao/aave-v3-origin/src/contracts";
export const V36 = {
  provider: `${ORIGIN}/protocol/configuration/PoolAddressesProvider.sol:PoolAddressesProvider`,
  acl: `${ORIGIN}/protocol/configuration/ACLManager.sol:ACLManager`,
  pool: `${ORIGIN}/instances/PoolInstance.sol:PoolInstance`,
  configurator: `${ORIGIN}/instances/PoolConfiguratorInstance.sol:PoolConfiguratorInstance`,
  oracle: `${ORIGIN}/misc/AaveOracle.sol:AaveOracle`,
  strategy: `${ORIGIN}/misc/DefaultReserveInterestRateStrategyV2.sol:DefaultReserveInterestRateStrategyV2`,
  aToken: `${ORIGIN}/instances/ATokenInstance.sol:ATokenInstance`,
  debtToken: `${ORIGIN}/instances/VariableDebtTokenInstance.sol:VariableDebtTokenInstance`,
  sentinel: `${ORIGIN}/misc/PriceOracleSentinel.sol:PriceOracleSentinel`,
  lib: (name: string) => `${ORIGIN}/protocol/libraries/logic/${name}.sol:${name}`,
} as const;

export interface AaveV36 {
  addressesProvider: Contract;
  aclManager: Contract;
  pool: Contract;
  poolConfigurator: Contract;
  aaveOracle: Contract;
  strategy: Contract;
  aTokenImpl: Contract;
  debtTokenImpl: Contract;
}

async function deploy(fq: string, signer: Signer, args: unknown[] = [], libraries?: Record<string, string>) {
  const f = await ethers.getContractFactory(fq, { signer, libraries });
  const c = await f.deploy(...args);
  await c.waitForDeployment();
  return c as BaseContract as Contract;
}

/** Deploys the market; `deployer` is ACL admin, pool admin, risk admin and emergency admin. */
export async function deployAaveV36(deployer: Signer): Promise<AaveV36> {
  const me = await deployer.getAddress();
  const addressesProvider = await deploy(V36.provider, deployer, ["Cascade Guard v3.6 test", me]);
  await (await addressesProvider.setACLAdmin(me)).wait();
  const aclManager = await deploy(V36.acl, deployer, [await addressesProvider.getAddress()]);
  await (await addressesProvider.setACLManager(await aclManager.getAddress())).wait();
  await (await aclManager.addPoolAdmin(me)).wait();
  await (await aclManager.addEmergencyAdmin(me)).wait();

  const strategy = await deploy(V36.strategy, deployer, [await addressesProvider.getAddress()]);
  const libs: Record<string, string> = {};
  for (const n of ["BorrowLogic", "LiquidationLogic", "PoolLogic", "SupplyLogic"]) {
    libs[n] = await (await deploy(V36.lib(n), deployer)).getAddress();
  }
  libs.FlashLoanLogic = await (
    await deploy(V36.lib("FlashLoanLogic"), deployer, [], { BorrowLogic: libs.BorrowLogic })
  ).getAddress();
  const poolImpl = await deploy(
    V36.pool,
    deployer,
    [await addressesProvider.getAddress(), await strategy.getAddress()],
    libs,
  );
  await (await addressesProvider.setPoolImpl(await poolImpl.getAddress())).wait();
  const pool = await ethers.getContractAt(V36.pool, await addressesProvider.getPool(), deployer);

  const configuratorLogic = await deploy(V36.lib("ConfiguratorLogic"), deployer);
  const configuratorImpl = await deploy(V36.configurator, deployer, [], {
    ConfiguratorLogic: await configuratorLogic.getAddress(),
  });
  await (await addressesProvider.setPoolConfiguratorImpl(await configuratorImpl.getAddress())).wait();
  const poolConfigurator = await ethers.getContractAt(
    V36.configurator,
    await addressesProvider.getPoolConfigurator(),
    deployer,
  );

  const aaveOracle = await deploy(V36.oracle, deployer, [
    await addressesProvider.getAddress(),
    [],
    [],
    ethers.ZeroAddress,
    ethers.ZeroAddress,
    10n ** 8n,
  ]);
  await (await addressesProvider.setPriceOracle(await aaveOracle.getAddress())).wait();

  const aTokenImpl = await deploy(V36.aToken, deployer, [await pool.getAddress(), ethers.ZeroAddress, me]);
  const debtTokenImpl = await deploy(V36.debtToken, deployer, [await pool.getAddress(), ethers.ZeroAddress]);
  return {
    addressesProvider,
    aclManager,
    pool: pool as unknown as Contract,
    poolConfigurator: poolConfigurator as unknown as Contract,
    aaveOracle,
    strategy,
    aTokenImpl,
    debtTokenImpl,
  };
}

/** Lists reserves with the v3.6 rate strategy (optimal 90%, slope1 2.7%, slope2 80%). */
export async function initReservesV36(aave: AaveV36, listings: { asset: string; symbol: string }[]) {
  const rateData = ethers.AbiCoder.defaultAbiCoder().encode(
    ["tuple(uint16,uint32,uint32,uint32)"],
    [[90_00, 0, 2_70, 80_00]],
  );
  const input = listings.map((l) => ({
    aTokenImpl: aave.aTokenImpl.target,
    variableDebtTokenImpl: aave.debtTokenImpl.target,
    underlyingAsset: l.asset,
    aTokenName: `Aave ${l.symbol}`,
    aTokenSymbol: `a${l.symbol}`,
    variableDebtTokenName: `Aave variable debt ${l.symbol}`,
    variableDebtTokenSymbol: `variableDebt${l.symbol}`,
    params: "0x",
    interestRateData: rateData,
  }));
  await (await aave.poolConfigurator.initReserves(input)).wait();
  for (const l of listings) {
    await (await aave.poolConfigurator.setReserveBorrowing(l.asset, true)).wait();
  }
}

/** Reserve LTV/LT/bonus (bps, Aave encoding) and flags, decoded from the Pool's bitmap (test read-back). */
export async function readReserveV36(aave: AaveV36, asset: string) {
  const data = BigInt((await aave.pool.getConfiguration(asset)).data);
  return {
    ltv: Number(data & 0xffffn),
    lt: Number((data >> 16n) & 0xffffn),
    lb: Number((data >> 32n) & 0xffffn),
    frozen: ((data >> 57n) & 1n) === 1n,
    pendingLtv: Number(await aave.poolConfigurator.getPendingLtv(asset)),
  };
}

/** eMode category values and the asset's bits in its bitmaps. */
export async function readEModeV36(aave: AaveV36, id: number, asset: string) {
  const c = await aave.pool.getEModeCategoryCollateralConfig(id);
  const reserveId = BigInt((await aave.pool.getReserveData(asset)).id);
  const bit = (bm: bigint) => ((BigInt(bm) >> reserveId) & 1n) === 1n;
  return {
    ltv: Number(c.ltv),
    lt: Number(c.liquidationThreshold),
    lb: Number(c.liquidationBonus),
    label: (await aave.pool.getEModeCategoryLabel(id)) as string,
    collateral: bit(await aave.pool.getEModeCategoryCollateralBitmap(id)),
    borrowable: bit(await aave.pool.getEModeCategoryBorrowableBitmap(id)),
    ltvZero: bit(await aave.pool.getEModeCategoryLtvzeroBitmap(id)),
  };
}
