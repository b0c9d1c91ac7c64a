/**
 * `risk:status` and `keeper:run` implementations (the task files only parse arguments). Both read the
 * deployment's addresses from `deployments/<network>.json` (section `cascadeGuard`, written by `cascade:deploy`).
 */
import { UserError } from "../../spec/errors";
import { OpsContext, keeperSigner } from "./context";
import { Contract, getAddress, isAddress } from "ethers";
import { AAVE_ABIS, loadCascadeAbis } from "./abis";
import { CascadeDeployment, addressBookPath, readAddressBook, readCascadeDeployment } from "./addressBook";
import { KeeperImpactGate, keeperLoop } from "./keeper";
import { impactSummaryLine } from "./impact/check";
import { renderImpact } from "./impact/render";
import { ImpactArgs, appendParamsHistory, historyImpact, parseImpactOptions, runImpactCheck } from "./impact/run";
import { readRoleHolders, readStatus, renderRoles, renderStatus, AssetStatus } from "./status";
import { Logger } from "./tx";
import { readMorphoStatus, renderMorphoStatus } from "./morphoStatus";

function symbolTable(d: CascadeDeployment): { toAsset: Record<string, string>; toSymbol: Record<string, string> } {
  const toAsset: Record<string, string> = {};
  const toSymbol: Record<string, string> = {};
  for (const [symbol, a] of Object.entries(d.assets)) {
    toAsset[symbol] = getAddress(a.asset);
    toSymbol[getAddress(a.asset)] = symbol;
  }
  return { toAsset, toSymbol };
}

/** Resolves `--asset` (a symbol from the address book or an address). */
export function resolveAssetArg(asset: string | undefined, d: CascadeDeployment, file: string): string[] | undefined {
  if (!asset) return undefined;
  const { toAsset } = symbolTable(d);
  if (toAsset[asset]) return [toAsset[asset]];
  if (isAddress(asset)) return [getAddress(asset)];
  throw new UserError({ field: "--asset", problem: `not a symbol in ${file} (known: ${Object.keys(toAsset).join(", ")}) nor an address`, value: asset, fix: "pass one of the known symbols or an asset address" });
}

/** The accounts whose roles risk:status shows: the configured keys, the address book's role holders and deployer. */
export async function roleCandidates(ctx: OpsContext, d: CascadeDeployment): Promise<Array<{ account: string; label: string }>> {
  const out: Array<{ account: string; label: string }> = [];
  const deployer = await ctx.getSigner();
  if (deployer) out.push({ account: await deployer.getAddress(), label: "deployer key (DEPLOYER_PRIVATE_KEY / first account)" });
  const keeper = await ctx.getKeeperSigner?.();
  if (keeper) out.push({ account: await keeper.getAddress(), label: "keeper key (KEEPER_PRIVATE_KEY)" });
  for (const [role, account] of Object.entries(d.roles)) out.push({ account, label: `address book roles.${role}` });
  out.push({ account: d.deployer, label: "address book deployer" });
  return out;
}

export async function runRiskStatus(
  ctx: OpsContext,
  args: { asset?: string; json?: boolean; addressBook?: string },
  log: Logger = console.log,
): Promise<AssetStatus[]> {
  const file = args.addressBook ?? addressBookPath(ctx.root, ctx.networkName);
  // Morpho markets (replica:deploy --venue morpho) are shown first; a book with only Morpho markets stops there.
  const book = readAddressBook(file);
  if (book.morpho) {
    const rows = await readMorphoStatus({ provider: ctx.provider, section: book.morpho as never, asset: args.asset });
    if (args.json) log(JSON.stringify({ morpho: rows }, null, 2));
    else log(`Morpho Blue ${(book.morpho as { morpho: string }).morpho} on ${ctx.networkName}\n${renderMorphoStatus(rows)}`);
    if (!book.cascadeGuard) return [];
  }
  const d = readCascadeDeployment(file);
  const statuses = await readStatus({
    runner: ctx.provider,
    addresses: {
      oracle: d.contracts.CollateralRiskOracle.address,
      haircutModule: d.contracts.WideningHaircutModule?.address,
      guard: d.contracts.LiquidationPauseGuard?.address,
      pool: d.aave.pool,
      aaveOracle: d.aave.aaveOracle,
    },
    abis: loadCascadeAbis(ctx.artifacts),
    assets: resolveAssetArg(args.asset, d, file),
    symbols: symbolTable(d).toSymbol,
  });
  if (args.json) log(JSON.stringify(statuses, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2));
  else {
    // Is Cascade Guard actually wired into the market? (governance may not have executed the grants yet)
    const provider = new Contract(d.aave.poolAddressesProvider, AAVE_ABIS.addressesProvider, ctx.provider);
    const acl = new Contract(d.aave.aclManager, AAVE_ABIS.aclManager, ctx.provider);
    const sentinel = getAddress(await provider.getPriceOracleSentinel());
    const guard = d.contracts.LiquidationPauseGuard?.address;
    const module = d.contracts.WideningHaircutModule?.address;
    log(`market ${d.aave.pool} on ${ctx.networkName}`);
    if (guard) log(`  price oracle sentinel: ${sentinel === getAddress(guard) ? "our LiquidationPauseGuard" : `NOT our guard (${sentinel})`}`);
    if (module) log(`  WideningHaircutModule RISK_ADMIN: ${(await acl.isRiskAdmin(module)) ? "yes" : "NO (grant pending: haircuts cannot be written)"}`);
    log(renderStatus(statuses));
    log("");
    log(renderRoles(await readRoleHolders({ runner: ctx.provider, addresses: { oracle: d.contracts.CollateralRiskOracle.address, haircutModule: module, guard }, abis: loadCascadeAbis(ctx.artifacts), candidates: await roleCandidates(ctx, d) })));
  }
  return statuses;
}

/**
 * The keeper's impact gate: a step that lowers an LT is applied on a fork first; one the policy refuses is skipped
 * (nothing sent) unless `--accept-impact` was given, or the asset is IMPAIRED (a real loss: the cut is the
 * protection, never hold it back; the impact is logged). Unreachable fork or bad options: the step is skipped.
 */
export function keeperImpactGate(req: { ctx: OpsContext; d: CascadeDeployment; bookFile: string; keeper: string; args: ImpactArgs; log: Logger }): KeeperImpactGate {
  const abis = loadCascadeAbis(req.ctx.artifacts);
  return async (step) => {
    if (!req.ctx.rpcUrl) return { send: true, reason: `not checked: network ${req.ctx.networkName} has no RPC URL to fork` };
    let impact;
    try {
      impact = await runImpactCheck({
        ctx: req.ctx,
        deployment: req.d,
        abis,
        writes: [{ label: `haircut.poke(${step.symbol})`, from: req.keeper, to: step.to, data: step.data }],
        args: req.args,
        noKeeperPoke: true,
        horizonHours: 0,
        log: () => undefined,
      });
    } catch (err) {
      return { send: false, reason: `impact check failed, step not sent: ${(err as Error).message.split("\n")[0]}` };
    }
    const line = impactSummaryLine(impact);
    if (!impact.refused) return { send: true, reason: line };
    req.log(renderImpact(impact));
    if (step.impaired) return { send: true, reason: `${line}; sent anyway: ${step.symbol} is IMPAIRED (real loss), the cut is the protection` };
    if (impact.accepted) {
      appendParamsHistory(req.bookFile, { at: new Date().toISOString(), command: "keeper:run", mode: "execute", calls: [`haircut.poke(${step.symbol})`], txHashes: [], ...historyImpact(impact) });
      return { send: true, reason: `${line}; accepted by the operator: ${impact.accepted.reason}` };
    }
    return { send: false, reason: `impact check refused: ${impact.refusals.join("; ")}${impact.newlyLiquidatable.length ? `; accounts: ${impact.newlyLiquidatable.map((a) => a.account).join(", ")}` : ""}` };
  };
}

/**
 * The deployment the keeper drives: the `cascadeGuard` section, else (a Morpho-only book from `replica:deploy
 * --venue morpho`) the risk oracle and pause guard of the `morpho` section, with its collaterals as assets (no
 * haircut module on Morpho: poke the oracle, trip/release the guard).
 */
function keeperDeployment(file: string): CascadeDeployment {
  const book = readAddressBook(file);
  const m = book.morpho as { cascadeGuard?: { riskOracle: string; pauseGuard: string }; markets?: Record<string, { collateral: string }> } | undefined;
  if (book.cascadeGuard || !m) return readCascadeDeployment(file);
  if (!m.cascadeGuard) throw new Error(`${file}: morpho.cascadeGuard: expected the risk oracle and guard addresses; found none (deployed with --skip-guard?)`);
  const contract = (address: string, contractName: string) => ({ address, contractName, blockNumber: 0, txHash: null, constructorArgs: [] });
  return {
    contracts: { CollateralRiskOracle: contract(m.cascadeGuard.riskOracle, "CollateralRiskOracle"), LiquidationPauseGuard: contract(m.cascadeGuard.pauseGuard, "LiquidationPauseGuard") },
    assets: Object.fromEntries(Object.entries(m.markets ?? {}).map(([symbol, x]) => [symbol, { asset: x.collateral }])),
  } as unknown as CascadeDeployment;
}

export async function runKeeper(
  ctx: OpsContext,
  args: { interval: number; once: boolean; asset?: string; addressBook?: string; maxRounds?: number } & ImpactArgs,
  log: Logger = (l) => console.log(`${new Date().toISOString()} ${l}`),
): Promise<void> {
  const file = args.addressBook ?? addressBookPath(ctx.root, ctx.networkName);
  const d = keeperDeployment(file);
  if (!(args.interval > 0)) throw new UserError({ field: "--interval", problem: "expected seconds above 0", value: args.interval });
  parseImpactOptions(args);
  const signer = await keeperSigner(ctx, log);
  let stop = false;
  const onSignal = () => {
    log("keeper: stopping after this round");
    stop = true;
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  log(`keeper: ${await signer.getAddress()} on ${ctx.networkName}, every ${args.interval}s${args.once ? " (once)" : ""}`);
  try {
    await keeperLoop({
      signer,
      addresses: {
        oracle: d.contracts.CollateralRiskOracle.address,
        haircutModule: d.contracts.WideningHaircutModule?.address,
        guard: d.contracts.LiquidationPauseGuard?.address,
        gracePeriodAdapter: d.contracts.AaveGracePeriodAdapter?.address,
      },
      abis: loadCascadeAbis(ctx.artifacts),
      assets: resolveAssetArg(args.asset, d, file),
      symbols: symbolTable(d).toSymbol,
      log,
      impactGate: keeperImpactGate({ ctx, d, bookFile: file, keeper: await signer.getAddress(), args, log }),
      intervalSeconds: args.interval,
      once: args.once,
      maxRounds: args.maxRounds,
      shouldStop: () => stop,
    });
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}
