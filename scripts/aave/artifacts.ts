import fs from "fs";
import path from "path";
import { Contract, ContractFactory, type Addressable, type ContractRunner, type InterfaceAbi, type Signer } from "ethers";
import { UserError } from "../../spec/errors";

/** Shape of a Hardhat artifact as shipped in `@aave/core-v3/artifacts`. */
export interface HardhatArtifact {
  contractName: string;
  sourceName: string;
  abi: InterfaceAbi;
  bytecode: string;
  linkReferences: Record<string, Record<string, Array<{ start: number; length: number }>>>;
}

/** Fully qualified library name as used in artifacts: `contracts/.../X.sol:X`. */
export type LibraryName = `${string}:${string}`;

/** Loads one official Aave v3.0.2 artifact from `@aave/core-v3` (relative to its `artifacts/contracts/`). */
export function aaveArtifact(relativePath: string): HardhatArtifact {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require(`@aave/core-v3/artifacts/contracts/${relativePath}`) as HardhatArtifact;
}

/**
 * Replaces every library placeholder in the artifact's creation bytecode with the deployed address,
 * using the artifact's `linkReferences` (byte offsets), and fails on any library left unlinked.
 */
export function linkBytecode(artifact: HardhatArtifact, libraries: Partial<Record<LibraryName, string>>): string {
  let hex = artifact.bytecode.startsWith("0x") ? artifact.bytecode.slice(2) : artifact.bytecode;
  for (const [sourceName, byName] of Object.entries(artifact.linkReferences)) {
    for (const [libName, refs] of Object.entries(byName)) {
      const fq = `${sourceName}:${libName}` as LibraryName;
      const address = libraries[fq];
      if (!address) throw new Error(`${artifact.contractName}: library ${fq} is not linked (no address given)`);
      const addr = address.toLowerCase().replace(/^0x/, "");
      for (const { start, length } of refs) {
        hex = hex.slice(0, start * 2) + addr.slice(0, length * 2) + hex.slice((start + length) * 2);
      }
    }
  }
  if (hex.includes("__$")) throw new Error(`${artifact.contractName}: unlinked library placeholder left in bytecode`);
  return `0x${hex}`;
}

/** An ethers factory for an artifact, with its libraries linked. */
export function factoryFor(
  artifact: HardhatArtifact,
  signer: Signer,
  libraries: Partial<Record<LibraryName, string>> = {},
): ContractFactory {
  return new ContractFactory(artifact.abi, linkBytecode(artifact, libraries), signer);
}

/**
 * Why no typechain *factories* at runtime: once local contracts import OpenZeppelin, @typechain/hardhat writes the
 * bindings of the external Aave artifacts under `typechain-types/factories/node_modules/...`, and ts-node (as
 * registered by Hardhat) refuses to compile anything under a `node_modules` path. So the deploy code imports
 * typechain *types* only (erased at compile time) and builds contracts from the artifacts with ethers.
 */

/** Paths (under `@aave/core-v3/artifacts/contracts/`) of the Aave artifacts the replica deploys or attaches to. */
export const AAVE_ARTIFACTS = {
  PoolAddressesProvider: "protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider.json",
  ACLManager: "protocol/configuration/ACLManager.sol/ACLManager.json",
  Pool: "protocol/pool/Pool.sol/Pool.json",
  PoolConfigurator: "protocol/pool/PoolConfigurator.sol/PoolConfigurator.json",
  DefaultReserveInterestRateStrategy: "protocol/pool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy.json",
  AaveOracle: "misc/AaveOracle.sol/AaveOracle.json",
  AaveProtocolDataProvider: "misc/AaveProtocolDataProvider.sol/AaveProtocolDataProvider.json",
  AToken: "protocol/tokenization/AToken.sol/AToken.json",
  StableDebtToken: "protocol/tokenization/StableDebtToken.sol/StableDebtToken.json",
  VariableDebtToken: "protocol/tokenization/VariableDebtToken.sol/VariableDebtToken.json",
  PriceOracleSentinel: "protocol/configuration/PriceOracleSentinel.sol/PriceOracleSentinel.json",
} as const;
export type AaveContractName = keyof typeof AAVE_ARTIFACTS;

const ARTIFACTS_DIR = path.join(__dirname, "..", "..", "artifacts");
const compiled = new Map<string, HardhatArtifact>();

/**
 * Reads one artifact `npx hardhat compile` wrote (path under `artifacts/`), once per process. Outside a task (which
 * compiles first) a missing artifact is the user's to fix: a `UserError` asking for `npx hardhat compile`.
 */
export function compiledArtifact(relativeUnderArtifacts: string): HardhatArtifact {
  const cached = compiled.get(relativeUnderArtifacts);
  if (cached) return cached;
  const file = path.join(ARTIFACTS_DIR, relativeUnderArtifacts);
  if (!fs.existsSync(file)) {
    throw new UserError({ file: `artifacts/${relativeUnderArtifacts}`, problem: "compiled artifact not found", fix: "run `npx hardhat compile`" });
  }
  const artifact = JSON.parse(fs.readFileSync(file, "utf8")) as HardhatArtifact;
  compiled.set(relativeUnderArtifacts, artifact);
  return artifact;
}

/** Loads one of this project's compiled artifacts, e.g. `localArtifact("mocks/tokens/ReplicaToken.sol", "ReplicaToken")`. */
export function localArtifact(sourceUnderContracts: string, contractName: string): HardhatArtifact {
  return compiledArtifact(`contracts/${sourceUnderContracts}/${contractName}.json`);
}

/** Attaches a typed handle (typechain type `T`) to a deployed contract, built from its artifact's ABI. */
export function attach<T>(artifact: HardhatArtifact, address: string, runner: ContractRunner): T {
  return new Contract(address, artifact.abi, runner) as unknown as T;
}

/** Attaches a typed handle to a deployed Aave v3.0.2 contract. */
export function attachAave<T>(name: AaveContractName, address: string, runner: ContractRunner): T {
  return attach<T>(aaveArtifact(AAVE_ARTIFACTS[name]), address, runner);
}

/** Deploys an artifact (libraries linked) and waits for it; returns a typed handle. */
export async function deployArtifact<T>(
  artifact: HardhatArtifact,
  signer: Signer,
  args: unknown[] = [],
  libraries: Partial<Record<LibraryName, string>> = {},
): Promise<T> {
  try {
    const contract = await factoryFor(artifact, signer, libraries).deploy(...args);
    await contract.waitForDeployment();
    return contract as unknown as T;
  } catch (err) {
    throw new Error(`deploy ${artifact.contractName} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Deploys an Aave v3.0.2 contract from its official artifact. */
export function deployAave<T>(
  name: AaveContractName,
  signer: Signer,
  args: unknown[] = [],
  libraries: Partial<Record<LibraryName, string>> = {},
): Promise<T> {
  return deployArtifact<T>(aaveArtifact(AAVE_ARTIFACTS[name]), signer, args, libraries);
}

/** Address of a contract handle. (PoolAddressesProvider's own `getAddress(bytes32)` shadows ethers' `getAddress()` in its typings.) */
export async function addressOf(contract: { target: string | Addressable }): Promise<string> {
  return typeof contract.target === "string" ? contract.target : contract.target.getAddress();
}

/** Paths (under `artifacts/@aave-dao/aave-v3-origin/src/contracts/`) of the Aave v3.6 contracts compiled from source. */
export const AAVE36_ARTIFACTS = {
  PoolAddressesProvider: "protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider.json",
  ACLManager: "protocol/configuration/ACLManager.sol/ACLManager.json",
  Pool: "instances/PoolInstance.sol/PoolInstance.json",
  PoolConfigurator: "instances/PoolConfiguratorInstance.sol/PoolConfiguratorInstance.json",
  DefaultReserveInterestRateStrategyV2: "misc/DefaultReserveInterestRateStrategyV2.sol/DefaultReserveInterestRateStrategyV2.json",
  AaveOracle: "misc/AaveOracle.sol/AaveOracle.json",
  AaveProtocolDataProvider: "helpers/AaveProtocolDataProvider.sol/AaveProtocolDataProvider.json",
  AToken: "instances/ATokenInstance.sol/ATokenInstance.json",
  VariableDebtToken: "instances/VariableDebtTokenInstance.sol/VariableDebtTokenInstance.json",
  PriceOracleSentinel: "misc/PriceOracleSentinel.sol/PriceOracleSentinel.json",
} as const;
export type Aave36ContractName = keyof typeof AAVE36_ARTIFACTS;

/** Loads one Aave v3.6 artifact compiled from `@aave-dao/aave-v3-origin@3.6.0` (run `npx hardhat compile` first). */
export function aave36Artifact(relativePath: string): HardhatArtifact {
  return compiledArtifact(`@aave-dao/aave-v3-origin/src/contracts/${relativePath}`);
}

/** Attaches a handle to a deployed Aave v3.6 contract (v3.6 ABI; typed as the caller asks). */
export function attachAave36<T>(name: Aave36ContractName, address: string, runner: ContractRunner): T {
  return attach<T>(aave36Artifact(AAVE36_ARTIFACTS[name]), address, runner);
}

/** Deploys an Aave v3.6 contract from its compiled artifact. */
export function deployAave36<T>(
  name: Aave36ContractName,
  signer: Signer,
  args: unknown[] = [],
  libraries: Partial<Record<LibraryName, string>> = {},
): Promise<T> {
  return deployArtifact<T>(aave36Artifact(AAVE36_ARTIFACTS[name]), signer, args, libraries);
}
