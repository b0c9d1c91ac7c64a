import { ethers } from "hardhat";
import type { Signer } from "ethers";
import { ACLManager__factory } from "../../typechain-types";
import { PoolAddressesProvider__factory } from "../../typechain-types";

/**
 * The real Aave v3.0.2 PoolAddressesProvider + ACLManager (from the @aave/core-v3 artifacts), enough for the
 * sentinel's ACL checks. Tests that need the Pool itself use the replica deployer in scripts/aave.
 */
export async function deployAaveAcl(owner: Signer) {
  const ownerAddress = await owner.getAddress();
  const provider = await new PoolAddressesProvider__factory(owner).deploy("Cascade Guard test", ownerAddress);
  await provider.setACLAdmin(ownerAddress);
  const acl = await new ACLManager__factory(owner).deploy(provider.target as string);
  await provider.setACLManager(await acl.getAddress());
  return { provider, acl };
}

export async function latestSigners() {
  return ethers.getSigners();
}
