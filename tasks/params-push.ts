import { task, types } from "hardhat/config";
import { userTask } from "./lib/userTask";

export const TASK_PARAMS_PUSH = "params:push";

/**
 * `npx hardhat params:push --params F --network N [--execute | --safe-batch OUT.json] [--accept-impact "<reason>"]`
 * Diffs a `cascade-guard/params@1` file against on-chain state, checks every value with the contracts' rules,
 * checks the calls' impact on real positions on a fork of the network, and sends only with --execute (then reads
 * back). Implementation: scripts/ops/push/pushCommand.ts, scripts/ops/impact/.
 */
task(TASK_PARAMS_PUSH, "Review (diff + bounds + impact on a fork) and optionally push a params file to the deployed Cascade Guard")
  .addParam("params", "params file (cascade-guard/params@1)", undefined, types.string)
  .addFlag("execute", "send the transactions (default: dry run, nothing sent)")
  .addOptionalParam("safeBatch", "write a Safe Transaction Builder batch to this file instead of sending", undefined, types.string)
  .addOptionalParam("safeAddress", "the Safe that will execute the batch (recorded in the batch meta; the fork applies the calls as this account)", undefined, types.string)
  .addFlag("withHaircut", "also push the haircut module's base config from the params file (governance call: configureAsset)")
  .addFlag("all", "show unchanged fields in the diff table too")
  .addFlag("step", "push the largest update the bounds allow toward the file's model params (re-run after minDelaySeconds to continue)")
  .addOptionalParam("addressBook", "address book to read (default deployments/<network>.json)", undefined, types.string)
  .addFlag("json", "print the plan and the impact as one JSON document")
  .addOptionalParam("accounts", "impact check: list file of accounts (JSON array, {accounts:[...]}, or one address a line); default: the Pool's Supply/Borrow events", undefined, types.string)
  .addOptionalParam("fromBlock", "impact check: first block to scan for the Pool's events (default: latest - 100000)", undefined, types.string)
  .addOptionalParam("toBlock", "impact check: last block to scan (default: latest)", undefined, types.string)
  .addOptionalParam("logChunkBlocks", "impact check: blocks per eth_getLogs request (default 10000)", undefined, types.string)
  .addOptionalParam("maxNewLiquidatable", "refuse when more accounts than this become liquidatable (default 0)", undefined, types.string)
  .addOptionalParam("maxNewLiquidatableDebtEth", "refuse when more debt (ETH) than this becomes liquidatable (default 0)", undefined, types.string)
  .addOptionalParam("horizonHours", "hours the keeper is projected after the writes (default: until the module's LT ramp ends, at most 24)", undefined, types.string)
  .addOptionalParam("acceptImpact", "push although the impact check refuses; the reason goes into the Safe batch and the address book's history", undefined, types.string)
  .addOptionalParam("impactOut", "write the impact as JSON (cascade-guard/impact@1, readable by `npx hardhat report`)", undefined, types.string)
  .setAction(userTask(TASK_PARAMS_PUSH, async (args: Record<string, unknown> & { params: string; execute: boolean; withHaircut: boolean; all: boolean; step: boolean; json: boolean }, hre) => {
    const { runParamsPush } = await import("../scripts/ops/push/pushCommand");
    const { fromHre } = await import("../scripts/ops/context");
    // Values outside the contracts' bounds (ParamsOutOfBoundsError), a refused impact (ImpactRefusedError, listing the
    // accounts) and a bad accounts input (ImpactInputError) are user errors: one message, exit 1, nothing sent.
    await runParamsPush(fromHre(hre), { ...args, includeHaircut: args.withHaircut } as never);
  }, { needsArtifacts: true }));
