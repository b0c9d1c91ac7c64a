import { task, types } from "hardhat/config";
import { userTask } from "./lib/userTask";

export const TASK_KEEPER_RUN = "keeper:run";

/**
 * `npx hardhat keeper:run --network N [--interval 60] [--once] [--asset weETH]`: pokes the oracle and the haircut
 * module and trips/releases the guard when the contracts' conditions hold. Every action is a permissionless call,
 * static-called first (no-ops and reverts are skipped and logged), and a failed transaction does not stop the loop.
 * Signs with `KEEPER_PRIVATE_KEY` (a Hardhat configuration variable, distinct from the deployer's key). A poke that
 * would lower a liquidation threshold is first applied on a fork of the network and skipped when the impact policy
 * refuses it (unless --accept-impact, or the asset is IMPAIRED). Implementation: scripts/ops/keeper.ts, commands.ts.
 */
task(TASK_KEEPER_RUN, "Run the permissionless keeper loop (poke oracle + haircut module, trip/release the guard)")
  .addOptionalParam("interval", "seconds between rounds", 60, types.int)
  .addFlag("once", "run one round and exit")
  .addOptionalParam("asset", "only this asset (symbol from the address book, or an address)", undefined, types.string)
  .addOptionalParam("addressBook", "address book to read (default deployments/<network>.json)", undefined, types.string)
  .addOptionalParam("accounts", "impact check: list file of accounts; default: the Pool's Supply/Borrow events", undefined, types.string)
  .addOptionalParam("fromBlock", "impact check: first block to scan for the Pool's events (default: latest - 100000)", undefined, types.string)
  .addOptionalParam("toBlock", "impact check: last block to scan (default: latest)", undefined, types.string)
  .addOptionalParam("maxNewLiquidatable", "impact check: refuse a step that makes more accounts liquidatable (default 0)", undefined, types.string)
  .addOptionalParam("maxNewLiquidatableDebtEth", "impact check: refuse a step that makes more debt (ETH) liquidatable (default 0)", undefined, types.string)
  .addOptionalParam("acceptImpact", "send a refused step anyway; the reason goes into the address book's history", undefined, types.string)
  .setAction(userTask(TASK_KEEPER_RUN, async (args: { interval: number; once: boolean; asset?: string; addressBook?: string } & Record<string, string | undefined>, hre) => {
    const { runKeeper } = await import("../scripts/ops/commands");
    const { fromHre } = await import("../scripts/ops/context");
    await runKeeper(fromHre(hre), args as never);
  }, { needsArtifacts: true }));
