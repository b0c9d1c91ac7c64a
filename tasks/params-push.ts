import { task, types } from "hardhat/config";
import { userTask } from "./lib/userTask";

export const TASK_PARAMS_PUSH = "params:push";

/**
 * `npx hardhat params:push --params F --network N [--execute | --safe-batch OUT.json]`
 * Diffs a `cascade-guard/params@1` file against on-chain state, checks every value with the contracts' rules,
 * and sends only with --execute (then reads back). Implementation: scripts/params/pushCommand.ts.
 */
task(TASK_PARAMS_PUSH, "Review (diff + bounds check) and optionally push a params file to the deployed Cascade Guard")
  .addParam("params", "params file (cascade-guard/params@1)", undefined, types.string)
  .addFlag("execute", "send the transactions (default: dry run, nothing sent)")
  .addOptionalParam("safeBatch", "write a Safe Transaction Builder batch to this file instead of sending", undefined, types.string)
  .addOptionalParam("safeAddress", "the Safe that will execute the batch (recorded in the batch meta)", undefined, types.string)
  .addFlag("withHaircut", "also push the haircut module's base config from the params file (governance call: configureAsset)")
  .addFlag("all", "show unchanged fields in the diff table too")
  .addFlag("step", "push the largest update the bounds allow toward the file's model params (re-run after minDelaySeconds to continue)")
  .addOptionalParam("addressBook", "address book to read (default deployments/<network>.json)", undefined, types.string)
  .setAction(userTask(TASK_PARAMS_PUSH, async (args: { params: string; execute: boolean; safeBatch?: string; safeAddress?: string; withHaircut: boolean; all: boolean; step: boolean; addressBook?: string }, hre) => {
    const { runParamsPush } = await import("../scripts/params/pushCommand");
    const { fromHre } = await import("../scripts/ops/context");
    // Values outside the contracts' bounds throw ParamsOutOfBoundsError (a UserError) after the diff table: nothing sent.
    await runParamsPush(fromHre(hre), { ...args, includeHaircut: args.withHaircut });
  }, { needsArtifacts: true }));
