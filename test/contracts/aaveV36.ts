import { ethers } from "hardhat";
import type { Contract, Signer } from "ethers";

/**
 * The real Aave v3.6 market compiled from `@aave-dao/aave-v3-origin@3.6.0` source (contracts/external/aave-v3.6):
 * PoolAddressesProvider, ACLManager, Pool (logic libraries linked), PoolConfigurator, AaveOracle (USD, 8 decimals),
 * DefaultReserveInterestRateStrategyV2, aToken and variable debt token instances, deployed by the shared deployer
 * (scripts/aave `deployAaveV36`); every call goes through Aave's own contracts.
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
  aTokenImpl: Contract;
  debtTokenImpl: Contract;
}

/**
 * Deploys the market through the shared v3.6 deployer (scripts/aave `deployAaveV36`, the one the replica uses) and
 * attaches the handles with the v3.6 ABIs (liquid-eMode getters and setters); `deployer` is ACL admin, pool admin,
 * asset listing admin and emergency admin; the test grants itself risk admin where it needs it.
 */
export async function deployAaveV36(deployer: Signer): Promise<AaveV36> {
  const aaveLib = await import("../../scripts/aave");
  const d = await aaveLib.deployAaveV36({ deployer, marketId: "Cascade Guard v3.6 test" });
  const at = async (fq: string, c: { getAddress(): Promise<string> }) =>
    (await ethers.getContractAt(fq, await c.getAddress(), deployer)) as unknown as Contract;
  return {
    addressesProvider: await at(V36.provider, d.addressesProvider),
    aclManager: await at(V36.acl, d.aclManager),
    pool: await at(V36.pool, d.pool),
    poolConfigurator: await at(V36.configurator, d.poolConfigurator),
    aaveOracle: await at(V36.oracle, d.aaveOracle),
    aTokenImpl: await at(V36.aToken, d.aTokenImpl),
    debtTokenImpl: await at(V36.debtToken, d.variableDebtTokenImpl),
  };
}

/** Lists reserves through the shared listing code (v3.6 rate strategy: optimal 90%, slope1 2.7%, slope2 80%). */
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
