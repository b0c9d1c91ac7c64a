/**
 * Deploys Aave v3.6 (compiled here from the `@aave-dao/aave-v3-origin@3.6.0` package source, nothing copied or
 * re-implemented; see contracts/external/aave-v3.6/AaveV36.sol) on any network through one ethers v6 signer, in the
 * order of the package's own deploy procedures (`src/deployments/contracts/procedures/AaveV3SetupProcedure.sol`):
 *
 *   PoolAddressesProvider -> DefaultReserveInterestRateStrategyV2(provider) (one per Pool since v3.4)
 *   logic libraries (FlashLoanLogic links BorrowLogic) -> PoolInstance(provider, strategy) (linked)
 *   AaveOracle -> provider.setPriceOracle; provider.setPoolImpl (proxy); PoolConfiguratorInstance -> setPoolConfiguratorImpl
 *   setACLAdmin -> ACLManager -> setACLManager -> roles; AaveProtocolDataProvider -> setPoolDataProvider
 *   ATokenInstance(pool, rewards = 0, treasury), VariableDebtTokenInstance(pool, rewards = 0) implementations
 *
 * It returns the same `AaveV3Deployment` shape as the v3.0.2 deployer (`version: "3.6"`), so the replica, the
 * replay and Cascade Guard's installer talk to "a market" whatever its generation.
 */
import { ZeroAddress, type Signer } from "ethers";
import type {
  ACLManager,
  AToken,
  AaveOracle,
  AaveProtocolDataProvider,
  Pool,
  PoolAddressesProvider,
  PoolConfigurator,
  VariableDebtToken,
} from "./types";
import { AAVE36_ARTIFACTS, aave36Artifact, addressOf, attachAave36, deployAave36, type LibraryName } from "./artifacts";
import { deployLogicLibraries, grantAaveRoles, type AaveV3Deployment, type AaveV3Libraries, type DeployAaveV3Request } from "./deployAaveV3";
import { send } from "./tx";

const LOGIC = "@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/logic";
const LIB36 = {
  supply: `${LOGIC}/SupplyLogic.sol:SupplyLogic`,
  borrow: `${LOGIC}/BorrowLogic.sol:BorrowLogic`,
  liquidation: `${LOGIC}/LiquidationLogic.sol:LiquidationLogic`,
  flashLoan: `${LOGIC}/FlashLoanLogic.sol:FlashLoanLogic`,
  pool: `${LOGIC}/PoolLogic.sol:PoolLogic`,
  configurator: `${LOGIC}/ConfiguratorLogic.sol:ConfiguratorLogic`,
} as const satisfies Record<string, LibraryName>;

/** Deploys the v3.6 external logic libraries the Pool and the PoolConfigurator link. */
export async function deployAave36Libraries(signer: Signer): Promise<AaveV3Libraries> {
  return deployLogicLibraries({
    signer,
    libraries: {
      supplyLogic: LIB36.supply,
      borrowLogic: LIB36.borrow,
      liquidationLogic: LIB36.liquidation,
      flashLoanLogic: LIB36.flashLoan,
      poolLogic: LIB36.pool,
      configuratorLogic: LIB36.configurator,
    },
    artifactOf: (fq) => {
      const name = fq.split(":")[1];
      return aave36Artifact(`protocol/libraries/logic/${name}.sol/${name}.json`);
    },
  });
}

/** Link map of PoolInstance for a set of deployed libraries. */
export function pool36Links(libraries: AaveV3Libraries): Partial<Record<LibraryName, string>> {
  return {
    [LIB36.supply]: libraries.supplyLogic,
    [LIB36.borrow]: libraries.borrowLogic,
    [LIB36.liquidation]: libraries.liquidationLogic,
    [LIB36.flashLoan]: libraries.flashLoanLogic,
    [LIB36.pool]: libraries.poolLogic,
  };
}

/** Link map of PoolConfiguratorInstance. */
export function configurator36Links(libraries: AaveV3Libraries): Partial<Record<LibraryName, string>> {
  return { [LIB36.configurator]: libraries.configuratorLogic };
}

/**
 * Deploys a complete, empty Aave v3.6 market (no reserves yet; `initReserves` in `./reserves` lists them).
 * Not idempotent: every call deploys a fresh market (a `loadFixture` body).
 */
export async function deployAaveV36(request: DeployAaveV3Request): Promise<AaveV3Deployment> {
  const { deployer } = request;
  const admins = request.admins ?? {};
  const me = await deployer.getAddress();
  const baseCurrencyUnit = request.baseCurrencyUnit ?? 10n ** 8n;
  const treasury = request.treasury ?? me;

  // 1. Provider and the Pool's interest rate strategy.
  const addressesProvider = await deployAave36<PoolAddressesProvider>("PoolAddressesProvider", deployer, [
    request.marketId ?? "Cascade Guard replica (Aave v3.6)",
    me,
  ]);
  const providerAddress = await addressOf(addressesProvider);
  const strategy = await deployAave36<{ getAddress(): Promise<string> }>("DefaultReserveInterestRateStrategyV2", deployer, [providerAddress]);
  const interestRateStrategy = await strategy.getAddress();

  // 2. ACL first (the Pool's initializer does not need it, but the configurator's calls do).
  await send("PoolAddressesProvider.setACLAdmin", addressesProvider.setACLAdmin(me));
  const aclManager = await deployAave36<ACLManager>("ACLManager", deployer, [providerAddress]);
  await send("PoolAddressesProvider.setACLManager", addressesProvider.setACLManager(await aclManager.getAddress()));
  await send("ACLManager.addPoolAdmin(deployer)", aclManager.addPoolAdmin(me));
  await send("ACLManager.addAssetListingAdmin(deployer)", aclManager.addAssetListingAdmin(me));
  if (request.deployerIsEmergencyAdmin ?? true) await send("ACLManager.addEmergencyAdmin(deployer)", aclManager.addEmergencyAdmin(me));
  await grantAaveRoles(aclManager, admins);

  // 3. Oracle (the v3.6 Pool reads it through the provider).
  const aaveOracle = await deployAave36<AaveOracle>("AaveOracle", deployer, [
    providerAddress,
    [],
    [],
    ZeroAddress,
    request.baseCurrency ?? ZeroAddress,
    baseCurrencyUnit,
  ]);
  await send("PoolAddressesProvider.setPriceOracle", addressesProvider.setPriceOracle(await aaveOracle.getAddress()));

  // 4. Pool: libraries, implementation, proxy.
  const libraries = await deployAave36Libraries(deployer);
  const poolImplContract = await deployAave36<Pool>("Pool", deployer, [providerAddress, interestRateStrategy], pool36Links(libraries));
  const poolImpl = await poolImplContract.getAddress();
  // (The v3.6 implementation is initialized by its constructor: nobody else can initialize it.)
  await send("PoolAddressesProvider.setPoolImpl", addressesProvider.setPoolImpl(poolImpl));
  const pool = attachAave36<Pool>("Pool", await addressesProvider.getPool(), deployer);

  // 5. PoolConfigurator.
  const configuratorImplContract = await deployAave36<PoolConfigurator>("PoolConfigurator", deployer, [], configurator36Links(libraries));
  const poolConfiguratorImpl = await configuratorImplContract.getAddress();
  await send("PoolAddressesProvider.setPoolConfiguratorImpl", addressesProvider.setPoolConfiguratorImpl(poolConfiguratorImpl));
  const poolConfigurator = attachAave36<PoolConfigurator>("PoolConfigurator", await addressesProvider.getPoolConfigurator(), deployer);

  // 6. Data provider.
  const dataProvider = await deployAave36<AaveProtocolDataProvider>("AaveProtocolDataProvider", deployer, [providerAddress]);
  await send("PoolAddressesProvider.setPoolDataProvider", addressesProvider.setPoolDataProvider(await dataProvider.getAddress()));

  // 7. Token implementations (no rewards controller locally; the treasury is immutable in the aToken since v3.4).
  const poolAddress = await pool.getAddress();
  const aTokenImpl = await deployAave36<AToken>("AToken", deployer, [poolAddress, ZeroAddress, treasury]);
  const variableDebtTokenImpl = await deployAave36<VariableDebtToken>("VariableDebtToken", deployer, [poolAddress, ZeroAddress]);

  const premium = request.flashLoanPremiumTotalBps ?? 5;
  if (premium > 0) {
    await send(
      "PoolConfigurator.updateFlashloanPremium",
      (poolConfigurator as unknown as { updateFlashloanPremium(p: number): ReturnType<PoolConfigurator["updateFlashloanPremiumTotal"]> }).updateFlashloanPremium(premium),
    );
  }

  return {
    version: "3.6",
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
    stableDebtTokenImpl: null,
    variableDebtTokenImpl,
    libraries,
    treasury,
    baseCurrencyUnit,
    interestRateStrategy,
  };
}

/** Paths of the v3.6 artifacts (for docs and the address book). */
export const AAVE36_ARTIFACT_PATHS = AAVE36_ARTIFACTS;
