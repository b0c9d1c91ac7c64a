/**
 * ABIs the ops scripts talk to: the contracts' interfaces (the source of truth, see docs/ARCHITECTURE.md) plus
 * OpenZeppelin AccessControl (roles), and the Aave v3.0.2 artifacts from `@aave/core-v3`.
 * Built from compiled artifacts, so the scripts work against any deployment that implements the interfaces.
 */
import { Interface, InterfaceAbi } from "ethers";

export interface ArtifactReader {
  readArtifactSync(name: string): { abi: readonly unknown[] };
}

/**
 * The OpenZeppelin AccessControl surface we use: roles, plus the two-step admin transfer of
 * AccessControlDefaultAdminRules (DEFAULT_ADMIN_ROLE cannot be granted or renounced in one step).
 */
export const ACCESS_CONTROL_ABI = [
  "function DEFAULT_ADMIN_ROLE() view returns (bytes32)",
  "function hasRole(bytes32 role, address account) view returns (bool)",
  "function getRoleAdmin(bytes32 role) view returns (bytes32)",
  "function grantRole(bytes32 role, address account)",
  "function defaultAdmin() view returns (address)",
  "function pendingDefaultAdmin() view returns (address newAdmin, uint48 schedule)",
  "function defaultAdminDelay() view returns (uint48)",
  "function beginDefaultAdminTransfer(address newAdmin)",
  "function acceptDefaultAdminTransfer()",
  "error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)",
  "error AccessControlEnforcedDefaultAdminRules()",
  "error AccessControlEnforcedDefaultAdminDelay(uint48 schedule)",
  "error AccessControlInvalidDefaultAdmin(address defaultAdmin)",
];

// Aave v3.0.2 artifacts shipped in @aave/core-v3 (no Aave code is recompiled).
const AAVE = "@aave/core-v3/artifacts/contracts";
/* eslint-disable @typescript-eslint/no-var-requires */
export const AAVE_ABIS = {
  pool: require(`${AAVE}/interfaces/IPool.sol/IPool.json`).abi as InterfaceAbi,
  poolConfigurator: require(`${AAVE}/interfaces/IPoolConfigurator.sol/IPoolConfigurator.json`).abi as InterfaceAbi,
  aclManager: require(`${AAVE}/protocol/configuration/ACLManager.sol/ACLManager.json`).abi as InterfaceAbi,
  addressesProvider: require(`${AAVE}/protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider.json`).abi as InterfaceAbi,
};
/* eslint-enable @typescript-eslint/no-var-requires */

function merge(...abis: (readonly unknown[] | InterfaceAbi)[]): InterfaceAbi {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const abi of abis) {
    const iface = new Interface(abi as InterfaceAbi);
    for (const frag of iface.fragments) {
      const sig = frag.format("full");
      if (!seen.has(sig)) {
        seen.add(sig);
        out.push(sig);
      }
    }
  }
  return out;
}

export interface CascadeAbis {
  oracle: InterfaceAbi;
  haircutModule: InterfaceAbi;
  guard: InterfaceAbi;
  rateAdapter: InterfaceAbi;
  /** Aave v3.1+ grace-period adapter (`sync(asset)`). */
  gracePeriodAdapter: InterfaceAbi;
}

/** Interface ABIs + AccessControl, from the compiled interface artifacts. */
export function loadCascadeAbis(artifacts: ArtifactReader): CascadeAbis {
  const a = (name: string) => artifacts.readArtifactSync(name).abi;
  return {
    oracle: merge(a("ICollateralRiskOracle"), ACCESS_CONTROL_ABI),
    haircutModule: merge(a("IWideningHaircutModule"), ACCESS_CONTROL_ABI),
    guard: merge(a("ILiquidationPauseGuard"), ACCESS_CONTROL_ABI),
    rateAdapter: merge(a("IExchangeRateAdapter")),
    gracePeriodAdapter: merge(a("IAaveGracePeriodAdapter")),
  };
}

/** Every interface whose custom errors a revert may carry (for readable revert messages). */
export function errorInterfaces(abis: CascadeAbis): Interface[] {
  return [abis.oracle, abis.haircutModule, abis.guard, abis.rateAdapter, abis.gracePeriodAdapter, AAVE_ABIS.pool, AAVE_ABIS.poolConfigurator].map((x) => new Interface(x));
}
