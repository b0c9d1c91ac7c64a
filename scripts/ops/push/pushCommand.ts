/**
 * `params:push` implementation (the task file only parses arguments).
 *   default          print the diff, the calls and their impact on real positions; send nothing
 *   --execute        send (RISK_KEEPER_ROLE calls with the keeper key, governance calls with the deployer), read
 *                    back after each write, fail loudly on a mismatch
 *   --safe-batch F   write a Safe Transaction Builder batch of the calls instead of sending
 * Refused values (outside the contracts' bounds) stop every mode before anything is sent or written. Then the
 * impact check (scripts/ops/impact/) applies the exact calls on a fork of the network, pokes as the next keeper would,
 * and refuses a change that liquidates more than the policy allows, lowers a price without a rate fall, or breaks a
 * linked value, unless the operator passes --accept-impact "<reason>" (recorded in the Safe batch description and
 * the address book's `paramsHistory`).
 */
import { UserError } from "../../../spec/errors";
import fs from "fs";
import { Contract, Signer, getAddress } from "ethers";
import path from "path";
import { OpsContext, keeperSigner } from "../context";
import { loadCascadeAbis } from "../abis";
import { CascadeDeployment, addressBookPath, readCascadeDeployment } from "../addressBook";
import { buildSafeBatch } from "../safeBatch";
import { Logger } from "../tx";
import { ImpactRefusedError, ImpactResult, ImpactWrite, impactSummaryLine } from "../impact/check";
import { renderImpact } from "../impact/render";
import { ImpactArgs, appendParamsHistory, historyImpact, parseImpactOptions, runImpactCheck } from "../impact/run";
import { loadParamsFile } from "../../../model/params/schema";
import { ParamsOutOfBoundsError, PlannedWrite, PushAbis, PushPlan, executePlan, planPush, planToBatchCalls, renderPlan, pushTargets } from "./push";

export interface ParamsPushArgs extends ImpactArgs {
  params: string;
  execute: boolean;
  safeBatch?: string;
  safeAddress?: string;
  includeHaircut: boolean;
  all: boolean;
  /** Push the largest bounded step toward the file's model params instead of refusing a move beyond maxStep. */
  step?: boolean;
  /** Address book to read (default deployments/<network>.json). */
  addressBook?: string;
  /** Print one JSON document (plan + impact) instead of tables. */
  json?: boolean;
}

export interface ParamsPushResult {
  plan: PushPlan;
  sent: string[];
  safeBatchFile?: string;
  impact?: ImpactResult;
}

/** Who sends each write: the keeper key for RISK_KEEPER_ROLE calls, the deployer for governance calls. */
async function signerForRole(ctx: OpsContext, roleName: PlannedWrite["roleName"], log: Logger): Promise<Signer | undefined> {
  return roleName === "RISK_KEEPER_ROLE" ? keeperSigner(ctx, log) : ctx.getSigner();
}

/**
 * The account each write is applied from on the fork: the Safe for a batch, otherwise the first of (the signer
 * for its role, the address book's role holder, the deployer) that holds the role on-chain.
 */
async function forkSender(req: { ctx: OpsContext; w: PlannedWrite; d: CascadeDeployment; abis: PushAbis; safeAddress?: string; signerAddress?: string }): Promise<string> {
  const { w, d } = req;
  if (req.safeAddress) return getAddress(req.safeAddress);
  const c = new Contract(w.to, w.contract === "CollateralRiskOracle" ? req.abis.oracle : req.abis.haircutModule, req.ctx.provider);
  const book = w.roleName === "RISK_KEEPER_ROLE" ? d.roles.riskKeeper : d.roles.governance;
  const candidates = [req.signerAddress, book, d.deployer].filter((x): x is string => !!x);
  for (const a of candidates) if (await c.hasRole(w.role, a)) return getAddress(a);
  return getAddress(candidates[0]);
}

const planJson = (plan: PushPlan) => ({
  chainId: plan.chainId.toString(),
  nowSeconds: plan.nowSeconds,
  diffs: plan.diffs,
  writes: plan.writes.map((w) => ({ symbol: w.symbol, asset: w.asset, contract: w.contract, to: w.to, method: w.method, roleName: w.roleName, description: w.description})),
  violations: plan.violations,
  notes: plan.notes,
});

export async function runParamsPush(ctx: OpsContext, args: ParamsPushArgs, log: Logger = console.log): Promise<ParamsPushResult> {
  if (args.execute && args.safeBatch) {
    throw new UserError({ field: "--execute, --safe-batch", problem: "use one or the other, not both", fix: "drop --execute to write the batch, or drop --safe-batch to send" });
  }
  parseImpactOptions(args); // bad impact options: one line, before any read
  const say: Logger = args.json ? () => undefined : log;
  const bookFile = args.addressBook ?? addressBookPath(ctx.root, ctx.networkName);
  const deployment = readCascadeDeployment(bookFile);
  const paramsFile = path.resolve(args.params);
  const params = loadParamsFile(paramsFile);
  const symbolToAsset = Object.fromEntries(Object.entries(deployment.assets).map(([s, a]) => [s, a.asset]));
  const targets = pushTargets({ params, file: paramsFile, symbolToAsset, includeHaircut: args.includeHaircut });
  const abis = loadCascadeAbis(ctx.artifacts);
  const pushAbis = { oracle: abis.oracle, haircutModule: abis.haircutModule };
  const addresses = {
    oracle: deployment.contracts.CollateralRiskOracle.address,
    haircutModule: deployment.contracts.WideningHaircutModule?.address,
  };
  const chainId = (await ctx.provider.getNetwork()).chainId;
  if (Number(chainId) !== deployment.chainId) {
    throw new UserError({
      file: bookFile,
      field: "cascadeGuard.chainId",
      problem: `expected ${Number(chainId)} (the connected network)`,
      value: deployment.chainId,
      fix: "pass --network for the chain this address book was deployed on, or the right --address-book",
    });
  }
  const plan = await planPush({ runner: ctx.provider, addresses, abis: pushAbis, targets, step: args.step });
  say(`params:push ${paramsFile} -> ${ctx.networkName} (chain ${chainId})`);
  say(renderPlan(plan, { all: args.all }));
  const emitJson = (impact?: ImpactResult, sent: string[] = []) => {
    if (args.json) log(JSON.stringify({ plan: planJson(plan), impact: impact ?? null, sent }, null, 2));
  };
  if (plan.violations.length) {
    emitJson();
    throw new ParamsOutOfBoundsError(plan.violations);
  }
  if (plan.writes.length === 0) {
    say("Nothing to push: no-op.");
    emitJson();
    return { plan, sent: [] };
  }

  // Signers per role (only needed to send; the dry run uses them to name the fork's senders).
  const quietLog: Logger = () => undefined;
  const signers = new Map<string, Signer | undefined>();
  for (const w of plan.writes) {
    if (!signers.has(w.roleName)) signers.set(w.roleName, await signerForRole(ctx, w.roleName, args.execute ? say : quietLog).catch((e) => (args.execute ? Promise.reject(e) : undefined)));
  }
  const writes: ImpactWrite[] = [];
  for (const w of plan.writes) {
    const signer = signers.get(w.roleName);
    const from = await forkSender({ ctx, w, d: deployment, abis: pushAbis, safeAddress: args.safeBatch ? args.safeAddress : undefined, signerAddress: signer ? await signer.getAddress() : undefined });
    writes.push({ label: `${w.contract}.${w.method}(${w.symbol})`, from, to: w.to, data: w.fragment ? new Contract(w.to, [w.fragment]).interface.encodeFunctionData(w.fragment, w.args) : "0x" });
  }
  const impact = await runImpactCheck({ ctx, deployment, abis, writes, args, log: say });
  say("");
  say(renderImpact(impact));
  if (impact.refused && !impact.accepted) {
    emitJson(impact);
    throw new ImpactRefusedError(impact);
  }
  if (impact.accepted) say(`params:push: impact accepted by the operator ("${impact.accepted.reason}"); proceeding.`);

  if (args.safeBatch) {
    const batch = buildSafeBatch({
      chainId,
      safeAddress: args.safeAddress,
      name: `Cascade Guard params push (${path.basename(paramsFile)})`,
      description:
        plan.writes.map((w) => w.description).join("; ") +
        ` || ${impactSummaryLine(impact)}` +
        (impact.accepted ? ` || impact accepted by the operator: ${impact.accepted.reason}` : ""),
      calls: planToBatchCalls(plan),
      createdAtMs: Date.now(),
    });
    fs.mkdirSync(path.dirname(path.resolve(args.safeBatch)), { recursive: true });
    fs.writeFileSync(args.safeBatch, JSON.stringify(batch, null, 2) + "\n");
    appendParamsHistory(bookFile, {
      at: new Date().toISOString(),
      command: "params:push",
      mode: "safe-batch",
      paramsFile: paramsFile,
      calls: plan.writes.map((w) => w.description),
      txHashes: [],
      safeBatchFile: args.safeBatch,
      ...historyImpact(impact),
    });
    say(`Wrote Safe Transaction Builder batch (${batch.transactions.length} calls) to ${args.safeBatch}; nothing sent.`);
    emitJson(impact);
    return { plan, sent: [], safeBatchFile: args.safeBatch, impact };
  }
  if (!args.execute) {
    // Tell the operator now whether --execute would pass the role check (it is checked again before sending).
    const seen = new Set<string>();
    for (const w of plan.writes) {
      const signer = signers.get(w.roleName);
      if (!signer) {
        say(`no account configured for ${w.roleName} on ${ctx.networkName} (${w.roleName === "RISK_KEEPER_ROLE" ? "KEEPER_PRIVATE_KEY" : "DEPLOYER_PRIVATE_KEY"})`);
        continue;
      }
      const me = await signer.getAddress();
      const key = `${w.to}:${w.role}:${me}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const c = new Contract(w.to, w.contract === "CollateralRiskOracle" ? pushAbis.oracle : pushAbis.haircutModule, ctx.provider);
      const holds: boolean = await c.hasRole(w.role, me);
      say(`${me} ${holds ? "holds" : "does NOT hold"} ${w.roleName} on ${w.contract}${holds ? "" : " (use --safe-batch for the role holder)"}`);
    }
    say("Dry run: nothing sent. Re-run with --execute to send, or --safe-batch OUT.json for a multisig.");
    emitJson(impact);
    return { plan, sent: [], impact };
  }
  for (const [role, s] of signers) {
    if (!s) {
      throw new UserError({
        problem: `no account configured for ${role} on network ${ctx.networkName}`,
        fix: `npx hardhat vars set ${role === "RISK_KEEPER_ROLE" ? "KEEPER_PRIVATE_KEY" : "DEPLOYER_PRIVATE_KEY"}`,
      });
    }
  }
  const { txHashes } = await executePlan({ signer: signers.values().next().value!, signerFor: (w) => signers.get(w.roleName)!, plan, abis: pushAbis, log: say });
  appendParamsHistory(bookFile, {
    at: new Date().toISOString(),
    command: "params:push",
    mode: "execute",
    paramsFile: paramsFile,
    calls: plan.writes.map((w) => w.description),
    txHashes,
    ...historyImpact(impact),
  });
  say(`Pushed ${txHashes.length} call(s); state read back and matches.`);
  emitJson(impact, txHashes);
  return { plan, sent: txHashes, impact };
}
