/**
 * `npm run demo` (= `npx hardhat demo [--positions N] [--seed S]`): deploys the Aave v3.0.2 replica in-process,
 * opens a seeded population, runs a flash dislocation and a slashing episode against an unprotected and a
 * protected market, and prints the comparison table. Thin: the steps live in scripts/replica/demo.ts.
 */
import { task, types } from "hardhat/config";

export const TASK_DEMO = "demo";

task(TASK_DEMO, "Quick start: replica + population + two episodes, unprotected vs protected by Cascade Guard")
  .addOptionalParam("positions", "seeded positions", 200, types.int)
  .addOptionalParam("seed", "population seed", 7, types.int)
  .setAction(async (args: { positions: number; seed: number }, hre) => {
    if (hre.network.name !== "hardhat") throw new Error(`demo runs on the in-process network only (found --network ${hre.network.name})`);
    const { runDemo, formatDemoTable } = await import("../scripts/replica/demo");
    const Table = (await import("cli-table3")).default;
    const [deployer, liquidator, keeper] = await hre.ethers.getSigners();
    const started = Date.now();
    const demo = await runDemo({
      deployer,
      liquidator,
      keeper,
      positions: args.positions,
      seed: args.seed,
      rpc: (method, params) => hre.network.provider.send(method, params),
      log: (line) => console.log(line),
    });
    console.log(formatDemoTable(demo, Table as never));
    if (!demo.haircutModuleBuilt) console.log("note: WideningHaircutModule is not built yet; protected runs use the oracle and the liquidation guard only.");
    console.log(`demo finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
