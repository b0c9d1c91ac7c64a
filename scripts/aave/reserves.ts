/**
 * Reserve listing and risk configuration on an Aave v3.0.2 market, through the real PoolConfigurator.
 * Every percentage here is in basis points (1e4 = 100%); rates are converted to RAY for Aave.
 */
import { ZeroAddress, type Signer } from "ethers";
import type { DefaultReserveInterestRateStrategy } from "../../typechain-types";
import { addressOf, deployAave } from "./artifacts";
import type { AaveV3Deployment } from "./deployAaveV3";
import { send } from "./tx";

import { BPS_BIGINT as BPS, RAY } from "../../spec/units";
export { BPS, RAY };

/** bps -> RAY (Aave rate strategies take rays: 1e27 = 100%). */
export function bpsToRay(bps: number | bigint): bigint {
  return (BigInt(bps) * RAY) / BPS;
}

/** Aave encodes the liquidation bonus as 10000 + bonus (bps): a 7.5% bonus is 10750. */
export function aaveLiquidationBonus(bonusBps: number): number {
  return bonusBps === 0 ? 0 : 10_000 + bonusBps;
}

/** DefaultReserveInterestRateStrategy parameters (v3.0.2), in bps. */
export interface RateStrategyParams {
  optimalUsageRatioBps: number;
  baseVariableBorrowRateBps: number;
  variableRateSlope1Bps: number;
  variableRateSlope2Bps: number;
  stableRateSlope1Bps?: number;
  stableRateSlope2Bps?: number;
  baseStableRateOffsetBps?: number;
  stableRateExcessOffsetBps?: number;
  optimalStableToTotalDebtRatioBps?: number;
}

/** Deploys one v3.0.2 DefaultReserveInterestRateStrategy. */
export async function deployRateStrategy(
  aave: Pick<AaveV3Deployment, "addressesProvider">,
  signer: Signer,
  p: RateStrategyParams,
): Promise<DefaultReserveInterestRateStrategy> {
  return deployAave<DefaultReserveInterestRateStrategy>("DefaultReserveInterestRateStrategy", signer, [
      await addressOf(aave.addressesProvider),
      bpsToRay(p.optimalUsageRatioBps),
      bpsToRay(p.baseVariableBorrowRateBps),
      bpsToRay(p.variableRateSlope1Bps),
      bpsToRay(p.variableRateSlope2Bps),
      bpsToRay(p.stableRateSlope1Bps ?? 0),
      bpsToRay(p.stableRateSlope2Bps ?? 0),
      bpsToRay(p.baseStableRateOffsetBps ?? 0),
      bpsToRay(p.stableRateExcessOffsetBps ?? 0),
      bpsToRay(p.optimalStableToTotalDebtRatioBps ?? 0),
  ]);
}

/** One reserve to list: the token, its decimals and the strategy that prices its borrows. */
export interface ReserveListing {
  asset: string;
  symbol: string;
  decimals: number;
  interestRateStrategy: string;
  /** Defaults to the deployment's treasury. */
  treasury?: string;
  incentivesController?: string;
}

/**
 * Lists reserves with `PoolConfigurator.initReserves` (aToken, stable and variable debt token proxies on the
 * deployment's implementations). Sent in chunks so each transaction stays under the block gas limit.
 */
export async function initReserves(aave: AaveV3Deployment, listings: ReserveListing[], chunkSize = 3): Promise<void> {
  const aTokenImpl = await aave.aTokenImpl.getAddress();
  const stableImpl = await aave.stableDebtTokenImpl.getAddress();
  const variableImpl = await aave.variableDebtTokenImpl.getAddress();
  const inputs = listings.map((l) => ({
    aTokenImpl,
    stableDebtTokenImpl: stableImpl,
    variableDebtTokenImpl: variableImpl,
    underlyingAssetDecimals: l.decimals,
    interestRateStrategyAddress: l.interestRateStrategy,
    underlyingAsset: l.asset,
    treasury: l.treasury ?? aave.treasury,
    incentivesController: l.incentivesController ?? ZeroAddress,
    aTokenName: `Aave Ethereum ${l.symbol}`,
    aTokenSymbol: `aEth${l.symbol}`,
    variableDebtTokenName: `Aave Ethereum Variable Debt ${l.symbol}`,
    variableDebtTokenSymbol: `variableDebtEth${l.symbol}`,
    stableDebtTokenName: `Aave Ethereum Stable Debt ${l.symbol}`,
    stableDebtTokenSymbol: `stableDebtEth${l.symbol}`,
    params: "0x",
  }));
  for (let i = 0; i < inputs.length; i += chunkSize) {
    const chunk = inputs.slice(i, i + chunkSize);
    await send(
      `PoolConfigurator.initReserves(${listings.slice(i, i + chunkSize).map((l) => l.symbol).join(",")})`,
      aave.poolConfigurator.initReserves(chunk),
    );
  }
}

/** Risk parameters of one reserve. Percentages in bps; the liquidation bonus is the bonus only (7.5% = 750). */
export interface ReserveRiskConfig {
  asset: string;
  ltvBps: number;
  liquidationThresholdBps: number;
  liquidationBonusBps: number;
  reserveFactorBps?: number;
  /** Whole tokens, 0 = no cap (Aave convention). */
  supplyCap?: bigint | number;
  /** Whole tokens, 0 = no cap. */
  borrowCap?: bigint | number;
  borrowingEnabled?: boolean;
  flashLoanEnabled?: boolean;
  /** Share of the liquidation bonus paid to the treasury, bps. */
  liquidationProtocolFeeBps?: number;
  /** eMode category id (0 = none). */
  eModeCategoryId?: number;
  frozen?: boolean;
}

/** `configureReserveAsCollateral` with Aave's LB encoding (10000 + bonus). */
export async function configureReserveAsCollateral(
  aave: Pick<AaveV3Deployment, "poolConfigurator">,
  asset: string,
  ltvBps: number,
  liquidationThresholdBps: number,
  liquidationBonusBps: number,
): Promise<void> {
  await send(
    `PoolConfigurator.configureReserveAsCollateral(${asset})`,
    aave.poolConfigurator.configureReserveAsCollateral(asset, ltvBps, liquidationThresholdBps, aaveLiquidationBonus(liquidationBonusBps)),
  );
}

/**
 * Applies a reserve's full risk configuration. The caller must be pool admin or risk admin.
 * eMode categories referenced by `eModeCategoryId` must exist already (see `setEModeCategory`).
 */
export async function configureReserve(aave: Pick<AaveV3Deployment, "poolConfigurator">, cfg: ReserveRiskConfig): Promise<void> {
  const c = aave.poolConfigurator;
  await configureReserveAsCollateral(aave, cfg.asset, cfg.ltvBps, cfg.liquidationThresholdBps, cfg.liquidationBonusBps);
  if (cfg.borrowingEnabled !== undefined) await send("setReserveBorrowing", c.setReserveBorrowing(cfg.asset, cfg.borrowingEnabled));
  if (cfg.flashLoanEnabled !== undefined) await send("setReserveFlashLoaning", c.setReserveFlashLoaning(cfg.asset, cfg.flashLoanEnabled));
  if (cfg.reserveFactorBps !== undefined) await send("setReserveFactor", c.setReserveFactor(cfg.asset, cfg.reserveFactorBps));
  if (cfg.supplyCap !== undefined) await send("setSupplyCap", c.setSupplyCap(cfg.asset, cfg.supplyCap));
  if (cfg.borrowCap !== undefined) await send("setBorrowCap", c.setBorrowCap(cfg.asset, cfg.borrowCap));
  if (cfg.liquidationProtocolFeeBps !== undefined) {
    await send("setLiquidationProtocolFee", c.setLiquidationProtocolFee(cfg.asset, cfg.liquidationProtocolFeeBps));
  }
  if (cfg.eModeCategoryId !== undefined && cfg.eModeCategoryId !== 0) {
    await setAssetEModeCategory(aave, cfg.asset, cfg.eModeCategoryId);
  }
  if (cfg.frozen) await send("setReserveFreeze", c.setReserveFreeze(cfg.asset, true));
}

/** An eMode category (v3.0.2: one category per asset; borrowing in eMode only of assets in the same category). */
export interface EModeCategoryConfig {
  id: number;
  ltvBps: number;
  liquidationThresholdBps: number;
  /** Bonus only, bps (1% = 100); encoded as 10000 + bonus. */
  liquidationBonusBps: number;
  label: string;
  /** Optional eMode price source (address(0) = each asset's own AaveOracle source). */
  priceSource?: string;
}

/** Creates or updates an eMode category. */
export async function setEModeCategory(aave: Pick<AaveV3Deployment, "poolConfigurator">, cat: EModeCategoryConfig): Promise<void> {
  await send(
    `PoolConfigurator.setEModeCategory(${cat.id})`,
    aave.poolConfigurator.setEModeCategory(
      cat.id,
      cat.ltvBps,
      cat.liquidationThresholdBps,
      aaveLiquidationBonus(cat.liquidationBonusBps),
      cat.priceSource ?? ZeroAddress,
      cat.label,
    ),
  );
}

/** Puts an asset in an eMode category (its reserve LT must be below the category LT). */
export async function setAssetEModeCategory(
  aave: Pick<AaveV3Deployment, "poolConfigurator">,
  asset: string,
  categoryId: number,
): Promise<void> {
  await send(`PoolConfigurator.setAssetEModeCategory(${asset},${categoryId})`, aave.poolConfigurator.setAssetEModeCategory(asset, categoryId));
}

/** Sets AaveOracle sources (each must expose `latestAnswer()` in the base currency unit, e.g. USD 8 decimals). */
export async function setAssetSources(aave: Pick<AaveV3Deployment, "aaveOracle">, assets: string[], sources: string[]): Promise<void> {
  if (assets.length !== sources.length) throw new Error(`setAssetSources: ${assets.length} assets but ${sources.length} sources`);
  await send("AaveOracle.setAssetSources", aave.aaveOracle.setAssetSources(assets, sources));
}

/** Reserve configuration as read back from the Pool (decoded bitmap), for checks against a market file. */
export interface ReserveConfigReadback {
  ltvBps: number;
  liquidationThresholdBps: number;
  /** Bonus only (Aave's stored value minus 10000), bps. */
  liquidationBonusBps: number;
  decimals: number;
  reserveFactorBps: number;
  borrowingEnabled: boolean;
  frozen: boolean;
  paused: boolean;
  active: boolean;
  borrowCap: bigint;
  supplyCap: bigint;
  eModeCategoryId: number;
  liquidationProtocolFeeBps: number;
  flashLoanEnabled: boolean;
}

/** Decodes `Pool.getConfiguration(asset)` (v3.0.2 ReserveConfiguration bit layout). */
export async function readReserveConfig(aave: Pick<AaveV3Deployment, "pool">, asset: string): Promise<ReserveConfigReadback> {
  const { data } = await aave.pool.getConfiguration(asset);
  return decodeReserveConfiguration(data);
}

/** Pure decoder of the v3.0.2 ReserveConfigurationMap bitmap. */
export function decodeReserveConfiguration(data: bigint): ReserveConfigReadback {
  const bits = (start: number, width: number) => Number((data >> BigInt(start)) & ((1n << BigInt(width)) - 1n));
  const big = (start: number, width: number) => (data >> BigInt(start)) & ((1n << BigInt(width)) - 1n);
  const lb = bits(32, 16);
  return {
    ltvBps: bits(0, 16),
    liquidationThresholdBps: bits(16, 16),
    liquidationBonusBps: lb === 0 ? 0 : lb - 10_000,
    decimals: bits(48, 8),
    active: bits(56, 1) === 1,
    frozen: bits(57, 1) === 1,
    borrowingEnabled: bits(58, 1) === 1,
    paused: bits(60, 1) === 1,
    flashLoanEnabled: bits(63, 1) === 1,
    reserveFactorBps: bits(64, 16),
    borrowCap: big(80, 36),
    supplyCap: big(116, 36),
    liquidationProtocolFeeBps: bits(152, 16),
    eModeCategoryId: bits(168, 8),
  };
}
