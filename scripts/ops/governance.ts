/**
 * The Aave-side grants a market's governance must execute for Cascade Guard to act, computed against the chain
 * (already-done grants are marked done and left out of the batch):
 *   ACLManager.addRiskAdmin(haircutModule)                  the module writes LTV/LT/freeze through the PoolConfigurator
 *   ACLManager.addEmergencyAdmin(gracePeriodAdapter)        only with the Aave v3.1+ grace-period adapter
 *   PoolAddressesProvider.setPriceOracleSentinel(guard)     Aave v3.0-v3.6: the Pool consults the guard
 * When the deployer holds the ACL admin / pool admin roles (a local replica), `executeGovernanceActions` sends them;
 * otherwise they are printed and written as a Safe Transaction Builder batch for the admin's multisig.
 */
import { Contract, ContractRunner, Interface, Signer, getAddress } from "ethers";
import { AAVE_ABIS } from "./abis";
import { GovernanceAction } from "./addressBook";
import { BatchCall } from "./safeBatch";
import { Logger, sendRawWithGasHeadroom } from "./tx";

export interface GovernanceActionPlan extends GovernanceAction {
  batchCall: BatchCall;
}

export async function planGovernanceActions(req: {
  runner: ContractRunner;
  addressesProvider: string;
  haircutModule: string;
  guard: string;
  installSentinel: boolean;
  /** The v3.1+ grace-period adapter, when deployed: it needs EMERGENCY_ADMIN. */
  gracePeriodAdapter?: string;
}): Promise<GovernanceActionPlan[]> {
  const provider = new Contract(req.addressesProvider, AAVE_ABIS.addressesProvider, req.runner);
  const aclAddress = getAddress(await provider.getACLManager());
  const acl = new Contract(aclAddress, AAVE_ABIS.aclManager, req.runner);
  const aclIface = new Interface(AAVE_ABIS.aclManager);
  const providerIface = new Interface(AAVE_ABIS.addressesProvider);
  const out: GovernanceActionPlan[] = [];
  const add = (description: string, to: string, contractName: string, iface: Interface, method: string, args: string[], done: boolean) => {
    const fragment = iface.getFunction(method)!;
    out.push({
      description,
      to,
      contractName,
      method,
      args,
      data: iface.encodeFunctionData(fragment, args),
      done,
      batchCall: { to, fragment, args },
    });
  };
  add(
    "grant RISK_ADMIN to the WideningHaircutModule (it writes reserve/eMode LTV, LT and freeze through the PoolConfigurator)",
    aclAddress,
    "ACLManager",
    aclIface,
    "addRiskAdmin",
    [getAddress(req.haircutModule)],
    await acl.isRiskAdmin(req.haircutModule),
  );
  if (req.gracePeriodAdapter) {
    add(
      "grant EMERGENCY_ADMIN to the AaveGracePeriodAdapter (Aave v3.1+: it sets per-reserve liquidation grace periods with setReservePause(asset, false, gracePeriod))",
      aclAddress,
      "ACLManager",
      aclIface,
      "addEmergencyAdmin",
      [getAddress(req.gracePeriodAdapter)],
      await acl.isEmergencyAdmin(req.gracePeriodAdapter),
    );
  }
  if (req.installSentinel) {
    const current = getAddress(await provider.getPriceOracleSentinel());
    add(
      "install the LiquidationPauseGuard as the market's PriceOracleSentinel (Aave v3.0-v3.6; the Pool consults it on borrow and on liquidation when HF >= 0.95)",
      getAddress(req.addressesProvider),
      "PoolAddressesProvider",
      providerIface,
      "setPriceOracleSentinel",
      [getAddress(req.guard)],
      current === getAddress(req.guard),
    );
  }
  return out;
}

/** Whether `account` can execute every grant itself: ACL admin (role grants) and PoolAddressesProvider owner (sentinel). */
export async function canExecuteGovernance(req: { runner: ContractRunner; addressesProvider: string; account: string }): Promise<boolean> {
  const provider = new Contract(req.addressesProvider, AAVE_ABIS.addressesProvider, req.runner);
  const acl = new Contract(await provider.getACLManager(), AAVE_ABIS.aclManager, req.runner);
  const DEFAULT_ADMIN_ROLE = "0x" + "00".repeat(32);
  // addRiskAdmin/addEmergencyAdmin need the role admin (DEFAULT_ADMIN_ROLE = ACL admin);
  // setPriceOracleSentinel needs the PoolAddressesProvider owner.
  const [isAclAdmin, owner] = await Promise.all([acl.hasRole(DEFAULT_ADMIN_ROLE, req.account), provider.owner()]);
  return Boolean(isAclAdmin) && getAddress(owner) === getAddress(req.account);
}

export async function executeGovernanceActions(req: { signer: Signer; actions: GovernanceActionPlan[]; log: Logger }): Promise<void> {
  for (const a of req.actions) {
    if (a.done) {
      req.log(`  · ${a.contractName}.${a.method}(${a.args.join(", ")}): already done`);
      continue;
    }
    const tx = await sendRawWithGasHeadroom(req.signer, { to: a.to, data: a.data });
    const receipt = await tx.wait();
    if (!receipt || receipt.status !== 1) throw new Error(`${a.contractName}.${a.method} failed (tx ${tx.hash})`);
    a.done = true;
    req.log(`  ✓ ${a.contractName}.${a.method}(${a.args.join(", ")}) tx ${receipt.hash}`);
  }
}
