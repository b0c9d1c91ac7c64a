import { task, types } from "hardhat/config";
import { userTask } from "./lib/userTask";

export const TASK_PARAMS_COMPUTE = "params:compute";

/**
 * Parameter engine: the most capital-efficient LTV/LT/LB (reserve and eMode), haircut-curve knots and guard trip
 * threshold per LRT such that the policy (P(bad debt > K) <= eps per market) holds. Writes `cascade-guard/params@1`.
 * Example: npx hardhat params:compute --ecosystem scenarios/ecosystems/ethereum-2026.json --policy scenarios/ecosystems/policy-default.json --out reports/params.json
 */
task(TASK_PARAMS_COMPUTE, "Compute risk parameters that satisfy a bad-debt policy and write a params file")
  .addParam("ecosystem", "ecosystem JSON file, or generated:<small|medium|large>[:seed]", undefined, types.string)
  .addParam("policy", "policy JSON file (cascade-guard/policy@1)", undefined, types.string)
  .addParam("out", "params file to write (cascade-guard/params@1)", undefined, types.string)
  .addOptionalParam("paths", "override the policy's number of paths", undefined, types.int)
  .addOptionalParam("seed", "override the policy's seed", undefined, types.int)
  .addFlag("json", "print only the params JSON on stdout")
  .setAction(userTask(TASK_PARAMS_COMPUTE, async (args: { ecosystem: string; policy: string; out: string; paths?: number; seed?: number; json: boolean }) => {
    const { runParamsCli } = await import("../model/cli");
    await runParamsCli(args);
  }));
