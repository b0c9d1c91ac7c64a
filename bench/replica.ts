import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { WAD } from "../spec/units";

/**
 * Replica benchmark: wall time of deploying the whole replica (Aave v3.0.2 + 6 reserves + feeds + DEX pools)
 * plus opening N seeded positions through the real Pool, on the in-process Hardhat network.
 * Target: replica + 500 positions "well under a minute"; this bench fails above 30 s.
 */
export default async function run(hre: HardhatRuntimeEnvironment, { quick }: { quick: boolean }): Promise<void> {
  const { deployReplicaMarket, openPositions, planPopulation, healthFactors } = await import("../scripts/markets/replica");
  const count = quick ? 100 : 500;
  const targetMs = 30_000;
  await hre.network.provider.send("hardhat_reset", []);
  const [deployer] = await hre.ethers.getSigners();
  const t0 = Date.now();
  const replica = await deployReplicaMarket({ deployer });
  const t1 = Date.now();
  const plans = planPopulation({ market: replica.market, seed: 7, count });
  const population = await openPositions({ replica, plans });
  const t2 = Date.now();
  const hfs = await healthFactors(replica, population.positions.map((p) => p.account));
  const below = hfs.filter((h) => h < WAD).length;
  console.log(`replica deploy:           ${((t1 - t0) / 1000).toFixed(2)} s`);
  console.log(`open ${count} positions:     ${((t2 - t1) / 1000).toFixed(2)} s (${population.transactions} transactions, ${population.gasUsed} gas in openPositions)`);
  console.log(`total:                    ${((t2 - t0) / 1000).toFixed(2)} s (target < ${targetMs / 1000} s)`);
  console.log(`positions with HF < 1:    ${below} (expected 0)`);
  if (t2 - t0 > targetMs) throw new Error(`bench replica: ${t2 - t0} ms exceeds the ${targetMs} ms target`);
  if (below > 0) throw new Error(`bench replica: ${below} positions opened below HF 1`);
}
