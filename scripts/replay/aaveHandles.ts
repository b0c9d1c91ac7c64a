/**
 * Typed handles on Aave v3 contracts at known addresses, built from the official `@aave/core-v3` artifact ABIs.
 * Only TypeChain *types* are imported (value imports from typechain-types break ts-node once local contracts import
 * OpenZeppelin).
 */
import { Contract, type ContractRunner } from "ethers";
import type { AaveOracle, AaveProtocolDataProvider, Pool } from "../aave/types";

function abi(rel: string): unknown[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require(`@aave/core-v3/artifacts/contracts/${rel}`).abi as unknown[];
}

export function poolAt(address: string, runner: ContractRunner): Pool {
  return new Contract(address, abi("protocol/pool/Pool.sol/Pool.json") as never, runner) as unknown as Pool;
}

export function aaveOracleAt(address: string, runner: ContractRunner): AaveOracle {
  return new Contract(address, abi("misc/AaveOracle.sol/AaveOracle.json") as never, runner) as unknown as AaveOracle;
}

export function dataProviderAt(address: string, runner: ContractRunner): AaveProtocolDataProvider {
  return new Contract(
    address,
    abi("misc/AaveProtocolDataProvider.sol/AaveProtocolDataProvider.json") as never,
    runner,
  ) as unknown as AaveProtocolDataProvider;
}
