import { task, types } from "hardhat/config";
import { userTask } from "./lib/userTask";

export const TASK_RISK_STATUS = "risk:status";

/**
 * `npx hardhat risk:status --network N [--asset weETH] [--json]`: one table per asset (market price, exchange
 * rate, discount and EMA, risk level, current vs base LTV/LT read from the Aave Pool, pause state and time left,
 * last keeper update); Morpho markets of the book's `morpho` section first (LLTV, oracle price, the RiskAwareOracle's
 * rule and floor, supply/borrow). Read-only. Implementation: scripts/ops/commands.ts, scripts/ops/morphoStatus.ts.
 */
task(TASK_RISK_STATUS, "Show the risk state of every watched asset (oracle, Aave LTV/LT vs base, guard)")
  .addOptionalParam("asset", "symbol from the address book, or an asset address", undefined, types.string)
  .addFlag("json", "print JSON instead of tables")
  .addOptionalParam("addressBook", "address book to read (default deployments/<network>.json)", undefined, types.string)
  .setAction(userTask(TASK_RISK_STATUS, async (args: { asset?: string; json: boolean; addressBook?: string }, hre) => {
    const { runRiskStatus } = await import("../scripts/ops/commands");
    const { fromHre } = await import("../scripts/ops/context");
    await runRiskStatus(fromHre(hre), args);
  }, { needsArtifacts: true }));
