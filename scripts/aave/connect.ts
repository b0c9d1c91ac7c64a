import type { Signer } from "ethers";
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
import { attachAave, attachAave36 } from "./artifacts";
import type { AaveV3AddressBook, AaveV3Deployment } from "./deployAaveV3";

/** Typed handles on an already deployed Aave v3 market, from its address book (e.g. `deployments/<network>.json`). */
export function connectAaveV3(book: AaveV3AddressBook, signer: Signer, baseCurrencyUnit = 10n ** 8n): AaveV3Deployment {
  if (book.version === "3.6") {
    return {
      version: "3.6",
      deployer: signer,
      addressesProvider: attachAave36<PoolAddressesProvider>("PoolAddressesProvider", book.PoolAddressesProvider, signer),
      aclManager: attachAave36<ACLManager>("ACLManager", book.ACLManager, signer),
      pool: attachAave36<Pool>("Pool", book.Pool, signer),
      poolImpl: book.PoolImpl,
      poolConfigurator: attachAave36<PoolConfigurator>("PoolConfigurator", book.PoolConfigurator, signer),
      poolConfiguratorImpl: book.PoolConfiguratorImpl,
      aaveOracle: attachAave36<AaveOracle>("AaveOracle", book.AaveOracle, signer),
      dataProvider: attachAave36<AaveProtocolDataProvider>("AaveProtocolDataProvider", book.AaveProtocolDataProvider, signer),
      aTokenImpl: attachAave36<AToken>("AToken", book.ATokenImpl, signer),
      stableDebtTokenImpl: null,
      variableDebtTokenImpl: attachAave36<VariableDebtToken>("VariableDebtToken", book.VariableDebtTokenImpl, signer),
      libraries: book.libraries,
      treasury: book.Treasury,
      baseCurrencyUnit,
      interestRateStrategy: book.InterestRateStrategy,
    };
  }
  return {
    version: "3.0",
    deployer: signer,
    addressesProvider: attachAave<PoolAddressesProvider>("PoolAddressesProvider", book.PoolAddressesProvider, signer),
    aclManager: attachAave<ACLManager>("ACLManager", book.ACLManager, signer),
    pool: attachAave<Pool>("Pool", book.Pool, signer),
    poolImpl: book.PoolImpl,
    poolConfigurator: attachAave<PoolConfigurator>("PoolConfigurator", book.PoolConfigurator, signer),
    poolConfiguratorImpl: book.PoolConfiguratorImpl,
    aaveOracle: attachAave<AaveOracle>("AaveOracle", book.AaveOracle, signer),
    dataProvider: attachAave<AaveProtocolDataProvider>("AaveProtocolDataProvider", book.AaveProtocolDataProvider, signer),
    aTokenImpl: attachAave<AToken>("AToken", book.ATokenImpl, signer),
    stableDebtTokenImpl: attachAave<StableDebtToken>("StableDebtToken", book.StableDebtTokenImpl, signer),
    variableDebtTokenImpl: attachAave<VariableDebtToken>("VariableDebtToken", book.VariableDebtTokenImpl, signer),
    libraries: book.libraries,
    treasury: book.Treasury,
    baseCurrencyUnit,
  };
}
