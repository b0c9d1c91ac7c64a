/**
 * Fork mode: the same replay on a fork of a chain that runs Aave v3 (a true mainnet fork needs an archive RPC URL in
 * FORK_URL; CI forks a local anvil that holds the replica). Steps:
 *  1. the addresses provider: `FORK_POOL_ADDRESSES_PROVIDER`, else Aave v3 Ethereum Core from
 *     `@aave-dao/aave-address-book` (`AaveV3Ethereum.POOL_ADDRESSES_PROVIDER`); Pool, ACL manager, oracle, data
 *     provider and configurator are read from it on-chain;
 *  2. the Aave generation is probed (`detectAaveVersion`);
 *  3. the ACL admin (the governance executor on mainnet, `AaveV3Ethereum.ACL_ADMIN`; the on-chain
 *     `getACLAdmin()` wins if they differ) and the provider owner are impersonated to grant our operator
 *     POOL_ADMIN, RISK_ADMIN and EMERGENCY_ADMIN;
 *  4. the collateral and WETH are found by `symbol()` among the Pool's reserves; the collateral's AaveOracle source is
 *     pointed at a scenario feed (`setAssetSources` as pool admin); its supply cap is lifted and the reserve
 *     unfrozen if needed so seeded positions fit (documented deviation from the live market);
 *  5. positions are seeded (balances written into token storage); the DEX is the off-chain constant-product pool
 *     (scenario flows cannot be pushed through real AMMs without their liquidity providers).
 */
import { AaveV3Ethereum } from "@aave-dao/aave-address-book";
import { Contract, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { aaveOracleAt, dataProviderAt, poolAt } from "./aaveHandles";
import { eModeReaderV30, type EModeValues, type FeedPorts } from "./chainWorld";
import { OffchainDexPort } from "./dexPorts";
import { openPopulation } from "./population";
import type { AaveVenueContext, MarketSetup, PreparedMarket } from "./marketSetup";
import { installGuardOnMarket } from "./guardInstall";
import { detectAaveVersion, type AaveVersionInfo } from "../markets/fork/aaveVersion";
import { fundErc20, impersonate } from "../markets/fork/chainHelpers";

const PROVIDER_ABI = [
  "function getPool() view returns (address)",
  "function getACLManager() view returns (address)",
  "function getACLAdmin() view returns (address)",
  "function getPriceOracle() view returns (address)",
  "function getPoolDataProvider() view returns (address)",
  "function getPoolConfigurator() view returns (address)",
  "function owner() view returns (address)",
];
const ZERO_HASH = "0x" + "00".repeat(32);
const ACL_ABI = [
  "function hasRole(bytes32 role, address account) view returns (bool)",
  "function grantRole(bytes32 role, address account)",
  "function addPoolAdmin(address)",
  "function addRiskAdmin(address)",
  "function addEmergencyAdmin(address)",
  "function isPoolAdmin(address) view returns (bool)",
];
const CONFIGURATOR_ABI = [
  "function setSupplyCap(address asset, uint256 cap)",
  "function setReserveFreeze(address asset, bool freeze)",
];
const SYMBOL_ABI = ["function symbol() view returns (string)", "function decimals() view returns (uint8)"];
const EMODE_V32_ABI = [
  "function getEModeCategoryCollateralConfig(uint8 id) view returns (tuple(uint16 ltv, uint16 liquidationThreshold, uint16 liquidationBonus))",
  "function getEModeCategoryCollateralBitmap(uint8 id) view returns (uint128)",
  "function getReserveData(address asset) view returns (tuple(uint256 configuration, uint128 liquidityIndex, uint128 currentLiquidityRate, uint128 variableBorrowIndex, uint128 currentVariableBorrowRate, uint128 currentStableBorrowRate, uint40 lastUpdateTimestamp, uint16 id, address aTokenAddress, address stableDebtTokenAddress, address variableDebtTokenAddress, address interestRateStrategyAddress, uint128 accruedToTreasury, uint128 unbacked, uint128 isolationModeTotalDebt))",
];

/** What fork mode found on the chain; printed by the task and recorded in docs. */
export interface ForkInfo {
  addressesProvider: string;
  pool: string;
  aclAdmin: string;
  aclAdminFromBook: string;
  version: AaveVersionInfo;
  collateral: string;
  weth: string;
  eModeCategoryId: number;
}

export let lastForkInfo: ForkInfo | undefined;

/** Symbols we accept for a scenario's collateral on a fork (stETH scenarios use wstETH on Aave v3). */
function symbolsFor(collateral: string): string[] {
  return collateral === "stETH" ? ["wstETH", "stETH"] : [collateral];
}

async function findEModeCategory(
  hre: HardhatRuntimeEnvironment,
  info: AaveVersionInfo,
  pool: string,
  dataProvider: string,
  asset: string,
): Promise<number> {
  if (info.eModeAbi === "v3.0") {
    const dp = new Contract(dataProvider, ["function getReserveEModeCategory(address) view returns (uint256)"], hre.ethers.provider);
    return Number(await dp.getReserveEModeCategory(asset));
  }
  const p = new Contract(pool, EMODE_V32_ABI, hre.ethers.provider);
  const id = Number((await p.getReserveData(asset)).id);
  for (let c = 1; c < 256; c++) {
    try {
      const bitmap = (await p.getEModeCategoryCollateralBitmap(c)) as bigint;
      if ((bitmap >> BigInt(id)) & 1n) return c;
    } catch {
      return 0;
    }
  }
  return 0;
}

export const forkMarketSetup: MarketSetup = async ({ hre, scenario, scenarioFile }): Promise<PreparedMarket> => {
  const { ethers } = hre;
  // Calls at the fork block itself run under the forked chain's hardfork history, which Hardhat knows only for
  // public chains (an anvil fork has chain id 31337): mine one local block so every call runs on our hardfork.
  await hre.network.provider.send("evm_mine", []);
  const [operator, liquidator, attacker, keeper] = await ethers.getSigners();
  const operatorAddr = await operator.getAddress();
  const apAddr = process.env.FORK_POOL_ADDRESSES_PROVIDER ?? AaveV3Ethereum.POOL_ADDRESSES_PROVIDER;
  if ((await ethers.provider.getCode(apAddr)) === "0x") {
    throw new Error(`fork: no contract at the Aave addresses provider ${apAddr} (FORK_URL=${process.env.FORK_URL ?? "unset"}, FORK_BLOCK=${process.env.FORK_BLOCK ?? "latest"}); a mainnet fork needs an archive RPC URL`);
  }
  const ap = new Contract(apAddr, PROVIDER_ABI, ethers.provider);
  const [poolAddr, aclAddr, oracleAddr, dpAddr, configuratorAddr, aclAdmin, owner] = (await Promise.all([
    ap.getPool(), ap.getACLManager(), ap.getPriceOracle(), ap.getPoolDataProvider(), ap.getPoolConfigurator(), ap.getACLAdmin(), ap.owner(),
  ])) as string[];
  const version = await detectAaveVersion({ provider: ethers.provider, pool: poolAddr, addressesProvider: apAddr });

  // Admin roles for our operator, granted by the impersonated ACL admin.
  const admin = await impersonate(hre, aclAdmin);
  const acl = new Contract(aclAddr, ACL_ABI, admin);
  if (!(await acl.isPoolAdmin(operatorAddr))) {
    await (await acl.addPoolAdmin(operatorAddr)).wait();
    await (await acl.addRiskAdmin(operatorAddr)).wait();
    await (await acl.addEmergencyAdmin(operatorAddr)).wait();
  }
  // The installer grants RISK_ADMIN (needs the ACL's DEFAULT_ADMIN) and sets the sentinel (needs the provider's
  // owner) with one signer: on the fork, our operator receives both from the impersonated governance.
  if (!(await acl.hasRole(ZERO_HASH, operatorAddr))) await (await acl.grantRole(ZERO_HASH, operatorAddr)).wait();
  if (owner.toLowerCase() !== operatorAddr.toLowerCase()) {
    await (await new Contract(apAddr, ["function transferOwnership(address)"], await impersonate(hre, owner)).transferOwnership(operatorAddr)).wait();
  }

  const pool = poolAt(poolAddr, operator);
  const aaveOracle = aaveOracleAt(oracleAddr, operator);
  const dataProvider = dataProviderAt(dpAddr, operator);
  const reserves = await pool.getReservesList();
  const bySymbol = new Map<string, { address: string; decimals: number; symbol: string }>();
  for (const r of reserves) {
    try {
      const t = new Contract(r, SYMBOL_ABI, ethers.provider);
      const sym = String(await t.symbol());
      bySymbol.set(sym, { address: r, decimals: Number(await t.decimals()), symbol: sym });
    } catch {
      /* a reserve without symbol(): not ours */
    }
  }
  const coll = symbolsFor(scenario.collateral).map((s) => bySymbol.get(s)).find((x) => x !== undefined);
  const weth = bySymbol.get("WETH");
  if (!coll) throw new Error(`fork: no reserve with symbol ${symbolsFor(scenario.collateral).join("/")} on the Pool ${poolAddr} (scenario field /collateral)`);
  if (!weth) throw new Error(`fork: no WETH reserve on the Pool ${poolAddr}`);

  // The collateral's Aave price follows a scenario feed: USD with 8 decimals = ETH price x WETH's Aave price.
  const feedFactory = await ethers.getContractFactory("ReplicaFeed", operator);
  const wethUsd8 = await aaveOracle.getAssetPrice(weth.address);
  const aaveFeed = await feedFactory.deploy(8, `${scenario.collateral} / USD (scenario)`, wethUsd8, operatorAddr);
  const marketFeed = await feedFactory.deploy(18, `${scenario.collateral} / ETH market (scenario)`, 10n ** 18n, operatorAddr);
  const backingFeed = await feedFactory.deploy(18, `${scenario.collateral} backing / token (scenario)`, 10n ** 18n, operatorAddr);
  const rateFactory = await ethers.getContractFactory("ReplicaRateProvider", operator);
  const rateProvider = await rateFactory.deploy(10n ** 18n, operatorAddr);
  await Promise.all([aaveFeed.waitForDeployment(), marketFeed.waitForDeployment(), backingFeed.waitForDeployment(), rateProvider.waitForDeployment()]);
  await (await aaveOracle.setAssetSources([coll.address], [await aaveFeed.getAddress()])).wait();

  // Room for seeded positions and the attacker; the reserve must accept supplies.
  const configurator = new Contract(configuratorAddr, CONFIGURATOR_ABI, operator);
  await (await configurator.setSupplyCap(coll.address, 0)).wait();
  const cfg = await dataProvider.getReserveConfigurationData(coll.address);
  if (cfg.isFrozen) await (await configurator.setReserveFreeze(coll.address, false)).wait();

  const eModeCategoryId = scenario.emode ? await findEModeCategory(hre, version, poolAddr, dpAddr, coll.address) : 0;
  if (scenario.emode && eModeCategoryId === 0) throw new Error(`fork: ${scenario.collateral} is in no eMode category on this Pool (scenario field /emode)`);
  const eModeConfig: (id: number) => Promise<EModeValues> =
    version.eModeAbi === "v3.0"
      ? eModeReaderV30(pool)
      : async (id) => {
          const c = await new Contract(poolAddr, EMODE_V32_ABI, ethers.provider).getEModeCategoryCollateralConfig(id);
          return { ltvBps: Number(c.ltv), ltBps: Number(c.liquidationThreshold), bonusBps: Number(c.liquidationBonus) };
        };

  const wad = (x: number) => BigInt(Math.round(x * 1e9)) * 10n ** 9n;
  const feeds: FeedPorts = {
    setAaveCollateralPrice: async (p) => {
      await (await aaveFeed.getFunction("setAnswer")((wad(p) * wethUsd8) / 10n ** 18n)).wait();
    },
    setMarketPrice: async (p) => {
      await (await marketFeed.getFunction("setAnswer")(wad(p))).wait();
    },
    setExchangeRate: async (r) => {
      await (await rateProvider.getFunction("setRate")(wad(r))).wait();
    },
    setBackingPerToken: async (b) => {
      await (await backingFeed.getFunction("setAnswer")(wad(b))).wait();
    },
  };

  lastForkInfo = {
    addressesProvider: apAddr,
    pool: poolAddr,
    aclAdmin,
    aclAdminFromBook: AaveV3Ethereum.ACL_ADMIN,
    version,
    collateral: coll.address,
    weth: weth.address,
    eModeCategoryId,
  };

  const addrs = {
    marketFeed: await marketFeed.getAddress(),
    rateProvider: await rateProvider.getAddress(),
    backingFeed: await backingFeed.getAddress(),
  };
  const signerFor = async (address: string): Promise<Signer> => impersonate(hre, address);
  const ctx: AaveVenueContext = {
      rpc: (m, p) => hre.network.provider.send(m, p as unknown[]),
      latestTimestamp: async () => (await ethers.provider.getBlock("latest"))!.timestamp,
      pool,
      dataProvider,
      aaveOracle,
      collateral: coll.address,
      collateralDecimals: coll.decimals,
      weth: weth.address,
      wethDecimals: weth.decimals,
      eModeCategoryId,
      eModeConfig,
      features: { gracePeriod: version.hasGracePeriod, deficit: version.hasDeficit },
      feeds,
      dex: new OffchainDexPort(coll.address, coll.decimals, scenario.dex.depth, scenario.path[0].marketPrice ?? 1),
      fund: (token, to, amount) => fundErc20(hre, token, to, amount),
      liquidator,
      attacker,
      keeper,
  };
  const notes = [
    `fork: FORK_URL=${process.env.FORK_URL ?? "(unset)"} FORK_BLOCK=${process.env.FORK_BLOCK ?? "latest"}`,
    `fork: Aave ${version.generation} (POOL_REVISION ${version.poolRevision}, liquidation grace period ${version.hasGracePeriod ? "yes" : "no"}, eMode ABI ${version.eModeAbi}, sentinel ${version.sentinel ?? "n/a"})`,
    `fork: addresses provider ${apAddr}, Pool ${poolAddr}; ACL admin ${aclAdmin} impersonated${aclAdmin.toLowerCase() === AaveV3Ethereum.ACL_ADMIN.toLowerCase() ? " (= AaveV3Ethereum.ACL_ADMIN)" : ` (address book says ${AaveV3Ethereum.ACL_ADMIN})`}`,
    `fork: collateral ${coll.symbol} ${coll.address} priced by a scenario feed through AaveOracle.setAssetSources; eMode category ${eModeCategoryId}`,
  ];
  return {
    mode: "fork",
    aaveVersion: version.generation,
    notes,
    ctx,
    openPopulation: async ({ extraWethLiquidity, onProgress }) => {
      const exo0 = scenario.path[0];
      const startOraclePrice = (scenario.oracle === "market" ? exo0.marketPrice : exo0.exchangeRate) ?? 1;
      return openPopulation({ scenario, ctx, signerFor, startOraclePrice, extraWethLiquidity, onProgress });
    },
    installGuard: ({ params }) =>
      installGuardOnMarket({
        hre,
        operator,
        addressesProvider: apAddr,
        collateral: coll.address,
        collateralSymbol: coll.symbol,
        marketFeed: addrs.marketFeed,
        rateProvider: addrs.rateProvider,
        backingFeed: addrs.backingFeed,
        eModeCategoryId,
        eModeConfig,
        generation: version.generation,
        params,
        scenario,
        scenarioFile,
      }),
  };
};
