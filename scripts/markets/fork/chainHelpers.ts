/**
 * Chain helpers for fork mode: impersonation, gas money, and ERC-20 balances written straight into storage (the
 * balance mapping's slot is found by probing, so it works for any Solidity token with a plain
 * `mapping(address => uint256)`, including OpenZeppelin upgradeable and ERC-7201 layouts is NOT guaranteed).
 */
import { AbiCoder, Contract, keccak256, toBeHex, zeroPadValue, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

const coder = AbiCoder.defaultAbiCoder();

/** A signer for any address on a Hardhat (or forked) network, with 1,000 ETH for gas. */
export async function impersonate(hre: HardhatRuntimeEnvironment, address: string): Promise<Signer> {
  await hre.network.provider.send("hardhat_impersonateAccount", [address]);
  await hre.network.provider.send("hardhat_setBalance", [address, toBeHex(10n ** 21n)]);
  return hre.ethers.getSigner(address);
}

const slotCache = new Map<string, bigint>();

function mappingSlot(holder: string, slot: bigint): string {
  return keccak256(coder.encode(["address", "uint256"], [holder, slot]));
}

/**
 * Sets `holder`'s balance of `token` to `amount` by writing the balance mapping's storage slot. The slot is found
 * by writing a marker into candidate slots 0..maxSlot and reading `balanceOf` back.
 */
export async function setErc20Balance(
  hre: HardhatRuntimeEnvironment,
  token: string,
  holder: string,
  amount: bigint,
  maxSlot = 200,
): Promise<void> {
  const erc20 = new Contract(token, ["function balanceOf(address) view returns (uint256)"], hre.ethers.provider);
  const write = (slot: bigint, value: bigint) =>
    hre.network.provider.send("hardhat_setStorageAt", [token, mappingSlot(holder, slot), zeroPadValue(toBeHex(value), 32)]);
  const cached = slotCache.get(token.toLowerCase());
  if (cached !== undefined) {
    await write(cached, amount);
    return;
  }
  for (let s = 0n; s <= BigInt(maxSlot); s++) {
    const key = mappingSlot(holder, s);
    const before = (await hre.network.provider.send("eth_getStorageAt", [token, key, "latest"])) as string;
    const marker = 0x1234567890abcdefn;
    await write(s, marker);
    const read = (await erc20.balanceOf(holder)) as bigint;
    if (read === marker) {
      slotCache.set(token.toLowerCase(), s);
      await write(s, amount);
      return;
    }
    await hre.network.provider.send("hardhat_setStorageAt", [token, key, before]);
  }
  throw new Error(`fork: could not find the balance slot of token ${token} (probed slots 0..${maxSlot}); fund it another way`);
}

/** Adds `amount` to `holder`'s balance of `token` (storage write). */
export async function fundErc20(hre: HardhatRuntimeEnvironment, token: string, holder: string, amount: bigint): Promise<void> {
  const erc20 = new Contract(token, ["function balanceOf(address) view returns (uint256)"], hre.ethers.provider);
  const current = (await erc20.balanceOf(holder)) as bigint;
  await setErc20Balance(hre, token, holder, current + amount);
}
