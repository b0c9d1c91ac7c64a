/**
 * Deploys and installs Cascade Guard on an Aave v3 market, on any network: addresses in, addresses out.
 *
 *   deployCascadeGuard   CollateralRiskOracle, LiquidationPauseGuard, WideningHaircutModule (when its artifact
 *                        exists), one GetRateAdapter per asset without an adapter; configures every asset in the
 *                        oracle (config, bounds, model params) and the guard. Writes nothing into Aave.
 *   installCascadeGuard  ACLManager: RISK_ADMIN to the haircut module; PoolAddressesProvider:
 *                        setPriceOracleSentinel(guard); then the module's per-asset HaircutConfig (the module
 *                        starts from the values on-chain and writes nothing). Re-running is a no-op for what is
 *                        already in place.
 *
 * Defaults (ours, labelled in docs/replica.md) are used for every field a params file does not give.
 */
import { Contract, ZeroAddress, type Signer } from "ethers";
import type { CollateralRiskOracle, ICollateralRiskOracle, ILiquidationPauseGuard, LiquidationPauseGuard } from "../../typechain-types";
import { addressOf, attachAave, deployArtifact, localArtifact, type HardhatArtifact } from "../aave/artifacts";
import { send } from "../aave/tx";
import type { ACLManager, PoolAddressesProvider } from "../aave/types";

import { SECONDS_PER_HOUR as HOUR, SECONDS_PER_DAY as DAY, WAD } from "../../spec/units";
import { haircutConfigEqual, haircutConfigFromStruct, type HaircutConfig } from "../../spec/haircutConfig";
import { DEFAULT_MODEL_PARAMS, DEFAULT_MODEL_PARAMS_BOUNDS, type ModelParams } from "../../spec/contracts";
export { HOUR, DAY };

/** The structs' TypeScript types, each written once in spec/. */
export type { ModelParams, HaircutConfig };

export type GuardConfig = {
  maxPauseSeconds: number;
  cooldownSeconds: number;
  windowSeconds: number;
  maxPausedSecondsPerWindow: number;
  postPauseGraceSeconds: number;
  enabled: boolean;
};

export type OracleAssetSettings = {
  marketHeartbeatSeconds: number;
  emaHalfLifeSeconds: number;
  navHighWindowSeconds: number;
  navDropToleranceBps: number;
  backingShortfallToleranceBps: number;
  elevatedDiscountBps: number;
  hysteresisBps: number;
  backingHeartbeatSeconds: number;
  minRateWad: bigint;
  maxRateWad: bigint;
};

/** The default model params and keeper bounds: spec/contracts.ts, the one source for deploy and tests. */
export { DEFAULT_MODEL_PARAMS, DEFAULT_MODEL_PARAMS_BOUNDS };

/** Default oracle settings (ours). */
export const DEFAULT_ORACLE_SETTINGS: OracleAssetSettings = {
  marketHeartbeatSeconds: DAY,
  emaHalfLifeSeconds: HOUR,
  navHighWindowSeconds: 7 * DAY,
  navDropToleranceBps: 50,
  backingShortfallToleranceBps: 100,
  elevatedDiscountBps: 100,
  hysteresisBps: 25,
  backingHeartbeatSeconds: DAY,
  minRateWad: WAD / 2n,
  maxRateWad: 2n * WAD,
};

/** Default guard limits (ours): 6 h pauses + 30 min grace (6.5 h blocked per trip), 1 day cooldown, at most 13 h blocked per 7 days (two trips). */
export const DEFAULT_GUARD_CONFIG: GuardConfig = {
  maxPauseSeconds: 6 * HOUR,
  cooldownSeconds: DAY,
  windowSeconds: 7 * DAY,
  maxPausedSecondsPerWindow: 12 * HOUR,
  postPauseGraceSeconds: HOUR / 2,
  enabled: true,
};

/** One collateral asset Cascade Guard watches. */
export interface CascadeAssetInput {
  symbol: string;
  asset: string;
  /** Chainlink-style LRT/ETH market feed. */
  marketFeed: string;
  /** An IExchangeRateAdapter; or give `getRateSource` and one GetRateAdapter is deployed. */
  rateAdapter?: string;
  /** A contract with `getRate()` (ETH per token, WAD). */
  getRateSource?: string;
  /** Optional proof-of-backing feed (ETH per token). */
  backingFeed?: string;
  oracle?: Partial<OracleAssetSettings>;
  guard?: Partial<GuardConfig>;
  modelParams?: ModelParams;
  /** The haircut module's config for this asset; undefined = the module does not manage it. */
  haircut?: HaircutConfig;
  /**
   * How the market's oracle prices this asset: "market" (market feed, a pause can spare positions from a liquidity
   * dislocation) or "exchange-rate" (Aave CAPO: a market discount liquidates nobody; the guard refuses every trip).
   * Verified on-chain at configuration against the Aave oracle. Default "market" (the guard's behaviour before it
   * knew the pricing); set "exchange-rate" for CAPO-priced reserves.
   */
  pricing?: CollateralPricingName;
}

export type CollateralPricingName = "market" | "exchange-rate";

/** ILiquidationPauseGuard.CollateralPricing value of a pricing name. */
export function collateralPricingValue(p: CollateralPricingName | undefined): number {
  return p === "exchange-rate" ? 1 : 0;
}

/**
 * The market's ETH reference reserve for the guard's pricing check: the reserve whose ERC-20 symbol is "WETH".
 * Throws a one-line error naming the fix when there is none.
 */
export async function findEthReference(addressesProvider: string, runner: Signer): Promise<string> {
  const provider = new Contract(addressesProvider, ["function getPool() view returns (address)"], runner);
  const pool = new Contract(await provider.getPool(), ["function getReservesList() view returns (address[])"], runner);
  for (const r of (await pool.getReservesList()) as string[]) {
    const symbol = await new Contract(r, ["function symbol() view returns (string)"], runner).symbol().catch(() => "");
    if (symbol === "WETH") return r;
  }
  throw new Error(
    `deployCascadeGuard: no WETH reserve on the market of ${addressesProvider}; pass pricingReference (the reserve priced at one unit of the exchange rate's denomination)`,
  );
}

export interface DeployCascadeGuardRequest {
  deployer: Signer;
  /** Aave PoolAddressesProvider of the market. */
  addressesProvider: string;
  assets: CascadeAssetInput[];
  /** DEFAULT_ADMIN of the oracle, guard and module (default: deployer). Must be the deployer for the asset setup. */
  governance?: string;
  /** Gets RISK_KEEPER_ROLE on the oracle (pushes model params). */
  keeper?: string;
  /** Gets GUARDIAN_ROLE on the guard (manual trip/release). */
  guardian?: string;
  /**
   * Skip the WideningHaircutModule (venues it cannot drive: a Morpho market's LLTV is immutable). Then
   * `addresses.haircutModule` is "" and no asset may carry a `haircut` config.
   */
  withoutHaircutModule?: boolean;
  /** The guard's pricing reference reserve (default: the market's WETH reserve, see `findEthReference`). */
  pricingReference?: string;
}

/** Addresses of an installed Cascade Guard (`riskOracle`, `haircutModule`, `pauseGuard`, the names scripts/replay reads). */
export interface CascadeAddresses {
  riskOracle: string;
  /** Empty string when the WideningHaircutModule artifact is not available in this build. */
  haircutModule: string;
  pauseGuard: string;
  rateAdapters: Record<string, string>;
  assets: Record<string, string>;
}

export interface CascadeGuardDeployment {
  addresses: CascadeAddresses;
  riskOracle: CollateralRiskOracle;
  pauseGuard: LiquidationPauseGuard;
  /** Undefined when deployed `withoutHaircutModule`. */
  haircutModule: Contract | undefined;
  /** Haircut configs to apply at install (by asset address). */
  haircutConfigs: Record<string, HaircutConfig>;
}

/** Deploys Cascade Guard and configures its assets (nothing is written into Aave). */
export async function deployCascadeGuard(req: DeployCascadeGuardRequest): Promise<CascadeGuardDeployment> {
  const { deployer } = req;
  const me = await deployer.getAddress();
  const governance = req.governance ?? me;
  if (governance.toLowerCase() !== me.toLowerCase()) {
    throw new Error("deployCascadeGuard: governance must be the deployer (it configures the assets); transfer roles afterwards");
  }
  validateAssets(req.assets);

  const riskOracle = await deployArtifact<CollateralRiskOracle>(localArtifact("oracle/CollateralRiskOracle.sol", "CollateralRiskOracle"), deployer, [governance]);
  const oracleAddress = await addressOf(riskOracle);
  const pauseGuard = await deployArtifact<LiquidationPauseGuard>(localArtifact("guard/LiquidationPauseGuard.sol", "LiquidationPauseGuard"), deployer, [
    req.addressesProvider,
    oracleAddress,
    governance,
    ZeroAddress,
    0,
  ]);

  if (req.withoutHaircutModule && req.assets.some((a) => a.haircut)) {
    throw new Error("deployCascadeGuard: withoutHaircutModule: expected no asset with a haircut config; found one");
  }
  const haircutModule = req.withoutHaircutModule
    ? undefined
    : await deployArtifact<Contract>(localArtifact("haircut/WideningHaircutModule.sol", "WideningHaircutModule"), deployer, [
        req.addressesProvider,
        oracleAddress,
        governance,
      ]);

  if (req.keeper) await send("oracle.grantRole(RISK_KEEPER)", riskOracle.grantRole(await riskOracle.RISK_KEEPER_ROLE(), req.keeper));
  if (req.guardian) await send("guard.grantRole(GUARDIAN)", pauseGuard.grantRole(await pauseGuard.GUARDIAN_ROLE(), req.guardian));

  const adapterArtifact = localArtifact("adapters/RateAdapters.sol", "GetRateAdapter");
  const rateAdapters: Record<string, string> = {};
  const assets: Record<string, string> = {};
  const haircutConfigs: Record<string, HaircutConfig> = {};
  let pricingReference: string | undefined;
  for (const a of req.assets) {
    const adapter = a.rateAdapter ?? (await addressOf(await deployArtifact<Contract>(adapterArtifact, deployer, [a.getRateSource, `${a.symbol} getRate()`])));
    rateAdapters[a.symbol] = adapter;
    assets[a.symbol] = a.asset;
    const s = { ...DEFAULT_ORACLE_SETTINGS, ...a.oracle };
    const config: ICollateralRiskOracle.AssetConfigStruct = {
      marketFeed: a.marketFeed,
      marketHeartbeatSeconds: s.marketHeartbeatSeconds,
      emaHalfLifeSeconds: s.emaHalfLifeSeconds,
      navHighWindowSeconds: s.navHighWindowSeconds,
      rateAdapter: adapter,
      navDropToleranceBps: s.navDropToleranceBps,
      backingShortfallToleranceBps: s.backingShortfallToleranceBps,
      elevatedDiscountBps: s.elevatedDiscountBps,
      hysteresisBps: s.hysteresisBps,
      backingFeed: a.backingFeed ?? ZeroAddress,
      backingHeartbeatSeconds: s.backingHeartbeatSeconds,
      minRateWad: s.minRateWad,
      maxRateWad: s.maxRateWad,
    };
    await send(`oracle.configureAsset(${a.symbol})`, riskOracle.configureAsset(a.asset, config));
    await send(
      `oracle.setModelParamsBounds(${a.symbol})`,
      riskOracle.setModelParamsBounds(a.asset, DEFAULT_MODEL_PARAMS_BOUNDS, a.modelParams ?? DEFAULT_MODEL_PARAMS),
    );
    // A guard with no Aave market (a Morpho RiskAwareOracle's) declares MARKET pricing and has no reference reserve.
    pricingReference ??= req.pricingReference ?? (req.addressesProvider === ZeroAddress ? ZeroAddress : await findEthReference(req.addressesProvider, deployer));
    const g: ILiquidationPauseGuard.GuardConfigStruct = {
      ...DEFAULT_GUARD_CONFIG,
      ...a.guard,
      pricing: collateralPricingValue(a.pricing),
      pricingReference,
    };
    await send(`guard.configureAsset(${a.symbol})`, pauseGuard.configureAsset(a.asset, g));
    if (a.haircut) haircutConfigs[a.asset] = a.haircut;
  }

  return {
    addresses: {
      riskOracle: oracleAddress,
      pauseGuard: await addressOf(pauseGuard),
      haircutModule: haircutModule ? await addressOf(haircutModule) : "",
      rateAdapters,
      assets,
    },
    riskOracle,
    pauseGuard,
    haircutModule,
    haircutConfigs,
  };
}

function validateAssets(assets: CascadeAssetInput[]): void {
  const seen = new Set<string>();
  assets.forEach((a, i) => {
    const at = `assets[${i}] (${a.symbol})`;
    if (seen.has(a.asset.toLowerCase())) throw new Error(`deployCascadeGuard: ${at}.asset: duplicate ${a.asset}`);
    seen.add(a.asset.toLowerCase());
    if (!a.rateAdapter && !a.getRateSource) throw new Error(`deployCascadeGuard: ${at}: needs rateAdapter or getRateSource`);
    if (a.haircut) {
      const h = a.haircut;
      // Base LTV 0 (a reserve offboarded to LTV 0) goes with floor 0: the module holds that LTV at 0.
      if (h.baseLtvBps === 0 ? h.floorLtvBps !== 0 : h.floorLtvBps < 1 || h.floorLtvBps > h.baseLtvBps) {
        throw new Error(`deployCascadeGuard: ${at}.haircut.floorLtvBps: expected ${h.baseLtvBps === 0 ? "0 (base LTV 0)" : "1..baseLtvBps"}, found ${h.floorLtvBps}`);
      }
      if (h.baseLtvBps > h.baseLtBps) throw new Error(`deployCascadeGuard: ${at}.haircut.baseLtvBps: expected <= baseLtBps (${h.baseLtBps}), found ${h.baseLtvBps}`);
      if (h.liquidationBonusBps <= 10_000) throw new Error(`deployCascadeGuard: ${at}.haircut.liquidationBonusBps: Aave encoding 10000 + bonus expected, found ${h.liquidationBonusBps}`);
    }
  });
}

export interface InstallCascadeGuardRequest {
  /** Owner of the PoolAddressesProvider and ACL admin of the ACLManager (the market's governance). */
  signer: Signer;
  addressesProvider: string;
  cascade: Pick<CascadeGuardDeployment, "addresses" | "haircutConfigs">;
  /** Also set the guard as the Pool's price oracle sentinel (default true). */
  setSentinel?: boolean;
}

export interface InstallReport {
  grantedRiskAdmin: boolean;
  sentinelSet: boolean;
  haircutAssetsConfigured: string[];
}

/**
 * Grants RISK_ADMIN to the haircut module through the ACLManager, sets the guard as the price oracle sentinel
 * through the PoolAddressesProvider, then configures the module's assets (nothing is written into Aave: the module
 * starts from the on-chain values).
 * EMERGENCY_ADMIN is not granted: neither contract calls an emergency-admin function (reserve or pool pause).
 * What is already in place is skipped, so re-running is a no-op.
 */
export async function installCascadeGuard(req: InstallCascadeGuardRequest): Promise<InstallReport> {
  const { signer } = req;
  const provider = attachAave<PoolAddressesProvider>("PoolAddressesProvider", req.addressesProvider, signer);
  const acl = attachAave<ACLManager>("ACLManager", await provider.getACLManager(), signer);
  const { haircutModule, pauseGuard } = req.cascade.addresses;
  const report: InstallReport = { grantedRiskAdmin: false, sentinelSet: false, haircutAssetsConfigured: [] };

  if (haircutModule && !(await acl.isRiskAdmin(haircutModule))) {
    await send("ACLManager.addRiskAdmin(haircutModule)", acl.addRiskAdmin(haircutModule));
    report.grantedRiskAdmin = true;
  }
  if ((req.setSentinel ?? true) && (await provider.getPriceOracleSentinel()).toLowerCase() !== pauseGuard.toLowerCase()) {
    await send("PoolAddressesProvider.setPriceOracleSentinel(guard)", provider.setPriceOracleSentinel(pauseGuard));
    report.sentinelSet = true;
  }
  if (haircutModule) {
    const artifact = localArtifact("haircut/WideningHaircutModule.sol", "WideningHaircutModule");
    const module = new Contract(haircutModule, artifact.abi, signer);
    for (const [asset, cfg] of Object.entries(req.cascade.haircutConfigs)) {
      const current = await module.getHaircutConfig(asset).catch(() => undefined);
      // configureAsset writes nothing into Aave (state from the on-chain values): still, only when the config differs
      if (current && Number(current.baseLtBps) !== 0 && haircutConfigEqual(haircutConfigFromStruct(current), cfg)) continue;
      await send(`haircutModule.configureAsset(${asset})`, module.configureAsset(asset, cfg));
      report.haircutAssetsConfigured.push(asset);
    }
  }
  return report;
}
