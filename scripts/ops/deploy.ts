/**
 * `cascade:deploy` implementation: config in, address book out.
 *
 *   1. load and validate `deployments/config/<network>.json`, check the chain id;
 *   2. if the address book already holds a deployment of the same config (same hash) whose contracts have code,
 *      deploy nothing; otherwise deploy through the network-agnostic `deployCascadeGuard` (scripts/guard)
 *      (rate adapters other than `getRate()` sources are deployed here first, from the config);
 *   3. apply the config's keeper bounds when they differ from deployCascadeGuard's defaults;
 *   4. the Aave-side grants: executed through `installCascadeGuard` when the deployer is the market's ACL admin
 *      and PoolAddressesProvider owner, else printed and written as a Safe Transaction Builder batch; the haircut
 *      module's asset configs (which write into Aave) follow once RISK_ADMIN is in place (re-run after governance);
 *   5. hand DEFAULT_ADMIN_ROLE over to `roles.governance` once nothing is left for the deployer to do;
 *   6. verify sources (when a verifier is given, i.e. an Etherscan key is set and the network is public);
 *   7. write the `cascadeGuard` section of `deployments/<network>.json` (addresses, blocks, tx hashes,
 *      constructor arguments, deployer, config hash, pending governance actions).
 */
import fs from "fs";
import path from "path";
import { AbiCoder, Contract, ContractFactory, Interface, InterfaceAbi, Provider, getAddress } from "ethers";
import { OpsContext } from "./context";
import { ACCESS_CONTROL_ABI, AAVE_ABIS, errorInterfaces, loadCascadeAbis } from "./abis";
import { CascadeDeployment, DeployedContract, addressBookPath, readAddressBook, writeCascadeDeployment } from "./addressBook";
import { LoadedNetworkConfig, RefContext, loadAaveMarket, loadNetworkConfig, networkConfigPath, resolveAddress } from "./config";
import { GovernanceActionPlan, canExecuteGovernance, executeGovernanceActions, planGovernanceActions } from "./governance";
import { buildSafeBatch } from "./safeBatch";
import { Logger, describeRevert, sendWithGasHeadroom, waitChecked } from "./tx";
import { renderTable } from "../../spec/table";
import { MODEL_PARAMS_FIELDS, type ModelParams, modelParamsFromStruct, modelParamsToStruct } from "../../spec/modelParams";
import { DEFAULT_MODEL_PARAMS_BOUNDS, checkDeclaredPricing, deployCascadeGuard, detectAavePricing, installCascadeGuard } from "../guard";
import { DEPLOYMENT_SCHEMA } from "../../spec/formats";
import { UserError } from "../../spec/errors";

export type VerifyStatus = NonNullable<DeployedContract["verified"]>;
export type Verifier = (c: { address: string; contractName: string; sourceName: string; constructorArgs: unknown[] }) => Promise<VerifyStatus>;

export interface CascadeDeployArgs {
  configFile?: string;
  addressBook?: string;
  /** Where the governance Safe batch goes (default deployments/<network>.governance-batch.json). */
  governanceBatch?: string;
  /** Source verification; undefined = skipped (no API key, or a local network). */
  verifier?: Verifier;
  /** Why verification is skipped, recorded in the address book. */
  verifySkipReason?: VerifyStatus;
  /** Deploy a new set even though the address book holds a live deployment made from a different config. */
  redeploy?: boolean;
  log?: Logger;
}

export interface CascadeDeployResult {
  deployment: CascadeDeployment;
  deployedNow: boolean;
  pendingGovernance: GovernanceActionPlan[];
  governanceBatchFile?: string;
}

/**
 * Finds the blocks and transactions that created `addresses`, scanning blocks [fromBlock, toBlock] for contract
 * creations sent by `from` and matching each receipt's `contractAddress`. Needs no archive state (unlike a binary
 * search on eth_getCode), so it works on an ordinary testnet RPC; the range is the deploy run's own blocks.
 */
export async function findCreations(req: {
  provider: Provider;
  addresses: readonly string[];
  from: string;
  fromBlock: number;
  toBlock: number;
}): Promise<Map<string, { blockNumber: number; txHash: string; data: string }>> {
  if (req.toBlock - req.fromBlock > 20_000) throw new Error(`findCreations: refusing to scan ${req.toBlock - req.fromBlock} blocks (${req.fromBlock}..${req.toBlock})`);
  const wanted = new Set(req.addresses.map((a) => getAddress(a)));
  const found = new Map<string, { blockNumber: number; txHash: string; data: string }>();
  for (let n = req.fromBlock; n <= req.toBlock && found.size < wanted.size; n++) {
    const block = await req.provider.getBlock(n, true);
    for (const tx of block?.prefetchedTransactions ?? []) {
      if (tx.to !== null || getAddress(tx.from) !== getAddress(req.from)) continue;
      const receipt = await req.provider.getTransactionReceipt(tx.hash);
      const created = receipt?.contractAddress ? getAddress(receipt.contractAddress) : undefined;
      if (created && wanted.has(created)) found.set(created, { blockNumber: n, txHash: tx.hash, data: tx.data });
    }
  }
  return found;
}

/** Constructor arguments decoded from the creation transaction's data (creation code + ABI-encoded arguments). */
export function decodeConstructorArgs(abi: InterfaceAbi, bytecode: string, data: string | null): unknown[] {
  const ctor = new Interface(abi).deploy;
  if (!data || ctor.inputs.length === 0) return [];
  const argsHex = "0x" + data.slice(bytecode.length);
  const decoded = AbiCoder.defaultAbiCoder().decode(ctor.inputs, argsHex).toArray(true);
  return decoded.map((v) => (typeof v === "bigint" ? v.toString() : v));
}

function stringifyArgs(args: unknown[]): unknown[] {
  return JSON.parse(JSON.stringify(args, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}

async function hasCode(provider: Provider, address: string): Promise<boolean> {
  return (await provider.getCode(address)) !== "0x";
}

function resolveArg(arg: string | number | null, field: string, ctx: RefContext): unknown {
  if (typeof arg === "string" && /^(0x[0-9a-fA-F]{40}|aave:|book:)/.test(arg)) return resolveAddress(arg, field, ctx);
  if (arg === null) return resolveAddress(null, field, ctx);
  return arg;
}

/**
 * Sets an asset's keeper bounds (and its current params) on the oracle when they differ from what is on-chain:
 * a static call first (a refusal names the config field, nothing sent), then the transaction. Returns whether it
 * sent one.
 */
export async function applyModelParamsBounds(req: {
  oracle: Contract;
  asset: string;
  bounds: { min: ModelParams; max: ModelParams; maxStep: ModelParams; minDelaySeconds: number };
  params: ModelParams;
  label: string;
  errorInterfaces: readonly Interface[];
  /** "file: field ..." prefix of the error when the oracle refuses the bounds. */
  configField: string;
}): Promise<boolean> {
  const { oracle, asset, bounds: want } = req;
  const onChain = await oracle.getModelParamsBounds(asset);
  const same =
    Number(onChain.minDelaySeconds) === want.minDelaySeconds &&
    (["min", "max", "maxStep"] as const).every((k) => MODEL_PARAMS_FIELDS.every((f) => modelParamsFromStruct(onChain[k])[f] === want[k][f]));
  if (same) return false;
  const boundsArgs = [
    asset,
    { min: modelParamsToStruct(want.min), max: modelParamsToStruct(want.max), maxStep: modelParamsToStruct(want.maxStep), minDelaySeconds: want.minDelaySeconds },
    modelParamsToStruct(req.params),
  ];
  try {
    await oracle.setModelParamsBounds.staticCall(...boundsArgs);
  } catch (err) {
    throw new UserError(`${req.configField}: the oracle refuses it: ${describeRevert(err, req.errorInterfaces)} (fix: keep the config's modelParams within its bounds, min <= max)`);
  }
  await waitChecked(`oracle.setModelParamsBounds(${req.label})`, sendWithGasHeadroom(oracle, "setModelParamsBounds", boundsArgs), req.errorInterfaces);
  return true;
}

/** Runs the whole deploy. Idempotent: a re-run with the same config deploys nothing and only finishes what is pending. */
export async function runCascadeDeploy(ctx: OpsContext, args: CascadeDeployArgs = {}): Promise<CascadeDeployResult> {
  const log = args.log ?? console.log;
  const configFile = args.configFile ?? networkConfigPath(ctx.root, ctx.networkName);
  const loaded: LoadedNetworkConfig = loadNetworkConfig(configFile);
  const cfg = loaded.config;
  const relConfig = path.relative(ctx.root, configFile) || configFile;
  const chainId = Number((await ctx.provider.getNetwork()).chainId);
  if (chainId !== cfg.chainId) {
    throw new UserError({
      file: configFile,
      field: "chainId",
      problem: `expected ${chainId} (connected network ${ctx.networkName})`,
      value: cfg.chainId,
      fix: "use the network config of the network you connect to, or pass --network",
    });
  }
  const signer = await ctx.getSigner();
  if (!signer) throw new UserError({ field: `--network ${ctx.networkName}`, problem: "no account to deploy from", fix: "npx hardhat vars set DEPLOYER_PRIVATE_KEY" });
  const deployer = getAddress(await signer.getAddress());
  const bookFile = args.addressBook ?? addressBookPath(ctx.root, ctx.networkName);
  const book = readAddressBook(bookFile);
  const refs: RefContext = { file: configFile, deployer, book, aaveMarket: cfg.aave.addressBook ? loadAaveMarket(cfg.aave.addressBook, configFile) : undefined };

  // Resolve everything before the first transaction: a bad reference stops the deploy with nothing sent.
  const addressesProvider = resolveAddress(cfg.aave.poolAddressesProvider, "aave.poolAddressesProvider", refs);
  if (!(await hasCode(ctx.provider, addressesProvider))) {
    throw new UserError({ file: configFile, field: "aave.poolAddressesProvider", problem: `no contract on ${ctx.networkName}`, value: addressesProvider, fix: "name the market's PoolAddressesProvider (or deploy the replica first: replica:deploy)" });
  }
  const roles = {
    governance: resolveAddress(cfg.roles.governance, "roles.governance", refs),
    riskKeeper: resolveAddress(cfg.roles.riskKeeper, "roles.riskKeeper", refs),
    guardian: resolveAddress(cfg.roles.guardian, "roles.guardian", refs),
    aaveAclAdmin: resolveAddress(cfg.roles.aaveAclAdmin, "roles.aaveAclAdmin", refs),
  };
  const assets = cfg.assets.map((a, i) => {
    const at = `assets.${i}`;
    return {
      cfg: a,
      symbol: a.symbol,
      asset: resolveAddress(a.underlying, `${at}.underlying`, refs),
      marketFeed: resolveAddress(a.oracle.marketFeed, `${at}.oracle.marketFeed`, refs),
      backingFeed: a.oracle.backingFeed === "none" ? undefined : resolveAddress(a.oracle.backingFeed, `${at}.oracle.backingFeed`, refs),
      rateAdapter: "address" in a.oracle.rateAdapter ? resolveAddress(a.oracle.rateAdapter.address, `${at}.oracle.rateAdapter.address`, refs) : undefined,
      adapterDeploy:
        "contract" in a.oracle.rateAdapter
          ? { contract: a.oracle.rateAdapter.contract, args: a.oracle.rateAdapter.args.map((x, j) => resolveArg(x, `${at}.oracle.rateAdapter.args.${j}`, refs)) }
          : undefined,
    };
  });
  const aaveProvider = new Contract(addressesProvider, AAVE_ABIS.addressesProvider, ctx.provider);
  const aave = {
    poolAddressesProvider: addressesProvider,
    pool: getAddress(await aaveProvider.getPool()),
    poolConfigurator: getAddress(await aaveProvider.getPoolConfigurator()),
    aclManager: getAddress(await aaveProvider.getACLManager()),
    aaveOracle: getAddress(await aaveProvider.getPriceOracle()),
  };
  const abis = loadCascadeAbis(ctx.artifacts);
  // The declared pricing against the market's oracle source, still before the first transaction (the guard's own
  // on-chain check compares prices, which agree under both regimes while the market trades at the rate).
  for (const [i, a] of assets.entries()) {
    const evidence = checkDeclaredPricing({
      file: configFile,
      field: `assets.${i}.pricing`,
      symbol: a.symbol,
      declared: a.cfg.pricing,
      evidence: await detectAavePricing({ runner: ctx.provider, aaveOracle: aave.aaveOracle, asset: a.asset }),
    });
    log(`cascade:deploy: ${a.symbol} priced by ${a.cfg.pricing} (${evidence.regime === "unknown" ? `declared; source ${evidence.source} not recognised, the guard checks prices on-chain` : evidence.how})`);
  }

  // ---- 2. deploy (or reuse)
  const previous = book.cascadeGuard as CascadeDeployment | undefined;
  let reuse = false;
  if (previous && previous.configHash === loaded.configHash && previous.chainId === chainId) {
    const codes = await Promise.all(Object.values(previous.contracts).map((c) => hasCode(ctx.provider, c.address)));
    reuse = codes.every(Boolean);
  }
  if (previous && !reuse && !args.redeploy) {
    const live = await Promise.all(Object.values(previous.contracts ?? {}).map((c) => hasCode(ctx.provider, c.address)));
    if (live.length && live.every(Boolean)) {
      throw new UserError(
        `${bookFile}: field cascadeGuard.configHash: the live deployment there was made from a different config ` +
          `(${previous.configHash.slice(0, 10)}…, now ${loaded.configHash.slice(0, 10)}…); nothing sent. ` +
          `Parameter changes go through params:push; to deploy a new set anyway pass --redeploy (the old contracts stay on-chain, the section is replaced).`,
      );
    }
  }
  let addresses: { riskOracle: string; haircutModule: string; pauseGuard: string; rateAdapters: Record<string, string>; assets: Record<string, string> };
  let gracePeriodAdapter: string | undefined;
  let deployedAt: string;
  let deployerOfRecord = deployer;
  let startBlock = 0;
  if (reuse) {
    const p = previous!;
    log(`cascade:deploy: ${bookFile} already holds a deployment of this config (hash ${loaded.configHash.slice(0, 10)}…); nothing redeployed`);
    addresses = {
      riskOracle: p.contracts.CollateralRiskOracle.address,
      pauseGuard: p.contracts.LiquidationPauseGuard.address,
      haircutModule: p.contracts.WideningHaircutModule?.address ?? "",
      rateAdapters: Object.fromEntries(Object.entries(p.assets).map(([s, a]) => [s, a.rateAdapter ?? ""])),
      assets: Object.fromEntries(Object.entries(p.assets).map(([s, a]) => [s, a.asset])),
    };
    deployedAt = p.deployedAt;
    deployerOfRecord = getAddress(p.deployer);
    gracePeriodAdapter = p.contracts.AaveGracePeriodAdapter?.address;
  } else {
    log(`cascade:deploy: deploying to ${ctx.networkName} (chain ${chainId}) from ${deployer} with ${relConfig}`);
    startBlock = (await ctx.provider.getBlockNumber()) + 1;
    for (const a of assets) {
      if (a.adapterDeploy) {
        const artifact = ctx.artifacts.readArtifactSync(a.adapterDeploy.contract) as unknown as { abi: InterfaceAbi; bytecode: string };
        const c = await new ContractFactory(artifact.abi, artifact.bytecode, signer).deploy(...a.adapterDeploy.args);
        await c.waitForDeployment();
        a.rateAdapter = getAddress(await c.getAddress());
        log(`  ${a.adapterDeploy.contract} for ${a.symbol}: ${a.rateAdapter}`);
      }
    }
    const result = await deployCascadeGuard({
      deployer: signer,
      addressesProvider,
      keeper: roles.riskKeeper,
      guardian: roles.guardian,
      assets: assets.map((a) => ({
        symbol: a.symbol,
        asset: a.asset,
        marketFeed: a.marketFeed,
        rateAdapter: a.rateAdapter,
        backingFeed: a.backingFeed,
        oracle: { ...a.cfg.oracle, minRateWad: BigInt(a.cfg.oracle.minRateWad), maxRateWad: BigInt(a.cfg.oracle.maxRateWad) },
        guard: a.cfg.guard ?? { enabled: false },
        modelParams: a.cfg.modelParams,
        haircut: a.cfg.haircut ?? undefined,
        pricing: a.cfg.pricing,
      })),
    });
    addresses = result.addresses;
    deployedAt = new Date().toISOString();
    if (cfg.gracePeriodAdapter) {
      // Aave v3.1+ only (its configurator has setReservePause(asset, paused, gracePeriod)); nothing to configure.
      const artifact = ctx.artifacts.readArtifactSync("AaveGracePeriodAdapter") as unknown as { abi: InterfaceAbi; bytecode: string };
      const c = await new ContractFactory(artifact.abi, artifact.bytecode, signer).deploy(addresses.pauseGuard, aave.poolConfigurator, aave.pool);
      await c.waitForDeployment();
      gracePeriodAdapter = getAddress(await c.getAddress());
      log(`  AaveGracePeriodAdapter: ${gracePeriodAdapter}`);
    }
    // 3. keeper bounds from the config (deployCascadeGuard sets its defaults).
    const oracle = new Contract(addresses.riskOracle, abis.oracle, signer);
    for (const a of assets) {
      const applied = await applyModelParamsBounds({
        oracle,
        asset: a.asset,
        bounds: a.cfg.modelParamsBounds,
        params: a.cfg.modelParams,
        label: a.symbol,
        errorInterfaces: errorInterfaces(abis),
        configField: `${configFile}: field assets.${assets.indexOf(a)}.modelParamsBounds`,
      });
      if (applied) log(`  oracle.setModelParamsBounds(${a.symbol}) from the config`);
    }
  }

  // ---- 4. Aave-side grants
  const haircutConfigs = Object.fromEntries(assets.flatMap((a) => (a.cfg.haircut ? [[a.asset, a.cfg.haircut] as const] : [])));
  const planActions = () =>
    planGovernanceActions({
      runner: ctx.provider,
      addressesProvider,
      haircutModule: addresses.haircutModule || addresses.riskOracle,
      guard: addresses.pauseGuard,
      installSentinel: cfg.installSentinel,
      gracePeriodAdapter,
    });
  let actions = (await planActions()).filter((a) => addresses.haircutModule || a.method !== "addRiskAdmin");
  const deployerIsAaveAdmin = await canExecuteGovernance({ runner: ctx.provider, addressesProvider, account: deployer });
  let governanceBatchFile: string | undefined;
  if (actions.some((a) => !a.done)) {
    if (deployerIsAaveAdmin) {
      log("cascade:deploy: the deployer is the market's ACL admin and PoolAddressesProvider owner: executing the grants");
      const report = await installCascadeGuard({ signer, addressesProvider, cascade: { addresses, haircutConfigs }, setSentinel: cfg.installSentinel });
      log(`  RISK_ADMIN granted: ${report.grantedRiskAdmin}; sentinel set: ${report.sentinelSet}; haircut assets configured: ${report.haircutAssetsConfigured.length}`);
      actions = (await planActions()).filter((a) => addresses.haircutModule || a.method !== "addRiskAdmin");
      // installCascadeGuard grants no EMERGENCY_ADMIN: the grace-period adapter's grant is sent here.
      await executeGovernanceActions({ signer, actions: actions.filter((a) => !a.done), log });
    } else {
      const pending = actions.filter((a) => !a.done);
      log(`cascade:deploy: ${pending.length} grant(s) the market's governance (${roles.aaveAclAdmin}) must execute:`);
      log(renderTable(["#", "contract", "call", "why"], pending.map((a, i) => [String(i + 1), `${a.contractName} ${a.to}`, `${a.method}(${a.args.join(", ")})`, a.description])));
      governanceBatchFile = args.governanceBatch ?? path.join(ctx.root, "deployments", `${ctx.networkName}.governance-batch.json`);
      const batch = buildSafeBatch({
        chainId,
        safeAddress: roles.aaveAclAdmin,
        name: "Cascade Guard: Aave role grants",
        description: pending.map((a) => a.description).join("; "),
        calls: pending.map((a) => a.batchCall),
        createdAtMs: Date.now(),
      });
      fs.mkdirSync(path.dirname(governanceBatchFile), { recursive: true });
      fs.writeFileSync(governanceBatchFile, JSON.stringify(batch, null, 2) + "\n");
      log(`  Safe Transaction Builder batch written to ${governanceBatchFile}; re-run cascade:deploy once it has been executed.`);
    }
  } else if (addresses.haircutModule && Object.keys(haircutConfigs).length) {
    // Grants already in place (e.g. executed by governance since the last run): configure the module's assets.
    const report = await installCascadeGuard({ signer, addressesProvider, cascade: { addresses, haircutConfigs }, setSentinel: cfg.installSentinel });
    if (report.haircutAssetsConfigured.length) log(`  haircut module: configured ${report.haircutAssetsConfigured.length} asset(s) (state from the on-chain values, nothing written into Aave)`);
  }
  const pendingGovernance = actions.filter((a) => !a.done);

  // ---- 5. hand DEFAULT_ADMIN_ROLE to governance once the deployer has nothing left to do: two steps
  // (AccessControlDefaultAdminRules): the deployer begins the transfer, governance accepts it after the delay.
  const ours = [addresses.riskOracle, addresses.pauseGuard, addresses.haircutModule].filter(Boolean);
  if (roles.governance !== deployer) {
    if (pendingGovernance.length) {
      log(`cascade:deploy: the deployer keeps DEFAULT_ADMIN_ROLE until the Aave grants land (it still has to configure the haircut module); re-run afterwards to hand it to ${roles.governance}`);
    } else {
      for (const address of ours) {
        const c = new Contract(address, ACCESS_CONTROL_ABI, signer);
        if (getAddress(await c.defaultAdmin()) === getAddress(roles.governance)) continue;
        const [pending, schedule] = await c.pendingDefaultAdmin();
        if (getAddress(pending) !== getAddress(roles.governance)) {
          await waitChecked(`beginDefaultAdminTransfer(${roles.governance}) on ${address}`, sendWithGasHeadroom(c, "beginDefaultAdminTransfer", [roles.governance]), errorInterfaces(abis));
          const [, at] = await c.pendingDefaultAdmin();
          log(`  DEFAULT_ADMIN_ROLE on ${address}: transfer to ${roles.governance} begun; governance calls acceptDefaultAdminTransfer() from ${new Date(Number(at) * 1000).toISOString()}`);
        } else {
          log(`  DEFAULT_ADMIN_ROLE on ${address}: transfer to ${roles.governance} pending; governance calls acceptDefaultAdminTransfer() from ${new Date(Number(schedule) * 1000).toISOString()}`);
        }
      }
    }
  }

  // ---- 6/7. describe, verify, write the address book
  const latest = await ctx.provider.getBlockNumber();
  const contracts: Record<string, DeployedContract> = {};
  const toDescribe: { key: string; address: string; contractName: string }[] = [];
  const describe = async (key: string, address: string, contractName: string) => {
    const prev = previous?.contracts[key];
    if (reuse && prev && getAddress(prev.address) === getAddress(address)) contracts[key] = prev;
    else toDescribe.push({ key, address: getAddress(address), contractName });
  };
  await describe("CollateralRiskOracle", addresses.riskOracle, "CollateralRiskOracle");
  await describe("LiquidationPauseGuard", addresses.pauseGuard, "LiquidationPauseGuard");
  if (addresses.haircutModule) await describe("WideningHaircutModule", addresses.haircutModule, "WideningHaircutModule");
  if (gracePeriodAdapter) await describe("AaveGracePeriodAdapter", gracePeriodAdapter, "AaveGracePeriodAdapter");
  for (const a of assets) {
    // Adapters deployed by cascade:deploy (config `rateAdapter.contract`); existing adapters are only referenced.
    const key = `RateAdapter:${a.symbol}`;
    const adapter = addresses.rateAdapters[a.symbol];
    if (adapter && (reuse ? previous?.contracts[key] !== undefined : a.adapterDeploy !== undefined)) {
      await describe(key, adapter, a.adapterDeploy?.contract ?? previous!.contracts[key].contractName);
    }
  }
  if (toDescribe.length) {
    const creations = await findCreations({ provider: ctx.provider, addresses: toDescribe.map((c) => c.address), from: deployer, fromBlock: startBlock, toBlock: latest });
    for (const c of toDescribe) {
      const creation = creations.get(c.address);
      if (!creation) throw new Error(`cascade:deploy: no creation transaction from ${deployer} for ${c.key} ${c.address} in blocks ${startBlock}..${latest}`);
      const artifact = ctx.artifacts.readArtifactSync(c.contractName) as unknown as { abi: InterfaceAbi; bytecode: string };
      contracts[c.key] = {
        address: c.address,
        contractName: c.contractName,
        blockNumber: creation.blockNumber,
        txHash: creation.txHash,
        constructorArgs: stringifyArgs(decodeConstructorArgs(artifact.abi, artifact.bytecode, creation.data)),
      };
    }
  }
  for (const [key, c] of Object.entries(contracts)) {
    if (c.verified === "verified" || c.verified === "already-verified") continue;
    if (!args.verifier) {
      c.verified = args.verifySkipReason ?? "skipped-local";
      continue;
    }
    const artifact = ctx.artifacts.readArtifactSync(c.contractName) as unknown as { sourceName: string };
    c.verified = await args.verifier({ address: c.address, contractName: c.contractName, sourceName: artifact.sourceName, constructorArgs: c.constructorArgs });
    log(`  verify ${key}: ${c.verified}`);
  }

  const deployment: CascadeDeployment = {
    schema: DEPLOYMENT_SCHEMA,
    network: ctx.networkName,
    chainId,
    deployer: deployerOfRecord,
    deployedAt,
    configFile: relConfig,
    configHash: loaded.configHash,
    aave,
    contracts,
    assets: Object.fromEntries(assets.map((a) => [a.symbol, { asset: a.asset, rateAdapter: addresses.rateAdapters[a.symbol], marketFeed: a.marketFeed }])),
    roles: { governance: roles.governance, riskKeeper: roles.riskKeeper, guardian: roles.guardian, aaveAclAdmin: roles.aaveAclAdmin },
    governanceActions: actions.map(({ batchCall: _b, ...rest }) => rest),
  };
  writeCascadeDeployment(bookFile, deployment);
  log(renderTable(["contract", "address", "block"], Object.entries(contracts).map(([k, c]) => [k, c.address, String(c.blockNumber)])));
  log(`cascade:deploy: address book written to ${bookFile}${pendingGovernance.length ? `; ${pendingGovernance.length} governance action(s) pending` : ""}`);
  return { deployment, deployedNow: !reuse, pendingGovernance, governanceBatchFile };
}

