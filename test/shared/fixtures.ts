/**
 * Shared fixtures: every test deploys through the same code as the tasks (`scripts/replica`, `scripts/aave`).
 * Use with `loadFixture(...)` from `@nomicfoundation/hardhat-network-helpers`.
 */
import { ethers } from "hardhat";
import { deployReplicaMarket, loadMarketFile, openPositions, planPopulation, type PriceRegimeChoice } from "../../scripts/replica";

/** The replica market from the default market file, exchange-rate regime (as Aave Ethereum), with DEX pools. */
export async function deployReplicaFixture() {
  const [deployer, ...others] = await ethers.getSigners();
  const replica = await deployReplicaMarket({ deployer });
  return { replica, deployer, others };
}

/** Same, market-price regime for every LRT (Morpho/Gearbox style). */
export async function deployReplicaMarketPriceFixture() {
  const [deployer, ...others] = await ethers.getSigners();
  const replica = await deployReplicaMarket({ deployer, priceRegime: "market-price" });
  return { replica, deployer, others };
}

/** Replica with a seeded population of `count` positions (seed 7). */
export function replicaWithPopulationFixture(count: number, priceRegime: PriceRegimeChoice = "exchange-rate") {
  return async function replicaWithPopulation() {
    const [deployer, ...others] = await ethers.getSigners();
    const replica = await deployReplicaMarket({ deployer, priceRegime });
    const plans = planPopulation({ market: replica.market, seed: 7, count });
    const population = await openPositions({ replica, plans });
    return { replica, deployer, others, population };
  };
}

/** The default market file, parsed. */
export const defaultMarket = () => loadMarketFile();
