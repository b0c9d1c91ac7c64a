/**
 * A mainnet-shaped local chain for fork mode: the Aave v3.6 core (compiled from `@aave-dao/aave-v3-origin@3.6.0`)
 * placed at the Aave v3 Ethereum Core addresses of `@aave-dao/aave-address-book` on a node that accepts
 * `anvil_setCode` / `anvil_setStorageAt` (anvil; `hardhat_*` on Hardhat), so the fork path (address-book provider,
 * version probe, impersonated ACL admin, install through the grace adapter) runs against v3.6 without an archive RPC.
 *
 * How ("deploy, then move"): each contract is first deployed normally with constructor arguments that already point
 * at the address-book addresses (immutables: the provider, the Pool), then its runtime code is written at the
 * address-book address and the few storage slots its constructor wrote are copied:
 *   PoolAddressesProvider  owner (slot 0), market id (slot 1); `_addresses` (slot 2) is filled through its setters,
 *                          except the Pool and PoolConfigurator proxy entries, written so `setPoolImpl` /
 *                          `setPoolConfiguratorImpl` upgrade the proxies at the address-book addresses;
 *   Pool / PoolConfigurator InitializableImmutableAdminUpgradeabilityProxy (admin = the provider) at POOL /
 *                          POOL_CONFIGURATOR; implementations anywhere;
 *   ACLManager             the ACL admin's DEFAULT_ADMIN_ROLE bit;  AaveOracle, AaveProtocolDataProvider: code only.
 * Reserves, eMode and feeds are then configured through the real PoolConfigurator like the replica (token contracts
 * stay at fresh addresses: the fork path finds reserves by `symbol()`).
 */
import { AaveV3Ethereum } from "@aave-dao/aave-address-book";
import { AbiCoder, ZeroAddress, encodeBytes32String, keccak256, toBeHex, type Signer } from "ethers";
import {
  aave36Artifact,
  attachAave36,
  deployAave36,
  deployAave36Libraries,
  deployArtifact,
  configurator36Links,
  grantAaveRoles,
  pool36Links,
  send,
  type AaveV3Admins,
  type AaveV3Deployment,
} from "../../aave";
import type { ACLManager, AToken, AaveOracle, AaveProtocolDataProvider, Pool, PoolAddressesProvider, PoolConfigurator, VariableDebtToken } from "../../aave/types";

export type Rpc = (method: string, params: unknown[]) => Promise<unknown>;

const coder = AbiCoder.defaultAbiCoder();
const word = (v: bigint) => toBeHex(v, 32);
/** Solidity mapping slot: keccak256(abi.encode(key, slot)). */
const mappingSlot = (keyType: string, key: unknown, slot: bigint | string) => keccak256(coder.encode([keyType, "uint256"], [key, slot]));

/** The address-book addresses the chain is shaped to. */
export const ADDRESS_BOOK_V3_ETHEREUM = {
  POOL_ADDRESSES_PROVIDER: AaveV3Ethereum.POOL_ADDRESSES_PROVIDER,
  POOL: AaveV3Ethereum.POOL,
  POOL_CONFIGURATOR: AaveV3Ethereum.POOL_CONFIGURATOR,
  ACL_MANAGER: AaveV3Ethereum.ACL_MANAGER,
  ORACLE: AaveV3Ethereum.ORACLE,
  AAVE_PROTOCOL_DATA_PROVIDER: AaveV3Ethereum.AAVE_PROTOCOL_DATA_PROVIDER,
  ACL_ADMIN: AaveV3Ethereum.ACL_ADMIN,
} as const;

async function moveCode(rpc: Rpc, signer: Signer, from: string, to: string, slots: string[] = []): Promise<void> {
  const provider = signer.provider!;
  const code = await provider.getCode(from);
  if (code === "0x") throw new Error(`mainnetShaped: no code at ${from} to move to ${to}`);
  await rpc("anvil_setCode", [to, code]);
  for (const s of slots) await rpc("anvil_setStorageAt", [to, s, await provider.getStorage(from, s)]);
}

/**
 * Deploys an empty Aave v3.6 market whose provider, Pool, PoolConfigurator, ACLManager, AaveOracle and data provider
 * sit at the Aave v3 Ethereum Core address-book addresses. The deployer is owner, ACL admin, pool admin, asset
 * listing and emergency admin (move governance to `ACL_ADMIN` afterwards, as mainnet has it).
 */
export async function deployAaveV36AtAddressBook(request: { deployer: Signer; rpc: Rpc; admins?: AaveV3Admins }): Promise<AaveV3Deployment> {
  const { deployer, rpc } = request;
  const me = await deployer.getAddress();
  const AB = ADDRESS_BOOK_V3_ETHEREUM;
  for (const a of [AB.POOL_ADDRESSES_PROVIDER, AB.POOL, AB.POOL_CONFIGURATOR, AB.ACL_MANAGER, AB.ORACLE, AB.AAVE_PROTOCOL_DATA_PROVIDER]) {
    if ((await deployer.provider!.getCode(a)) !== "0x") throw new Error(`mainnetShaped: ${a} already has code (a fork of mainnet needs no shaping)`);
  }

  // 1. Provider: owner and market id copied from a twin.
  const twin = await deployAave36<PoolAddressesProvider>("PoolAddressesProvider", deployer, ["Aave Ethereum Market (v3.6, mainnet-shaped)", me]);
  await moveCode(rpc, deployer, String(twin.target), AB.POOL_ADDRESSES_PROVIDER, [word(0n), word(1n)]);
  const addressesProvider = attachAave36<PoolAddressesProvider>("PoolAddressesProvider", AB.POOL_ADDRESSES_PROVIDER, deployer);
  if ((await addressesProvider.getFunction("owner")()) !== me) throw new Error("mainnetShaped: provider owner not moved");

  // 2. ACL.
  await send("provider.setACLAdmin", addressesProvider.setACLAdmin(me));
  const aclTwin = await deployAave36<ACLManager>("ACLManager", deployer, [AB.POOL_ADDRESSES_PROVIDER]);
  // AccessControl `_roles` at slot 0; RoleData.members at its base: slot(member) = keccak(account . keccak(role . 0)).
  const defaultAdminMembers = mappingSlot("bytes32", ZeroHash32, 0n);
  const adminBit = keccak256(coder.encode(["address", "uint256"], [me, defaultAdminMembers]));
  await moveCode(rpc, deployer, String(aclTwin.target), AB.ACL_MANAGER, [adminBit]);
  await send("provider.setACLManager", addressesProvider.setACLManager(AB.ACL_MANAGER));
  const aclManager = attachAave36<ACLManager>("ACLManager", AB.ACL_MANAGER, deployer);
  await send("ACLManager.addPoolAdmin(deployer)", aclManager.addPoolAdmin(me));
  await send("ACLManager.addAssetListingAdmin(deployer)", aclManager.addAssetListingAdmin(me));
  await send("ACLManager.addEmergencyAdmin(deployer)", aclManager.addEmergencyAdmin(me));
  await grantAaveRoles(aclManager, request.admins ?? {});

  // 3. Oracle (USD, 8 decimals, as mainnet).
  const oracleTwin = await deployAave36<AaveOracle>("AaveOracle", deployer, [AB.POOL_ADDRESSES_PROVIDER, [], [], ZeroAddress, ZeroAddress, 10n ** 8n]);
  await moveCode(rpc, deployer, String(oracleTwin.target), AB.ORACLE);
  await send("provider.setPriceOracle", addressesProvider.setPriceOracle(AB.ORACLE));

  // 4. Pool and PoolConfigurator proxies at the book's addresses (admin = the provider), then their implementations.
  const proxyArtifact = aave36Artifact(
    "misc/aave-upgradeability/InitializableImmutableAdminUpgradeabilityProxy.sol/InitializableImmutableAdminUpgradeabilityProxy.json",
  );
  const proxyTwin = await deployArtifact<{ getAddress(): Promise<string> }>(proxyArtifact, deployer, [AB.POOL_ADDRESSES_PROVIDER]);
  const addressesSlot = (id: string) => mappingSlot("bytes32", encodeBytes32String(id), 2n);
  for (const [id, at] of [["POOL", AB.POOL], ["POOL_CONFIGURATOR", AB.POOL_CONFIGURATOR]] as const) {
    await moveCode(rpc, deployer, await proxyTwin.getAddress(), at);
    await rpc("anvil_setStorageAt", [AB.POOL_ADDRESSES_PROVIDER, addressesSlot(id), word(BigInt(at))]);
  }
  const strategy = await deployAave36<{ getAddress(): Promise<string> }>("DefaultReserveInterestRateStrategyV2", deployer, [AB.POOL_ADDRESSES_PROVIDER]);
  const interestRateStrategy = await strategy.getAddress();
  const libraries = await deployAave36Libraries(deployer);
  const poolImpl = await (await deployAave36<Pool>("Pool", deployer, [AB.POOL_ADDRESSES_PROVIDER, interestRateStrategy], pool36Links(libraries))).getAddress();
  await send("provider.setPoolImpl (upgrades the proxy at POOL)", addressesProvider.setPoolImpl(poolImpl));
  const poolConfiguratorImpl = await (await deployAave36<PoolConfigurator>("PoolConfigurator", deployer, [], configurator36Links(libraries))).getAddress();
  await send("provider.setPoolConfiguratorImpl (upgrades the proxy at POOL_CONFIGURATOR)", addressesProvider.setPoolConfiguratorImpl(poolConfiguratorImpl));
  if ((await addressesProvider.getPool()) !== AB.POOL || (await addressesProvider.getPoolConfigurator()) !== AB.POOL_CONFIGURATOR) {
    throw new Error("mainnetShaped: the provider does not point at the address-book Pool / PoolConfigurator");
  }
  const pool = attachAave36<Pool>("Pool", AB.POOL, deployer);
  const poolConfigurator = attachAave36<PoolConfigurator>("PoolConfigurator", AB.POOL_CONFIGURATOR, deployer);

  // 5. Data provider (reads the Pool from the provider in its constructor).
  const dpTwin = await deployAave36<AaveProtocolDataProvider>("AaveProtocolDataProvider", deployer, [AB.POOL_ADDRESSES_PROVIDER]);
  await moveCode(rpc, deployer, String(dpTwin.target), AB.AAVE_PROTOCOL_DATA_PROVIDER);
  await send("provider.setPoolDataProvider", addressesProvider.setPoolDataProvider(AB.AAVE_PROTOCOL_DATA_PROVIDER));

  // 6. Token implementations.
  const aTokenImpl = await deployAave36<AToken>("AToken", deployer, [AB.POOL, ZeroAddress, me]);
  const variableDebtTokenImpl = await deployAave36<VariableDebtToken>("VariableDebtToken", deployer, [AB.POOL, ZeroAddress]);
  const c = poolConfigurator as unknown as { updateFlashloanPremium(p: number): Promise<never> };
  await send("PoolConfigurator.updateFlashloanPremium", c.updateFlashloanPremium(5));

  return {
    version: "3.6",
    deployer,
    addressesProvider,
    aclManager,
    pool,
    poolImpl,
    poolConfigurator,
    poolConfiguratorImpl,
    aaveOracle: attachAave36<AaveOracle>("AaveOracle", AB.ORACLE, deployer),
    dataProvider: attachAave36<AaveProtocolDataProvider>("AaveProtocolDataProvider", AB.AAVE_PROTOCOL_DATA_PROVIDER, deployer),
    aTokenImpl,
    stableDebtTokenImpl: null,
    variableDebtTokenImpl,
    libraries,
    treasury: me,
    baseCurrencyUnit: 10n ** 8n,
    interestRateStrategy,
  };
}

const ZeroHash32 = "0x" + "00".repeat(32);
