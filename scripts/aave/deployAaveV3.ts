/**
 * Deploys the official Aave v3.0.2 protocol (bytecode from `@aave/core-v3` 1.19.3 artifacts, logic libraries
 * linked) on any network through one ethers v6 signer. No Aave code is re-implemented or recompiled.
 *
 * Order (as in aave-v3-deploy):
 *   PoolAddressesProvider -> setACLAdmin -> ACLManager -> roles
 *   logic libraries -> Pool impl (linked) -> provider.setPoolImpl (creates the proxy and initializes it)
 *   ConfiguratorLogic -> PoolConfigurator impl -> provider.setPoolConfiguratorImpl (proxy)
 *   AaveOracle -> provider.setPriceOracle; AaveProtocolDataProvider -> provider.setPoolDataProvider
 *   AToken / StableDebtToken / VariableDebtToken implementations (initialized with dummies, as Aave does)
 */
import { UserError } from "../../spec/errors";
import { ZeroAddress, type Signer } from "ethers";
import type {
  ACLManager,
  AToken,
  AaveOracle,
  AaveProtocolDataProvider,
  Pool,
  PoolAddressesProvider,
  PoolConfigurator,
  StableDebtToken,
  VariableDebtToken,
} from "./types";
import { aaveArtifact, addressOf, attachAave, deployAave, deployArtifact, type HardhatArtifact, type LibraryName } from "./artifacts";
import { send } from "./tx";

/** Role holders granted through the ACLManager. The deployer always receives POOL_ADMIN and ASSET_LISTING_ADMIN. */
export interface AaveV3Admins {
  /** Extra POOL_ADMIN holders. */
  poolAdmins?: string[];
  /** RISK_ADMIN holders (e.g. a risk steward, the Cascade Guard haircut module). */
  riskAdmins?: string[];
  /** EMERGENCY_ADMIN holders (may pause reserves or the whole pool). The deployer is one by default. */
  emergencyAdmins?: string[];
  /** ASSET_LISTING_ADMIN holders. */
  assetListingAdmins?: string[];
}

export interface DeployAaveV3Request {
  deployer: Signer;
  admins?: AaveV3Admins;
  /** PoolAddressesProvider market id. Default "Cascade Guard replica (Aave v3.0.2)". */
  marketId?: string;
  /** AaveOracle base currency (address(0) = USD as on Aave v3 Ethereum). */
  baseCurrency?: string;
  /** AaveOracle base currency unit: 1e8 for USD with 8 decimals (Aave v3 Ethereum). */
  baseCurrencyUnit?: bigint;
  /** Receiver of the reserve factor (Aave's Collector); defaults to the deployer's address. */
  treasury?: string;
  /** Flash loan premium total in bps (Aave v3 Ethereum: 5 = 0.05%). Default 5. */
  flashLoanPremiumTotalBps?: number;
  /** Give the deployer EMERGENCY_ADMIN too (default true: tests and demos pause reserves). */
  deployerIsEmergencyAdmin?: boolean;
}

/** Addresses of the logic libraries linked into Pool and PoolConfigurator. */
export interface AaveV3Libraries {
  supplyLogic: string;
  borrowLogic: string;
  liquidationLogic: string;
  /** v3.0.2 only (v3.6 folds eMode and bridge logic into the Pool). */
  eModeLogic?: string;
  bridgeLogic?: string;
  flashLoanLogic: string;
  poolLogic: string;
  configuratorLogic: string;
}

/** Aave generations this project deploys locally: v3.0.2 (official artifacts) and v3.6 (compiled from source). */
export type AaveVersion = "3.0" | "3.6";
export const AAVE_VERSIONS: readonly AaveVersion[] = ["3.0", "3.6"];
/** The default generation of the replica, replays and demo: v3.6, the Aave that holds LRTs today. */
export const DEFAULT_AAVE_VERSION: AaveVersion = "3.6";

/** Parses a `--aave` flag value; the error names the flag, the value and the accepted ones. */
export function parseAaveVersion(value: string | undefined, flag = "--aave"): AaveVersion {
  if (value === undefined || value === "") return DEFAULT_AAVE_VERSION;
  const v = value.trim().replace(/^v/, "");
  const normalised = v === "3.0.2" ? "3.0" : v === "3.6.0" ? "3.6" : v;
  if ((AAVE_VERSIONS as readonly string[]).includes(normalised)) return normalised as AaveVersion;
  throw new UserError(`${flag}: expected one of ${AAVE_VERSIONS.join(", ")} (Aave v3.0.2 from @aave/core-v3, v3.6 from @aave-dao/aave-v3-origin); found "${value}"`);
}

/**
 * Typed handles on a deployed Aave v3 market ("a market": the rest of the code talks to this). `pool` and
 * `poolConfigurator` are the proxies. The handles carry the ABI of the generation deployed (`version`); their
 * TypeScript types are the v3.0.2 TypeChain ones, so generation-specific calls go through `scripts/aave/reserves.ts`
 * (eMode, listing, rate strategies), which dispatches on `version`.
 */
export interface AaveV3Deployment {
  version: AaveVersion;
  deployer: Signer;
  addressesProvider: PoolAddressesProvider;
  aclManager: ACLManager;
  pool: Pool;
  poolImpl: string;
  poolConfigurator: PoolConfigurator;
  poolConfiguratorImpl: string;
  aaveOracle: AaveOracle;
  dataProvider: AaveProtocolDataProvider;
  aTokenImpl: AToken;
  /** null on v3.6 (stable debt was removed in v3.2). */
  stableDebtTokenImpl: StableDebtToken | null;
  variableDebtTokenImpl: VariableDebtToken;
  libraries: AaveV3Libraries;
  treasury: string;
  baseCurrencyUnit: bigint;
  /** v3.6: the one interest rate strategy of the Pool (per-reserve parameters are stored in it). */
  interestRateStrategy?: string;
}

/** Flat address book of an Aave v3 deployment (what `deployments/<network>.json` records). */
export interface AaveV3AddressBook {
  /** Absent in books written before v3.6 support: "3.0". */
  version?: AaveVersion;
  PoolAddressesProvider: string;
  ACLManager: string;
  Pool: string;
  PoolImpl: string;
  PoolConfigurator: string;
  PoolConfiguratorImpl: string;
  AaveOracle: string;
  AaveProtocolDataProvider: string;
  ATokenImpl: string;
  /** ZeroAddress on v3.6. */
  StableDebtTokenImpl: string;
  VariableDebtTokenImpl: string;
  Treasury: string;
  libraries: AaveV3Libraries;
  /** v3.6: the Pool's interest rate strategy. */
  InterestRateStrategy?: string;
}

const LIB = {
  supply: "contracts/protocol/libraries/logic/SupplyLogic.sol:SupplyLogic",
  borrow: "contracts/protocol/libraries/logic/BorrowLogic.sol:BorrowLogic",
  liquidation: "contracts/protocol/libraries/logic/LiquidationLogic.sol:LiquidationLogic",
  eMode: "contracts/protocol/libraries/logic/EModeLogic.sol:EModeLogic",
  bridge: "contracts/protocol/libraries/logic/BridgeLogic.sol:BridgeLogic",
  flashLoan: "contracts/protocol/libraries/logic/FlashLoanLogic.sol:FlashLoanLogic",
  pool: "contracts/protocol/libraries/logic/PoolLogic.sol:PoolLogic",
  configurator: "contracts/protocol/libraries/logic/ConfiguratorLogic.sol:ConfiguratorLogic",
} as const satisfies Record<string, LibraryName>;

/**
 * Deploys one Aave generation's logic libraries in the order the Pool needs them (FlashLoanLogic links BorrowLogic);
 * `libraries` names each one's fully qualified source, `artifactOf` finds its artifact.
 */
export async function deployLogicLibraries(req: {
  signer: Signer;
  libraries: { [K in keyof AaveV3Libraries]: AaveV3Libraries[K] extends string ? LibraryName : LibraryName | undefined };
  artifactOf: (fq: LibraryName) => HardhatArtifact;
}): Promise<AaveV3Libraries> {
  const deployed: Partial<Record<keyof AaveV3Libraries, string>> = {};
  for (const key of Object.keys(req.libraries) as (keyof AaveV3Libraries)[]) {
    const fq = req.libraries[key];
    if (!fq) continue;
    const links: Partial<Record<LibraryName, string>> = key === "flashLoanLogic" ? { [req.libraries.borrowLogic]: deployed.borrowLogic! } : {};
    const lib = await deployArtifact<{ getAddress(): Promise<string> }>(req.artifactOf(fq), req.signer, [], links);
    deployed[key] = await lib.getAddress();
  }
  return deployed as AaveV3Libraries;
}

/** Deploys the Aave v3.0.2 logic libraries (FlashLoanLogic links BorrowLogic). */
export async function deployAaveLibraries(signer: Signer): Promise<AaveV3Libraries> {
  return deployLogicLibraries({
    signer,
    libraries: {
      supplyLogic: LIB.supply,
      borrowLogic: LIB.borrow,
      liquidationLogic: LIB.liquidation,
      eModeLogic: LIB.eMode,
      bridgeLogic: LIB.bridge,
      flashLoanLogic: LIB.flashLoan,
      poolLogic: LIB.pool,
      configuratorLogic: LIB.configurator,
    },
    artifactOf: (fq) => {
      const [source, name] = fq.split(":");
      return aaveArtifact(`${source.replace(/^contracts\//, "")}/${name}.json`);
    },
  });
}

/**
 * Deploys a complete, empty Aave v3.0.2 market (no reserves yet; see `initReserves` in `./reserves`).
 * Not idempotent: every call deploys a fresh market, which makes it a good `loadFixture` body.
 */
export async function deployAaveV3(request: DeployAaveV3Request): Promise<AaveV3Deployment> {
  const { deployer } = request;
  const admins = request.admins ?? {};
  const deployerAddress = await deployer.getAddress();
  const baseCurrency = request.baseCurrency ?? ZeroAddress;
  const baseCurrencyUnit = request.baseCurrencyUnit ?? 10n ** 8n;
  const treasury = request.treasury ?? deployerAddress;

  // 1. Addresses provider and ACL.
  const addressesProvider = await deployAave<PoolAddressesProvider>("PoolAddressesProvider", deployer, [
    request.marketId ?? "Cascade Guard replica (Aave v3.0.2)",
    deployerAddress,
  ]);
  await send("PoolAddressesProvider.setACLAdmin", addressesProvider.setACLAdmin(deployerAddress));
  const aclManager = await deployAave<ACLManager>("ACLManager", deployer, [await addressOf(addressesProvider)]);
  await send("PoolAddressesProvider.setACLManager", addressesProvider.setACLManager(await aclManager.getAddress()));
  await send("ACLManager.addPoolAdmin(deployer)", aclManager.addPoolAdmin(deployerAddress));
  await send("ACLManager.addAssetListingAdmin(deployer)", aclManager.addAssetListingAdmin(deployerAddress));
  if (request.deployerIsEmergencyAdmin ?? true) {
    await send("ACLManager.addEmergencyAdmin(deployer)", aclManager.addEmergencyAdmin(deployerAddress));
  }
  await grantAaveRoles(aclManager, admins);

  // 2. Pool: libraries, implementation, proxy.
  const libraries = await deployAaveLibraries(deployer);
  const providerAddress = await addressOf(addressesProvider);
  const poolImplContract = await deployAave<Pool>("Pool", deployer, [providerAddress], {
    [LIB.supply]: libraries.supplyLogic,
    [LIB.borrow]: libraries.borrowLogic,
    [LIB.liquidation]: libraries.liquidationLogic,
    [LIB.eMode]: libraries.eModeLogic,
    [LIB.bridge]: libraries.bridgeLogic,
    [LIB.flashLoan]: libraries.flashLoanLogic,
    [LIB.pool]: libraries.poolLogic,
  });
  const poolImpl = await poolImplContract.getAddress();
  // The implementation is initialized too, so nobody else can initialize it (as aave-v3-deploy does).
  await send("Pool(impl).initialize", poolImplContract.initialize(providerAddress));
  await send("PoolAddressesProvider.setPoolImpl", addressesProvider.setPoolImpl(poolImpl));
  const pool = attachAave<Pool>("Pool", await addressesProvider.getPool(), deployer);

  // 3. PoolConfigurator: implementation and proxy.
  const configuratorImplContract = await deployAave<PoolConfigurator>("PoolConfigurator", deployer, [], {
    [LIB.configurator]: libraries.configuratorLogic,
  });
  const poolConfiguratorImpl = await configuratorImplContract.getAddress();
  await send("PoolConfigurator(impl).initialize", configuratorImplContract.initialize(providerAddress));
  await send("PoolAddressesProvider.setPoolConfiguratorImpl", addressesProvider.setPoolConfiguratorImpl(poolConfiguratorImpl));
  const poolConfigurator = attachAave<PoolConfigurator>("PoolConfigurator", await addressesProvider.getPoolConfigurator(), deployer);

  // 4. Oracle and data provider.
  const aaveOracle = await deployAave<AaveOracle>("AaveOracle", deployer, [
    providerAddress,
    [],
    [],
    ZeroAddress,
    baseCurrency,
    baseCurrencyUnit,
  ]);
  await send("PoolAddressesProvider.setPriceOracle", addressesProvider.setPriceOracle(await aaveOracle.getAddress()));
  const dataProvider = await deployAave<AaveProtocolDataProvider>("AaveProtocolDataProvider", deployer, [providerAddress]);
  await send("PoolAddressesProvider.setPoolDataProvider", addressesProvider.setPoolDataProvider(await dataProvider.getAddress()));

  // 5. Token implementations (proxied per reserve by PoolConfigurator.initReserves).
  const poolAddress = await pool.getAddress();
  const aTokenImpl = await deployAave<AToken>("AToken", deployer, [poolAddress]);
  await send(
    "AToken(impl).initialize",
    aTokenImpl.initialize(poolAddress, ZeroAddress, ZeroAddress, ZeroAddress, 0, "ATOKEN_IMPL", "ATOKEN_IMPL", "0x"),
  );
  const stableDebtTokenImpl = await deployAave<StableDebtToken>("StableDebtToken", deployer, [poolAddress]);
  await send(
    "StableDebtToken(impl).initialize",
    stableDebtTokenImpl.initialize(poolAddress, ZeroAddress, ZeroAddress, 0, "STABLE_DEBT_TOKEN_IMPL", "STABLE_DEBT_TOKEN_IMPL", "0x"),
  );
  const variableDebtTokenImpl = await deployAave<VariableDebtToken>("VariableDebtToken", deployer, [poolAddress]);
  await send(
    "VariableDebtToken(impl).initialize",
    variableDebtTokenImpl.initialize(poolAddress, ZeroAddress, ZeroAddress, 0, "VARIABLE_DEBT_TOKEN_IMPL", "VARIABLE_DEBT_TOKEN_IMPL", "0x"),
  );

  const premium = request.flashLoanPremiumTotalBps ?? 5;
  if (premium > 0) await send("PoolConfigurator.updateFlashloanPremiumTotal", poolConfigurator.updateFlashloanPremiumTotal(premium));

  return {
    version: "3.0",
    deployer,
    addressesProvider,
    aclManager,
    pool,
    poolImpl,
    poolConfigurator,
    poolConfiguratorImpl,
    aaveOracle,
    dataProvider,
    aTokenImpl,
    stableDebtTokenImpl,
    variableDebtTokenImpl,
    libraries,
    treasury,
    baseCurrencyUnit,
  };
}

/** Grants ACLManager roles; the caller must hold DEFAULT_ADMIN (the ACL admin). Skips roles already held. */
export async function grantAaveRoles(aclManager: ACLManager, admins: AaveV3Admins): Promise<void> {
  for (const a of admins.poolAdmins ?? []) {
    if (!(await aclManager.isPoolAdmin(a))) await send(`ACLManager.addPoolAdmin(${a})`, aclManager.addPoolAdmin(a));
  }
  for (const a of admins.riskAdmins ?? []) {
    if (!(await aclManager.isRiskAdmin(a))) await send(`ACLManager.addRiskAdmin(${a})`, aclManager.addRiskAdmin(a));
  }
  for (const a of admins.emergencyAdmins ?? []) {
    if (!(await aclManager.isEmergencyAdmin(a))) await send(`ACLManager.addEmergencyAdmin(${a})`, aclManager.addEmergencyAdmin(a));
  }
  for (const a of admins.assetListingAdmins ?? []) {
    if (!(await aclManager.isAssetListingAdmin(a))) {
      await send(`ACLManager.addAssetListingAdmin(${a})`, aclManager.addAssetListingAdmin(a));
    }
  }
}

/** The flat address book of a deployment. */
export async function aaveAddressBook(aave: AaveV3Deployment): Promise<AaveV3AddressBook> {
  return {
    version: aave.version,
    PoolAddressesProvider: await addressOf(aave.addressesProvider),
    ACLManager: await aave.aclManager.getAddress(),
    Pool: await aave.pool.getAddress(),
    PoolImpl: aave.poolImpl,
    PoolConfigurator: await aave.poolConfigurator.getAddress(),
    PoolConfiguratorImpl: aave.poolConfiguratorImpl,
    AaveOracle: await aave.aaveOracle.getAddress(),
    AaveProtocolDataProvider: await aave.dataProvider.getAddress(),
    ATokenImpl: await aave.aTokenImpl.getAddress(),
    StableDebtTokenImpl: aave.stableDebtTokenImpl ? await aave.stableDebtTokenImpl.getAddress() : ZeroAddress,
    VariableDebtTokenImpl: await aave.variableDebtTokenImpl.getAddress(),
    Treasury: aave.treasury,
    libraries: aave.libraries,
    ...(aave.interestRateStrategy ? { InterestRateStrategy: aave.interestRateStrategy } : {}),
  };
}
