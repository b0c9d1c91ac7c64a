/**
 * The liquidation pause on Aave v3.1+: `AaveGracePeriodAdapter` mirrors the guard's per-asset pauses into the
 * Pool's per-reserve liquidation grace period through the real PoolConfigurator (`setReservePause(asset, false,
 * grace)`, `disableLiquidationGracePeriod`), holding EMERGENCY_ADMIN. Keepers call the permissionless `sync(asset)`
 * after each trip or release and at least every 2 h while a pause lasts (Aave caps one grace period at 4 h).
 *
 * Why not the sentinel on v3.1+: the Pool asks `isLiquidationAllowed()` only at HF >= 0.95 and the sentinel has no
 * asset argument, so a pause of one LRT would block liquidations (and borrowing) of every reserve in the market while
 * still letting the deepest positions of the LRT itself be liquidated. The grace period is per reserve and applies
 * at every HF. So on v3.1+ the guard is installed as the sentinel only when asked (`setSentinel: true`).
 */
import { Contract, type Signer } from "ethers";
import type { AaveGracePeriodAdapter } from "../../typechain-types";
import { addressOf, attachAave, deployArtifact, localArtifact, send } from "../aave";
import type { ACLManager, PoolAddressesProvider } from "../aave/types";

export interface InstallGraceAdapterRequest {
  /** ACL admin of the market (grants EMERGENCY_ADMIN). */
  signer: Signer;
  addressesProvider: string;
  pauseGuard: string;
  /** An adapter already deployed for this guard and market (re-running then only checks the role). */
  adapter?: string;
}

export interface GraceAdapterInstall {
  adapter: AaveGracePeriodAdapter;
  address: string;
  grantedEmergencyAdmin: boolean;
}

/** Deploys (unless given) the grace-period adapter and grants it EMERGENCY_ADMIN; re-running grants nothing new. */
export async function installGraceAdapter(req: InstallGraceAdapterRequest): Promise<GraceAdapterInstall> {
  const provider = attachAave<PoolAddressesProvider>("PoolAddressesProvider", req.addressesProvider, req.signer);
  const [pool, configurator, aclAddress] = await Promise.all([provider.getPool(), provider.getPoolConfigurator(), provider.getACLManager()]);
  const probe = new Contract(pool, ["function getLiquidationGracePeriod(address) view returns (uint40)", "function getReservesList() view returns (address[])"], req.signer);
  const reserves = (await probe.getReservesList()) as string[];
  try {
    if (reserves.length > 0) await probe.getLiquidationGracePeriod(reserves[0]);
  } catch {
    throw new Error(`installGraceAdapter: the Pool ${pool} has no liquidation grace period (Aave v3.0); install the guard as the PriceOracleSentinel instead`);
  }
  const artifact = localArtifact("adapters/AaveGracePeriodAdapter.sol", "AaveGracePeriodAdapter");
  const adapter = req.adapter
    ? (new Contract(req.adapter, artifact.abi, req.signer) as unknown as AaveGracePeriodAdapter)
    : await deployArtifact<AaveGracePeriodAdapter>(artifact, req.signer, [req.pauseGuard, configurator, pool]);
  const address = await addressOf(adapter as unknown as { target: string });
  const acl = attachAave<ACLManager>("ACLManager", aclAddress, req.signer);
  let grantedEmergencyAdmin = false;
  if (!(await acl.isEmergencyAdmin(address))) {
    await send("ACLManager.addEmergencyAdmin(graceAdapter)", acl.addEmergencyAdmin(address));
    grantedEmergencyAdmin = true;
  }
  return { adapter, address, grantedEmergencyAdmin };
}
