// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

// Compiles the Aave v3.6 market from the `@aave-dao/aave-v3-origin@3.6.0` package source (BUSL-1.1, not copied
// here) so the v3.6 replica deploys the real Pool, PoolConfigurator, tokens, oracle, ACL and provider.
// solc 0.8.27 (custom errors in `require`); see hardhat.config.ts.
import {PoolInstance} from "@aave-dao/aave-v3-origin/src/contracts/instances/PoolInstance.sol";
import {PoolConfiguratorInstance} from "@aave-dao/aave-v3-origin/src/contracts/instances/PoolConfiguratorInstance.sol";
import {ATokenInstance} from "@aave-dao/aave-v3-origin/src/contracts/instances/ATokenInstance.sol";
import {VariableDebtTokenInstance} from "@aave-dao/aave-v3-origin/src/contracts/instances/VariableDebtTokenInstance.sol";
import {ACLManager} from "@aave-dao/aave-v3-origin/src/contracts/protocol/configuration/ACLManager.sol";
import {PoolAddressesProvider} from "@aave-dao/aave-v3-origin/src/contracts/protocol/configuration/PoolAddressesProvider.sol";
import {AaveOracle} from "@aave-dao/aave-v3-origin/src/contracts/misc/AaveOracle.sol";
import {DefaultReserveInterestRateStrategyV2} from "@aave-dao/aave-v3-origin/src/contracts/misc/DefaultReserveInterestRateStrategyV2.sol";
import {PriceOracleSentinel} from "@aave-dao/aave-v3-origin/src/contracts/misc/PriceOracleSentinel.sol";
import {AaveProtocolDataProvider} from "@aave-dao/aave-v3-origin/src/contracts/helpers/AaveProtocolDataProvider.sol";
