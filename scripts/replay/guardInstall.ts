/**
 * Deploys and installs Cascade Guard on a market for the protected run, through the replica area's
 * `scripts/cascade/` installer (one source of truth with tests, demo and ops).
 */
import type { Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { CascadeAddresses } from "./chainWorld";
import type { Scenario } from "./types";
import type { AaveGeneration } from "../fork/aaveVersion";

export interface GuardInstallRequest {
  hre: HardhatRuntimeEnvironment;
  /** Holds POOL_ADMIN (and RISK/EMERGENCY admin) on the market. */
  operator: Signer;
  addressesProvider: string;
  collateral: string;
  /** Collateral/ETH market feed (18 decimals), exchange-rate provider (`getRate()`), backing feed (18 decimals). */
  marketFeed: string;
  rateProvider: string;
  backingFeed: string;
  eModeCategoryId: number;
  generation: AaveGeneration;
  params: unknown;
  scenario: Scenario;
}

export async function installGuardOnMarket(req: GuardInstallRequest): Promise<CascadeAddresses> {
  throw new Error(
    `installGuardOnMarket: the Cascade Guard installer (scripts/cascade) is not on main yet; cannot run the protected replay of ${req.scenario.id}`,
  );
}
