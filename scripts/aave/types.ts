/**
 * TypeChain *types* of the official Aave v3.0.2 artifacts (`@aave/core-v3`), imported by explicit path: since the
 * build compiles Aave v3.6 from source, `typechain-types/index.ts` exports the v3.6 contracts under the same names
 * (Pool, PoolConfigurator, AToken, ...). The market handles keep the v3.0.2 typings; v3.6-only calls go through
 * `reserves.ts` helpers with their own ABI fragments. Type-only: erased at compile time (see `artifacts.ts`).
 */
const _typesOnly = true;
void _typesOnly;
export type { Pool } from "../../typechain-types/node_modules/@aave/core-v3/artifacts/contracts/protocol/pool/Pool";
export type { PoolConfigurator } from "../../typechain-types/node_modules/@aave/core-v3/artifacts/contracts/protocol/pool/PoolConfigurator";
export type { DefaultReserveInterestRateStrategy } from "../../typechain-types/node_modules/@aave/core-v3/artifacts/contracts/protocol/pool/DefaultReserveInterestRateStrategy";
export type { ACLManager } from "../../typechain-types/node_modules/@aave/core-v3/artifacts/contracts/protocol/configuration/ACLManager";
export type { PoolAddressesProvider } from "../../typechain-types/node_modules/@aave/core-v3/artifacts/contracts/protocol/configuration/PoolAddressesProvider";
export type { AToken } from "../../typechain-types/node_modules/@aave/core-v3/artifacts/contracts/protocol/tokenization/AToken";
export type { StableDebtToken } from "../../typechain-types/node_modules/@aave/core-v3/artifacts/contracts/protocol/tokenization/StableDebtToken";
export type { VariableDebtToken } from "../../typechain-types/node_modules/@aave/core-v3/artifacts/contracts/protocol/tokenization/VariableDebtToken";
export type { AaveOracle } from "../../typechain-types/node_modules/@aave/core-v3/artifacts/contracts/misc/AaveOracle";
export type { AaveProtocolDataProvider } from "../../typechain-types/node_modules/@aave/core-v3/artifacts/contracts/misc/AaveProtocolDataProvider";
