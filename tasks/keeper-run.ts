import { task, types } from "hardhat/config";
import { userTask } from "./lib/userTask";

export const TASK_KEEPER_RUN = "keeper:run";

/**
 * `npx hardhat keeper:run --network N [--interval 60] [--once] [--asset weETH]`: pokes the oracle and the haircut
 * module and trips/releases the guard when the contracts' conditions hold. Every action is a permissionless call,
 * static-called first (no-ops and reverts are skipped and logged), and a failed transaction does not stop the loop.
 * Implementation: scripts/ops/keeper.ts.
 */
task(TASK_KEEPER_RUN, "Run the permissionless keeper loop (poke oracle + haircut module, trip/release the guard)")
  .addOptionalParam("interval", "seconds between rounds", 60, types.int)
  .addFlag("once", "run one round and exit")
  .addOptionalParam("asset", "only this asset (symbol from the address book, or an address)", undefined, types.string)
  .addOptionalParam("addressBook", "address book to read (default deployments/<network>.json)", undefined, types.string)
  .setAction(userTask(TASK_KEEPER_RUN, async (args: { interval: number; once: boolean; asset?: string; addressBook?: string }, hre) => {
    const { runKeeper } = await import("../scripts/ops/commands");
    const { fromHre } = await import("../scripts/ops/context");
    await runKeeper(fromHre(hre), args);
  }, { needsArtifacts: true }));
