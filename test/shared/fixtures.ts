/**
 * Shared fixtures: every test deploys through the same code as the tasks (`scripts/replica`, `scripts/aave`).
 * These are the Aave v3.0.2 replica (the suites written for it: sentinel, v3.0 error strings, one eMode category);
 * v3.6 tests live in test/aave36/.
 * Use with `loadFixture(...)` from `@nomicfoundation/hardhat-network-helpers`.
 */
import { ethers } from "hardhat";
import { cascadeAssetsFromReplica, deployCascadeGuard, installCascadeGuard } from "../../scripts/guard";
import { deployReplicaMarket, loadMarketFile, openPositions, planPopulation, type PriceRegimeChoice } from "../../scripts/markets/replica";

/** The replica market from the default market file, exchange-rate regime (as Aave Ethereum), with DEX pools. */
export async function deployReplicaFixture() {
  const [deployer, ...others] = await ethers.getSigners();
  const replica = await deployReplicaMarket({ deployer, aave: "3.0" });
  return { replica, deployer, others };
}

/** Same, market-price regime for every LRT (Morpho/Gearbox style). */
export async function deployReplicaMarketPriceFixture() {
  const [deployer, ...others] = await ethers.getSigners();
  const replica = await deployReplicaMarket({ deployer, aave: "3.0", priceRegime: "market-price" });
  return { replica, deployer, others };
}

/** Replica with a seeded population of `count` positions (seed 7). */
export function replicaWithPopulationFixture(count: number, priceRegime: PriceRegimeChoice = "exchange-rate") {
  return async function replicaWithPopulation() {
    const [deployer, ...others] = await ethers.getSigners();
    const replica = await deployReplicaMarket({ deployer, aave: "3.0", priceRegime });
    const plans = planPopulation({ market: replica.market, seed: 7, count, aaveVersion: "3.0" });
    const population = await openPositions({ replica, plans });
    return { replica, deployer, others, population };
  };
}

/** The default market file, parsed. */
export const defaultMarket = () => loadMarketFile();

/**
 * Replica (exchange-rate regime) with Cascade Guard deployed and installed through `scripts/guard` (every LRT
 * watched; weETH drives eMode category 1 in the haircut module). Signers: deployer, keeper (RISK_KEEPER), guardian.
 */
export async function deployProtectedReplicaFixture() {
  const [deployer, keeper, guardian, ...others] = await ethers.getSigners();
  const replica = await deployReplicaMarket({ deployer, aave: "3.0" });
  const addressesProvider = String(replica.aave.addressesProvider.target);
  const cascade = await deployCascadeGuard({
    deployer,
    addressesProvider,
    assets: await cascadeAssetsFromReplica(replica),
    keeper: keeper.address,
    guardian: guardian.address,
  });
  const install = await installCascadeGuard({ signer: deployer, addressesProvider, cascade });
  return { replica, cascade, install, deployer, keeper, guardian, others };
}
