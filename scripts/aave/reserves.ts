/**
 * Reserve listing and risk configuration on an Aave v3.0.2 market, through the real PoolConfigurator.
 * Every percentage here is in basis points (1e4 = 100%); rates are converted to RAY for Aave.
 */
import { AbiCoder, Contract, ZeroAddress, type Signer } from "ethers";
import type { DefaultReserveInterestRateStrategy } from "./types";
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

/**
 * v3.0.2: deploys one DefaultReserveInterestRateStrategy. v3.6: the Pool has one DefaultReserveInterestRateStrategyV2
 * for every reserve and each reserve's parameters are passed at listing (`ReserveListing.rateStrategyParams`), so
 * this returns a handle on that strategy and deploys nothing.
 */
export async function deployRateStrategy(
  aave: Pick<AaveV3Deployment, "addressesProvider"> & Partial<Pick<AaveV3Deployment, "version" | "interestRateStrategy">>,
  signer: Signer,
  p: RateStrategyParams,
): Promise<DefaultReserveInterestRateStrategy> {
  if (aave.version === "3.6") {
    return new Contract(aave.interestRateStrategy!, ["function getInterestRateData(address) view returns (tuple(uint16,uint32,uint32,uint32))"], signer) as unknown as DefaultReserveInterestRateStrategy;
  }
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
  /** v3.6: the reserve's rate parameters, written into the Pool's strategy at listing (v3.0.2 ignores them). */
  rateStrategyParams?: RateStrategyParams;
}

/** v3.6 `IDefaultInterestRateStrategyV2.InterestRateData` (bps: uint16 optimal, uint32 base, slope1, slope2), ABI-encoded. */
export function encodeInterestRateDataV36(p: RateStrategyParams): string {
  return AbiCoder.defaultAbiCoder().encode(
    ["tuple(uint16,uint32,uint32,uint32)"],
    [[p.optimalUsageRatioBps, p.baseVariableBorrowRateBps, p.variableRateSlope1Bps, p.variableRateSlope2Bps]],
  );
}

/**
 * Lists reserves with `PoolConfigurator.initReserves` (aToken, stable and variable debt token proxies on the
 * deployment's implementations). Sent in chunks so each transaction stays under the block gas limit.
 */
export async function initReserves(aave: AaveV3Deployment, listings: ReserveListing[], chunkSize = 3): Promise<void> {
  if (aave.version === "3.6") return initReservesV36(aave, listings, chunkSize);
  const aTokenImpl = await aave.aTokenImpl.getAddress();
  if (!aave.stableDebtTokenImpl) throw new Error("initReserves: a v3.0.2 market needs a StableDebtToken implementation");
  const stableImpl = await aave.stableDebtTokenImpl!.getAddress();
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

/** v3.6 listing: `InitReserveInput` has no stable debt token, and carries the reserve's rate parameters. */
async function initReservesV36(aave: AaveV3Deployment, listings: ReserveListing[], chunkSize: number): Promise<void> {
  const aTokenImpl = await aave.aTokenImpl.getAddress();
  const variableImpl = await aave.variableDebtTokenImpl.getAddress();
  const configurator = new Contract(
    await aave.poolConfigurator.getAddress(),
    [
      "function initReserves(tuple(address aTokenImpl, address variableDebtTokenImpl, address underlyingAsset, string aTokenName, string aTokenSymbol, string variableDebtTokenName, string variableDebtTokenSymbol, bytes params, bytes interestRateData)[] input)",
    ],
    aave.deployer,
  );
  const inputs = listings.map((l) => {
    if (!l.rateStrategyParams) throw new Error(`initReserves (Aave v3.6): ${l.symbol} has no rateStrategyParams`);
    return {
      aTokenImpl,
      variableDebtTokenImpl: variableImpl,
      underlyingAsset: l.asset,
      aTokenName: `Aave Ethereum ${l.symbol}`,
      aTokenSymbol: `aEth${l.symbol}`,
      variableDebtTokenName: `Aave Ethereum Variable Debt ${l.symbol}`,
      variableDebtTokenSymbol: `variableDebtEth${l.symbol}`,
      params: "0x",
      interestRateData: encodeInterestRateDataV36(l.rateStrategyParams),
    };
  });
  for (let i = 0; i < inputs.length; i += chunkSize) {
    await send(
      `PoolConfigurator.initReserves(${listings.slice(i, i + chunkSize).map((l) => l.symbol).join(",")})`,
      configurator.getFunction("initReserves")(inputs.slice(i, i + chunkSize)),
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

/** v3.6 configurator handle for the eMode setters the v3.0.2 typings do not know. */
function configurator36(aave: Pick<AaveV3Deployment, "poolConfigurator">): Contract {
  return new Contract(
    aave.poolConfigurator.target as string,
    [
      "function setEModeCategory(uint8 categoryId, uint16 ltv, uint16 liquidationThreshold, uint16 liquidationBonus, string label)",
      "function setAssetCollateralInEMode(address asset, uint8 categoryId, bool collateral)",
      "function setAssetBorrowableInEMode(address asset, uint8 categoryId, bool borrowable)",
      "function setAssetLtvzeroInEMode(address asset, uint8 categoryId, bool ltvzero)",
    ],
    aave.poolConfigurator.runner,
  );
}

/** Creates or updates an eMode category (v3.0.2: with a price source; v3.6: values and label only). */
export async function setEModeCategory(
  aave: Pick<AaveV3Deployment, "poolConfigurator"> & Partial<Pick<AaveV3Deployment, "version">>,
  cat: EModeCategoryConfig,
): Promise<void> {
  if (aave.version === "3.6") {
    await send(
      `PoolConfigurator.setEModeCategory(${cat.id})`,
      configurator36(aave).getFunction("setEModeCategory")(cat.id, cat.ltvBps, cat.liquidationThresholdBps, aaveLiquidationBonus(cat.liquidationBonusBps), cat.label),
    );
    return;
  }
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

/** Membership of an asset in a v3.2+ ("liquid") eMode category: collateral, borrowable, LTV-zero bits. */
export interface EModeMembership {
  asset: string;
  categoryId: number;
  collateral?: boolean;
  borrowable?: boolean;
  ltvzero?: boolean;
}

/** v3.6: sets an asset's collateral / borrowable / LTV-zero bits in a category (risk or pool admin). */
export async function setAssetEModeMembership(aave: Pick<AaveV3Deployment, "poolConfigurator"> & Pick<AaveV3Deployment, "version">, m: EModeMembership): Promise<void> {
  if (aave.version !== "3.6") throw new Error(`setAssetEModeMembership: liquid eMode needs Aave v3.2+; this market is v${aave.version}`);
  const c = configurator36(aave);
  if (m.collateral !== undefined) await send(`setAssetCollateralInEMode(${m.asset},${m.categoryId},${m.collateral})`, c.getFunction("setAssetCollateralInEMode")(m.asset, m.categoryId, m.collateral));
  if (m.borrowable !== undefined) await send(`setAssetBorrowableInEMode(${m.asset},${m.categoryId},${m.borrowable})`, c.getFunction("setAssetBorrowableInEMode")(m.asset, m.categoryId, m.borrowable));
  if (m.ltvzero !== undefined) await send(`setAssetLtvzeroInEMode(${m.asset},${m.categoryId},${m.ltvzero})`, c.getFunction("setAssetLtvzeroInEMode")(m.asset, m.categoryId, m.ltvzero));
}

/** LTV, LT and bonus of an eMode category as the Pool holds them (bonus in Aave's 1e4 + bonus encoding). */
export interface EModeCategoryReadback {
  ltvBps: number;
  liquidationThresholdBps: number;
  liquidationBonus: number;
}

/** Reads an eMode category from the Pool: `getEModeCategoryData` (v3.0.2) or `getEModeCategoryCollateralConfig` (v3.6). */
export async function readEModeCategory(aave: Pick<AaveV3Deployment, "pool"> & Partial<Pick<AaveV3Deployment, "version">>, id: number): Promise<EModeCategoryReadback> {
  if (aave.version === "3.6") {
    const p = new Contract(aave.pool.target as string, ["function getEModeCategoryCollateralConfig(uint8) view returns (tuple(uint16 ltv, uint16 liquidationThreshold, uint16 liquidationBonus))"], aave.pool.runner);
    const c = await p.getEModeCategoryCollateralConfig(id);
    return { ltvBps: Number(c.ltv), liquidationThresholdBps: Number(c.liquidationThreshold), liquidationBonus: Number(c.liquidationBonus) };
  }
  const e = await aave.pool.getEModeCategoryData(id);
  return { ltvBps: Number(e.ltv), liquidationThresholdBps: Number(e.liquidationThreshold), liquidationBonus: Number(e.liquidationBonus) };
}

/** v3.6: the category's collateral, borrowable and LTV-zero bitmaps (bit = reserve id). */
export async function readEModeBitmaps(aave: Pick<AaveV3Deployment, "pool">, id: number): Promise<{ collateral: bigint; borrowable: bigint; ltvzero: bigint }> {
  const p = new Contract(
    aave.pool.target as string,
    [
      "function getEModeCategoryCollateralBitmap(uint8) view returns (uint128)",
      "function getEModeCategoryBorrowableBitmap(uint8) view returns (uint128)",
      "function getEModeCategoryLtvzeroBitmap(uint8) view returns (uint128)",
    ],
    aave.pool.runner,
  );
  const [collateral, borrowable, ltvzero] = (await Promise.all([
    p.getEModeCategoryCollateralBitmap(id),
    p.getEModeCategoryBorrowableBitmap(id),
    p.getEModeCategoryLtvzeroBitmap(id),
  ])) as bigint[];
  return { collateral, borrowable, ltvzero };
}

/** Puts an asset in an eMode category (v3.0.2; its reserve LT must be below the category LT). */
export async function setAssetEModeCategory(
  aave: Pick<AaveV3Deployment, "poolConfigurator"> & Partial<Pick<AaveV3Deployment, "version">>,
  asset: string,
  categoryId: number,
): Promise<void> {
  if (aave.version === "3.6") {
    // v3.6 has no single category per asset: the nearest meaning is "collateral in that category".
    await setAssetEModeMembership({ poolConfigurator: aave.poolConfigurator, version: "3.6" }, { asset, categoryId, collateral: true });
    return;
  }
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

/**
 * Decodes `Pool.getConfiguration(asset)`. The v3.0.2 and v3.6 layouts agree on every field read here except bits
 * 168-175 (the reserve's eMode category in v3.0.2, unused since v3.2): on v3.6 `eModeCategoryId` is 0.
 */
export async function readReserveConfig(aave: Pick<AaveV3Deployment, "pool"> & Partial<Pick<AaveV3Deployment, "version">>, asset: string): Promise<ReserveConfigReadback> {
  const { data } = await aave.pool.getConfiguration(asset);
  const decoded = decodeReserveConfiguration(data);
  return aave.version === "3.6" ? { ...decoded, eModeCategoryId: 0 } : decoded;
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
