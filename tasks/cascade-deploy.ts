import { task, types, vars } from "hardhat/config";
import { userTask } from "./lib/userTask";
import { UserError } from "../spec/errors";

export const TASK_CASCADE_DEPLOY = "cascade:deploy";

/**
 * `npx hardhat cascade:deploy --network N [--network-config F]`: deploys CollateralRiskOracle, WideningHaircutModule,
 * LiquidationPauseGuard and rate adapters from `deployments/config/<network>.json` through
 * `deployCascadeGuard` (scripts/guard), writes `deployments/<network>.json`, verifies sources when ETHERSCAN_API_KEY is set, and
 * executes (or writes as a Safe batch) the Aave role grants. Re-running is a no-op for what is in place.
 * Implementation: scripts/ops/deploy.ts.
 *
 * `--morpho-oracle <symbol> [--floor-tolerance-bps N] [--max-floor-seconds N]`: instead, deploys a RiskAwareOracle
 * (Morpho Blue IOracle over Cascade Guard) for that collateral from the address book and records it under
 * `riskAwareOracles`; a curator then creates the Morpho market with it. Implementation: scripts/ops/morphoOracle.ts.
 */
task(TASK_CASCADE_DEPLOY, "Deploy Cascade Guard to a network from deployments/config/<network>.json and write its address book")
  .addOptionalParam("networkConfig", "network config file (default deployments/config/<network>.json)", undefined, types.string)
  .addOptionalParam("addressBook", "address book to write (default deployments/<network>.json)", undefined, types.string)
  .addOptionalParam("governanceBatch", "Safe batch file for the Aave grants (default deployments/<network>.governance-batch.json)", undefined, types.string)
  .addOptionalParam("morphoOracle", "deploy a RiskAwareOracle for this collateral symbol (Morpho market) instead", undefined, types.string)
  .addOptionalParam("floorToleranceBps", "RiskAwareOracle: floor below exchange rate x backing, bps (50..3000, default 300)", undefined, types.int)
  .addOptionalParam("maxFloorSeconds", "RiskAwareOracle: longest floor per pause, seconds (default 21600)", undefined, types.int)
  .addFlag("noVerify", "skip source verification even when ETHERSCAN_API_KEY is set")
  .addFlag("redeploy", "deploy a new set even if the address book holds a live deployment made from a different config")
  .setAction(userTask(TASK_CASCADE_DEPLOY, async (args: { networkConfig?: string; addressBook?: string; governanceBatch?: string; noVerify: boolean; redeploy: boolean; morphoOracle?: string; floorToleranceBps?: number; maxFloorSeconds?: number }, hre) => {
    if (args.morphoOracle) {
      const { runMorphoOracleDeploy } = await import("../scripts/ops/morphoOracle");
      const path = await import("path");
      const [signer] = await hre.ethers.getSigners();
      if (!signer) throw new UserError(`cascade:deploy: no account for network ${hre.network.name} (npx hardhat vars set DEPLOYER_PRIVATE_KEY)`);
      await runMorphoOracleDeploy({
        signer,
        provider: hre.ethers.provider,
        bookFile: args.addressBook ?? path.join(hre.config.paths.root, "deployments", `${hre.network.name}.json`),
        symbol: args.morphoOracle,
        floorToleranceBps: args.floorToleranceBps,
        maxFloorSeconds: args.maxFloorSeconds,
      });
      return;
    }
    const { runCascadeDeploy } = await import("../scripts/ops/deploy");
    const { fromHre } = await import("../scripts/ops/context");
    const local = hre.network.name === "hardhat" || hre.network.name === "localhost";
    const canVerify = !local && !args.noVerify && vars.has("ETHERSCAN_API_KEY");
    await runCascadeDeploy(fromHre(hre), {
      configFile: args.networkConfig,
      addressBook: args.addressBook,
      governanceBatch: args.governanceBatch,
      redeploy: args.redeploy,
      verifySkipReason: local ? "skipped-local" : "skipped-no-api-key",
      verifier: canVerify
        ? async (c) => {
            try {
              await hre.run("verify:verify", { address: c.address, constructorArguments: c.constructorArgs, contract: `${c.sourceName}:${c.contractName}` });
              return "verified";
            } catch (e) {
              const msg = (e as Error).message;
              if (/already verified/i.test(msg)) return "already-verified";
              console.error(`verify ${c.contractName} ${c.address}: ${msg}`);
              return "failed";
            }
          }
        : undefined,
    });
  }, { needsArtifacts: true }));
