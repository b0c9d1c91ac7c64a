/**
 * Review-then-write for Cascade Guard parameters (the Aave-deploy habit):
 *   planPush    reads on-chain state, diffs it against the desired values, checks every value with the contracts'
 *               own rules, and returns the exact calls to make (nothing is sent);
 *   renderPlan  prints the diff table and any refused value;
 *   executePlan sends the calls one by one (only when asked), reads the state back after each and throws if it
 *               differs from what was sent;
 *   plan -> Safe batch via `buildSafeBatch(planToBatchCalls(plan))` for role holders that are multisigs.
 * Re-running after a successful push plans zero writes: a no-op.
 */
import { Contract, ContractRunner, FunctionFragment, Interface, InterfaceAbi, Signer, getAddress } from "ethers";
import {
  BoundViolation,
  MODEL_PARAMS_FIELDS,
  ModelParams,
  checkModelParamsUpdate,
  stepToward,
  modelParamsEqual,
  modelParamsFromStruct,
  modelParamsToStruct,
} from "../../../spec/modelParams";
import {
  HAIRCUT_CONFIG_FIELDS,
  HaircutConfig,
  checkHaircutConfig,
  haircutConfigEqual,
  haircutConfigFromStruct,
  haircutConfigToStruct,
} from "../../../spec/haircutConfig";
import { BatchCall } from "../safeBatch";
import { Logger, describeRevert, sendWithGasHeadroom } from "../tx";
import { fmtBpsWithPercent as fmtBps } from "../../../spec/format";
import { renderTable } from "../../../spec/table";
import { UserError } from "../../../spec/errors";
import type { ParamsFile } from "../../../model/params/schema";

export interface PushAbis {
  oracle: InterfaceAbi;
  haircutModule: InterfaceAbi;
}

/** Desired values for one asset (from a params file). Omitted parts are left alone. */
export interface AssetTarget {
  symbol: string;
  asset: string;
  modelParams?: ModelParams;
  haircut?: HaircutConfig;
}

export interface FieldDiff {
  symbol: string;
  contract: string;
  field: string;
  current: string;
  desired: string;
  changed: boolean;
}

export interface PlannedWrite {
  symbol: string;
  asset: string;
  contract: "CollateralRiskOracle" | "WideningHaircutModule";
  to: string;
  method: string;
  fragment: FunctionFragment;
  args: unknown[];
  /** The role the sender must hold on `to`. */
  roleName: "RISK_KEEPER_ROLE" | "DEFAULT_ADMIN_ROLE";
  role: string;
  description: string;
}

export interface PushPlan {
  chainId: bigint;
  nowSeconds: number;
  diffs: FieldDiff[];
  writes: PlannedWrite[];
  violations: BoundViolation[];
  /** Informational lines (e.g. how many stepped updates remain). */
  notes: string[];
}

export class ParamsOutOfBoundsError extends UserError {
  constructor(readonly violations: BoundViolation[]) {
    super(`params refused, nothing sent:\n${violations.map((v) => `  - ${v.message}`).join("\n")}`, {
      summary: `refused: ${violations.length} value(s) outside the contracts' bounds${violations.length ? `, first ${violations[0].message}` : ""}; nothing sent`,
    });
    this.name = "ParamsOutOfBoundsError";
  }
}

export class ReadBackMismatchError extends Error {
  constructor(readonly write: PlannedWrite, readonly mismatches: string[]) {
    super(`read-back after ${write.contract}.${write.method}(${write.symbol}) differs from what was sent:\n${mismatches.map((m) => `  - ${m}`).join("\n")}`);
    this.name = "ReadBackMismatchError";
  }
}

function contracts(runner: ContractRunner, addresses: { oracle: string; haircutModule?: string }, abis: PushAbis) {
  return {
    oracle: new Contract(addresses.oracle, abis.oracle, runner),
    haircut: addresses.haircutModule ? new Contract(addresses.haircutModule, abis.haircutModule, runner) : undefined,
  };
}

/** Reads the oracle's model params (+ last update) and bounds for an asset. */
export async function readModelParamsState(oracle: Contract, asset: string) {
  const [paramsResult, bounds] = await Promise.all([oracle.getModelParams(asset), oracle.getModelParamsBounds(asset)]);
  return {
    current: modelParamsFromStruct(paramsResult[0]),
    updatedAtSeconds: Number(paramsResult[1]),
    bounds: {
      min: modelParamsFromStruct(bounds.min ?? bounds[0]),
      max: modelParamsFromStruct(bounds.max ?? bounds[1]),
      maxStep: modelParamsFromStruct(bounds.maxStep ?? bounds[2]),
      minDelaySeconds: Number(bounds.minDelaySeconds ?? bounds[3]),
    },
  };
}

/** Builds the plan. Reads only; `nowSeconds` defaults to the latest block's timestamp + 1. */
export async function planPush(req: {
  runner: ContractRunner & { provider: NonNullable<ContractRunner["provider"]> };
  addresses: { oracle: string; haircutModule?: string };
  abis: PushAbis;
  targets: readonly AssetTarget[];
  nowSeconds?: number;
  /**
   * Step mode: push the largest bounded update toward the file's model params instead of refusing a move larger than
   * maxStep (fields whose target is outside [min, max] are still refused).
   */
  step?: boolean;
}): Promise<PushPlan> {
  const provider = req.runner.provider;
  const { oracle, haircut } = contracts(req.runner, req.addresses, req.abis);
  const [network, block] = await Promise.all([provider.getNetwork(), provider.getBlock("latest")]);
  const nowSeconds = req.nowSeconds ?? Number(block!.timestamp) + 1;
  const plan: PushPlan = { chainId: network.chainId, nowSeconds, diffs: [], writes: [], violations: [], notes: [] };
  const keeperRole: string = await oracle.RISK_KEEPER_ROLE();
  const adminRole: string = await oracle.DEFAULT_ADMIN_ROLE();

  for (const t of req.targets) {
    const asset = getAddress(t.asset);
    if (t.modelParams) {
      if (!(await oracle.isAssetConfigured(asset))) {
        plan.violations.push({
          asset: t.symbol,
          contract: "CollateralRiskOracle",
          field: "(asset)",
          bound: "configured",
          boundValue: "true",
          value: asset,
          message: `${t.symbol}: CollateralRiskOracle has no configuration for ${asset} (deploy/configure it first)`,
        });
      } else {
        const s = await readModelParamsState(oracle, asset);
        let desired = t.modelParams;
        if (req.step) {
          const stepped = stepToward({ current: s.current, target: t.modelParams, bounds: s.bounds });
          for (const f of stepped.unreachable) {
            plan.violations.push({
              asset: t.symbol,
              contract: "CollateralRiskOracle",
              field: f,
              bound: "[min, max]",
              boundValue: `[${s.bounds.min[f]}, ${s.bounds.max[f]}]`,
              value: String(t.modelParams[f]),
              message: `${t.symbol}: CollateralRiskOracle.${f} = ${t.modelParams[f]} violates [min, max] [${s.bounds.min[f]}, ${s.bounds.max[f]}] (unreachable by steps: governance must change the bounds)`,
            });
          }
          desired = stepped.next;
          if (stepped.updatesLeft > 0) {
            plan.notes.push(`${t.symbol}: step mode: ${stepped.updatesLeft} more update(s) after this one, at least ${s.bounds.minDelaySeconds}s apart, to reach the file's values`);
          }
        }
        let changed = false;
        for (const f of MODEL_PARAMS_FIELDS) {
          const c = s.current[f] !== desired[f];
          changed ||= c;
          const shown = req.step && desired[f] !== t.modelParams[f] ? `${desired[f]} (file ${t.modelParams[f]})` : String(desired[f]);
          plan.diffs.push({ symbol: t.symbol, contract: "CollateralRiskOracle", field: f, current: String(s.current[f]), desired: shown, changed: c });
        }
        if (changed) {
          const assetConfig = await oracle.getAssetConfig(asset);
          plan.violations.push(
            ...checkModelParamsUpdate({
              asset: t.symbol,
              current: s.current,
              lastUpdateAtSeconds: s.updatedAtSeconds,
              bounds: s.bounds,
              desired,
              nowSeconds,
              elevatedDiscountBps: Number(assetConfig.elevatedDiscountBps),
            }),
          );
          const fragment = oracle.interface.getFunction("setModelParams")!;
          plan.writes.push({
            symbol: t.symbol,
            asset,
            contract: "CollateralRiskOracle",
            to: await oracle.getAddress(),
            method: "setModelParams",
            fragment,
            args: [asset, modelParamsToStruct(desired)],
            roleName: "RISK_KEEPER_ROLE",
            role: keeperRole,
            description: `${t.symbol}: push model params (trip ${desired.tripDiscountBps} bp, stress ${desired.stressDiscountBps} bp, haircut knots)`,
          });
        }
      }
    }
    if (t.haircut) {
      if (!haircut) {
        throw new UserError({
          field: `${t.symbol}.haircut`,
          problem: "the params file has a haircut config but the deployment has no WideningHaircutModule",
          fix: "push without --with-haircut, or deploy the module first",
        });
      }
      const configured: string[] = (await haircut.getAssets()).map((a: string) => getAddress(a));
      const current = configured.includes(asset) ? haircutConfigFromStruct(await haircut.getHaircutConfig(asset)) : undefined;
      let changed = current === undefined;
      for (const f of HAIRCUT_CONFIG_FIELDS) {
        const cur = current ? String(current[f]) : "(unset)";
        const c = current ? current[f] !== t.haircut[f] : true;
        changed ||= c;
        plan.diffs.push({ symbol: t.symbol, contract: "WideningHaircutModule", field: f, current: cur, desired: String(t.haircut[f]), changed: c });
      }
      if (changed) {
        plan.violations.push(...checkHaircutConfig(t.symbol, t.haircut));
        const fragment = haircut.interface.getFunction("configureAsset")!;
        plan.writes.push({
          symbol: t.symbol,
          asset,
          contract: "WideningHaircutModule",
          to: await haircut.getAddress(),
          method: "configureAsset",
          fragment,
          args: [asset, haircutConfigToStruct(t.haircut)],
          roleName: "DEFAULT_ADMIN_ROLE",
          role: adminRole,
          description: `${t.symbol}: configure haircut (base LTV/LT ${fmtBps(t.haircut.baseLtvBps)} / ${fmtBps(t.haircut.baseLtBps)}; the module takes its state from the on-chain values and writes nothing into Aave: a haircut in force stays and recovers to the new base)`,
        });
      }
    }
  }
  return plan;
}

/** The diff table (changed rows marked), the calls, and any refused value. */
export function renderPlan(plan: PushPlan, opts: { all?: boolean } = {}): string {
  const rows = plan.diffs.filter((d) => opts.all || d.changed).map((d) => [d.symbol, d.contract, d.field, d.current, d.desired, d.changed ? "change" : "="]);
  const parts: string[] = [];
  parts.push(rows.length ? renderTable(["asset", "contract", "field", "on-chain", "params file", ""], rows) : "No differences: on-chain state already matches the params file.");
  if (plan.writes.length) {
    parts.push(`Calls (${plan.writes.length}):`);
    plan.writes.forEach((w, i) => parts.push(`  ${i + 1}. ${w.contract}.${w.method} @ ${w.to} [needs ${w.roleName}] ${w.description}`));
  }
  for (const n of plan.notes) parts.push(n);
  if (plan.violations.length) {
    parts.push(`REFUSED: ${plan.violations.length} value(s) outside the contracts' bounds; nothing will be sent:`);
    for (const v of plan.violations) parts.push(`  - ${v.message}`);
  }
  return parts.join("\n");
}

export function planToBatchCalls(plan: PushPlan): BatchCall[] {
  if (plan.violations.length) throw new ParamsOutOfBoundsError(plan.violations);
  return plan.writes.map((w) => ({ to: w.to, fragment: w.fragment, args: w.args }));
}

/** Reads back what a write should have set and lists every difference. */
async function readBack(write: PlannedWrite, runner: ContractRunner, abis: PushAbis): Promise<string[]> {
  const mismatches: string[] = [];
  if (write.contract === "CollateralRiskOracle") {
    const oracle = new Contract(write.to, abis.oracle, runner);
    const [p] = await oracle.getModelParams(write.asset);
    const got = modelParamsFromStruct(p);
    const want = write.args[1] as number[];
    MODEL_PARAMS_FIELDS.forEach((f, i) => {
      if (got[f] !== want[i]) mismatches.push(`${write.symbol}: ${f} on-chain ${got[f]}, sent ${want[i]}`);
    });
  } else {
    const module = new Contract(write.to, abis.haircutModule, runner);
    const got = haircutConfigFromStruct(await module.getHaircutConfig(write.asset));
    const want = write.args[1] as (number | boolean)[];
    HAIRCUT_CONFIG_FIELDS.forEach((f, i) => {
      if (got[f] !== want[i]) mismatches.push(`${write.symbol}: ${f} on-chain ${String(got[f])}, sent ${String(want[i])}`);
    });
  }
  return mismatches;
}

/**
 * Sends every planned write with `signer`, in order, after checking it holds the role and that a static call passes.
 * After each write, reads the state back and throws `ReadBackMismatchError` if it differs. Refuses (sends nothing)
 * when the plan has violations or the signer lacks a role.
 */
export async function executePlan(req: {
  signer: Signer;
  /** Per-write signer (e.g. the keeper key for RISK_KEEPER_ROLE calls, the deployer for governance calls); default `signer`. */
  signerFor?: (w: PlannedWrite) => Signer;
  plan: PushPlan;
  abis: PushAbis;
  log: Logger;
}): Promise<{ txHashes: string[] }> {
  const { plan, abis, log } = req;
  const signerOf = (w: PlannedWrite) => req.signerFor?.(w) ?? req.signer;
  if (plan.violations.length) throw new ParamsOutOfBoundsError(plan.violations);
  const ifaces = [new Interface(abis.oracle), new Interface(abis.haircutModule)];
  // Check every role and every static call before the first send, so a bad plan sends nothing at all.
  for (const w of plan.writes) {
    const signer = signerOf(w);
    const from = await signer.getAddress();
    const c = new Contract(w.to, w.contract === "CollateralRiskOracle" ? abis.oracle : abis.haircutModule, signer);
    if (!(await c.hasRole(w.role, from))) {
      throw new UserError({
        field: w.symbol,
        problem: `${from} does not hold ${w.roleName} on ${w.contract} ${w.to}; nothing sent`,
        fix: "use --safe-batch to prepare the calls for the role holder, or sign with an account that holds the role",
      });
    }
  }
  const first = plan.writes[0];
  if (first) {
    const c = new Contract(first.to, first.contract === "CollateralRiskOracle" ? abis.oracle : abis.haircutModule, signerOf(first));
    try {
      await c.getFunction(first.method).staticCall(...first.args);
    } catch (err) {
      throw new Error(`${first.symbol}: ${first.contract}.${first.method} would revert: ${describeRevert(err, ifaces)}; nothing sent`);
    }
  }
  const txHashes: string[] = [];
  for (const w of plan.writes) {
    const signer = signerOf(w);
    const c = new Contract(w.to, w.contract === "CollateralRiskOracle" ? abis.oracle : abis.haircutModule, signer);
    let receipt;
    try {
      const tx = await sendWithGasHeadroom(c, w.method, w.args);
      log(`  sent ${w.contract}.${w.method}(${w.symbol}) tx ${tx.hash}`);
      receipt = await tx.wait();
    } catch (err) {
      throw new Error(`${w.symbol}: ${w.contract}.${w.method} failed: ${describeRevert(err, ifaces)} (earlier writes in this run: ${txHashes.length})`);
    }
    if (!receipt || receipt.status !== 1) throw new Error(`${w.symbol}: ${w.contract}.${w.method} transaction failed`);
    txHashes.push(receipt.hash);
    const mismatches = await readBack(w, signerOf(w), abis);
    if (mismatches.length) throw new ReadBackMismatchError(w, mismatches);
    log(`  ✓ ${w.contract}.${w.method}(${w.symbol}) mined in block ${receipt.blockNumber}; read-back matches`);
  }
  return { txHashes };
}

/**
 * From a `cascade-guard/params@1` file, read by its one reader (`loadParamsFile`, model/params/schema.ts), to push
 * targets: per asset the symbol, the on-chain asset (through the address book's symbol table), the oracle's
 * keeper-pushed `ModelParams` and, with `includeHaircut`, the haircut module's `HaircutConfig` (a governance call).
 */
export interface PushTargetsRequest {
  params: ParamsFile;
  /** The file the params came from, for error messages. */
  file: string;
  /** The deployment's address book: symbol -> asset address. */
  symbolToAsset: Record<string, string>;
  /** Push the haircut module's configs too (a governance call). */
  includeHaircut: boolean;
}

/** Maps each asset of a params file to its on-chain asset through the address book's symbol table. */
export function pushTargets(req: PushTargetsRequest): AssetTarget[] {
  const known = Object.keys(req.symbolToAsset);
  const seen = new Set<string>();
  return req.params.assets.map((a, i) => {
    if (seen.has(a.symbol)) {
      throw new UserError({ file: req.file, field: `assets[${i}].symbol`, problem: "appears twice", value: a.symbol, fix: "keep one entry per asset" });
    }
    seen.add(a.symbol);
    const asset = req.symbolToAsset[a.symbol];
    if (!asset) {
      throw new UserError({
        file: req.file,
        field: `assets[${i}].symbol`,
        problem: `not in the deployment's address book (known: ${known.join(", ") || "none"})`,
        value: a.symbol,
        fix: `deploy Cascade Guard for ${a.symbol} or remove it from the params file`,
      });
    }
    return { symbol: a.symbol, asset: getAddress(asset), modelParams: a.modelParams, haircut: req.includeHaircut ? a.haircut : undefined };
  });
}
