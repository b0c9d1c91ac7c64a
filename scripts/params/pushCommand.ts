/**
 * `params:push` implementation (the task file only parses arguments).
 *   default          print the diff and the calls; send nothing
 *   --execute        send with the first Hardhat account, read back after each write, fail loudly on a mismatch
 *   --safe-batch F   write a Safe Transaction Builder batch of the calls instead of sending
 * Refused values (outside the contracts' bounds) stop every mode before anything is sent or written.
 */
import fs from "fs";
import { Contract } from "ethers";
import path from "path";
import { OpsContext } from "../ops/context";
import { loadCascadeAbis } from "../ops/abis";
import { addressBookPath, readCascadeDeployment } from "../ops/addressBook";
import { buildSafeBatch } from "../ops/safeBatch";
import { Logger } from "../ops/tx";
import { readParamsFile, toTargets } from "./paramsFile";
import { ParamsOutOfBoundsError, PushPlan, executePlan, planPush, planToBatchCalls, renderPlan } from "./push";

export interface ParamsPushArgs {
  params: string;
  execute: boolean;
  safeBatch?: string;
  safeAddress?: string;
  includeHaircut: boolean;
  all: boolean;
  /** Address book to read (default deployments/<network>.json). */
  addressBook?: string;
}

export interface ParamsPushResult {
  plan: PushPlan;
  sent: string[];
  safeBatchFile?: string;
}

export async function runParamsPush(ctx: OpsContext, args: ParamsPushArgs, log: Logger = console.log): Promise<ParamsPushResult> {
  if (args.execute && args.safeBatch) throw new Error("params:push: use either --execute or --safe-batch, not both");
  const bookFile = args.addressBook ?? addressBookPath(ctx.root, ctx.networkName);
  const deployment = readCascadeDeployment(bookFile);
  const parsed = readParamsFile(path.resolve(args.params));
  const symbolToAsset = Object.fromEntries(Object.entries(deployment.assets).map(([s, a]) => [s, a.asset]));
  const targets = toTargets(parsed, symbolToAsset, { includeHaircut: args.includeHaircut });
  const abis = loadCascadeAbis(ctx.artifacts);
  const pushAbis = { oracle: abis.oracle, haircutModule: abis.haircutModule };
  const addresses = {
    oracle: deployment.contracts.CollateralRiskOracle.address,
    haircutModule: deployment.contracts.WideningHaircutModule?.address,
  };
  const chainId = (await ctx.provider.getNetwork()).chainId;
  if (Number(chainId) !== deployment.chainId) {
    throw new Error(`${bookFile}: field cascadeGuard.chainId: expected ${Number(chainId)} (connected network), found ${deployment.chainId}`);
  }
  const plan = await planPush({ runner: ctx.provider, addresses, abis: pushAbis, targets });
  log(`params:push ${parsed.file} -> ${ctx.networkName} (chain ${chainId})`);
  log(renderPlan(plan, { all: args.all }));
  if (plan.violations.length) throw new ParamsOutOfBoundsError(plan.violations);
  if (plan.writes.length === 0) {
    log("Nothing to push: no-op.");
    return { plan, sent: [] };
  }
  if (args.safeBatch) {
    const batch = buildSafeBatch({
      chainId,
      safeAddress: args.safeAddress,
      name: `Cascade Guard params push (${path.basename(parsed.file)})`,
      description: plan.writes.map((w) => w.description).join("; "),
      calls: planToBatchCalls(plan),
      createdAtMs: Date.now(),
    });
    fs.mkdirSync(path.dirname(path.resolve(args.safeBatch)), { recursive: true });
    fs.writeFileSync(args.safeBatch, JSON.stringify(batch, null, 2) + "\n");
    log(`Wrote Safe Transaction Builder batch (${batch.transactions.length} calls) to ${args.safeBatch}; nothing sent.`);
    return { plan, sent: [], safeBatchFile: args.safeBatch };
  }
  if (!args.execute) {
    // Tell the operator now whether --execute would pass the role check (it is checked again before sending).
    const signer = await ctx.getSigner();
    if (signer) {
      const me = await signer.getAddress();
      const seen = new Set<string>();
      for (const w of plan.writes) {
        const key = `${w.to}:${w.role}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const c = new Contract(w.to, w.contract === "CollateralRiskOracle" ? pushAbis.oracle : pushAbis.haircutModule, ctx.provider);
        const holds: boolean = await c.hasRole(w.role, me);
        log(`${me} ${holds ? "holds" : "does NOT hold"} ${w.roleName} on ${w.contract}${holds ? "" : " (use --safe-batch for the role holder)"}`);
      }
    }
    log("Dry run: nothing sent. Re-run with --execute to send, or --safe-batch OUT.json for a multisig.");
    return { plan, sent: [] };
  }
  const signer = await ctx.getSigner();
  if (!signer) throw new Error(`params:push: no account configured for network ${ctx.networkName} (npx hardhat vars set DEPLOYER_PRIVATE_KEY)`);
  const { txHashes } = await executePlan({ signer, plan, abis: pushAbis, log });
  log(`Pushed ${txHashes.length} call(s); state read back and matches.`);
  return { plan, sent: txHashes };
}
