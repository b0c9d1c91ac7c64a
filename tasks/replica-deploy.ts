/**
 * `npx hardhat replica:deploy --network <net> [--aave 3.6|3.0] [--venue aave|morpho] [--positions N] [--seed S]
 *  [--regime exchange-rate|market-price] [--market FILE] [--params FILE] [--skip-guard] [--out FILE] [--force]`
 *
 * `--venue morpho`: the real Morpho Blue with LRT/WETH markets from markets/morpho-blue-ethereum-lrt.json (or
 * --market), our IRM, optional positions per market, and (unless --skip-guard) Cascade Guard's risk oracle and
 * pause guard with a RiskAwareOracle and a risk-aware market per collateral (scripts/ops/morphoDeploy.ts).
 *
 * Deploys the local Aave replica (v3.6 from aave-v3-origin source by default, or the official v3.0.2 bytecode) (reserves, feeds, price sources, DEX pools), optionally a seeded borrower
 * population, and Cascade Guard installed on it; writes the `replica` section of deployments/<network>.json.
 * Re-running is a no-op while the book's replica is live on the node (except on the in-process network).
 * Thin: the work lives in scripts/ops/replicaDeploy.ts.
 */
import { task, types } from "hardhat/config";
import { userTask } from "./lib/userTask";
import { UserError } from "../spec/errors";

export const TASK_REPLICA_DEPLOY = "replica:deploy";

task(TASK_REPLICA_DEPLOY, "Deploys the Aave replica market (v3.6 default, or v3.0) or the Morpho Blue replica (+ population, + Cascade Guard) and writes deployments/<network>.json")
  .addOptionalParam("venue", "aave (Aave replica) or morpho (Morpho Blue replica)", "aave", types.string)
  .addOptionalParam("aave", "Aave generation: 3.6 (compiled from @aave-dao/aave-v3-origin) or 3.0 (official v3.0.2 bytecode)", "3.6", types.string)
  .addOptionalParam("market", "market file (default markets/aave-v3-ethereum-core.json; morpho: markets/morpho-blue-ethereum-lrt.json)", undefined, types.string)
  .addOptionalParam("regime", "AaveOracle price regime for the LRTs: exchange-rate or market-price", "exchange-rate", types.string)
  .addOptionalParam("positions", "seeded positions to open through the Pool", 0, types.int)
  .addOptionalParam("seed", "population seed", 7, types.int)
  .addOptionalParam("out", "address book to write (default deployments/<network>.json)", undefined, types.string)
  .addOptionalParam("params", "cascade-guard/params@1 file for Cascade Guard's per-asset model params (default: installer defaults)", undefined, types.string)
  .addFlag("skipGuard", "do not deploy and install Cascade Guard")
  .addFlag("paramsHaircut", "also apply the params file's haircut configs to the module (one eMode driver; no LTV-0 reserves)")
  .addFlag("force", "deploy a new replica even if the address book's replica is live on this network")
  .setAction(
    userTask(TASK_REPLICA_DEPLOY, async (args: { venue: string; aave: string; market?: string; regime: string; positions: number; seed: number; out?: string; skipGuard: boolean; force: boolean; params?: string; paramsHaircut: boolean }, hre) => {
      if (args.venue !== "aave" && args.venue !== "morpho") throw new UserError({ field: "--venue", problem: "expected aave or morpho", value: args.venue, fix: "pass --venue aave or --venue morpho" });
      if (args.venue === "morpho") {
        if (args.params || args.paramsHaircut) throw new UserError({ field: "--venue morpho", problem: "--params/--params-haircut apply to the Aave replica only", fix: "drop --params/--params-haircut or use --venue aave" });
        const { runMorphoReplicaDeploy } = await import("../scripts/ops/morphoDeploy");
        await runMorphoReplicaDeploy({ hre, marketFile: args.market, positions: args.positions, seed: args.seed, out: args.out, skipGuard: args.skipGuard, force: args.force });
        return;
      }
      const { runReplicaDeploy } = await import("../scripts/ops/replicaDeploy");
      await runReplicaDeploy({
        hre,
        aave: args.aave,
        marketFile: args.market,
        priceRegime: args.regime as "exchange-rate" | "market-price",
        positions: args.positions,
        seed: args.seed,
        out: args.out,
        skipGuard: args.skipGuard,
        force: args.force,
        paramsFile: args.params,
        paramsHaircut: args.paramsHaircut,
      });
    }, { needsArtifacts: true }),
  );
