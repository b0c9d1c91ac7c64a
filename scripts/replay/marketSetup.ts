/**
 * The contract between the replay (run.ts) and the market setups (replicaSetup.ts, forkSetup.ts, morphoSetup.ts):
 * the setups build a `PreparedMarket`, run.ts replays on it. Kept apart from both so neither imports the other's file.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ParamsFile } from "../../model/params/schema";
import type { AaveVersion } from "../aave/deployAaveV3";
import type { CascadeAddresses, ReplayMarketContext } from "./chainWorld";
import type { ReplayWorld } from "./engine";
import type { RunKind, Scenario } from "./types";

/** A market prepared for one scenario (before the population is opened). */
export interface PreparedMarket {
  mode: "replica" | "fork";
  /** Aave generation of the market: "3.0" / "3.6" (replica) or the probed generation (fork). */
  aaveVersion: string;
  /** Human-readable facts about the market found (fork mode: Aave version, admins impersonated). */
  notes?: string[];
  /** The Aave handles (pool, dataProvider, aaveOracle, eMode) are set on the Aave venue only. */
  ctx: VenueContext;
  /**
   * Opens the scenario's seeded population at the current (t = 0) prices, with WETH liquidity for every borrow plus
   * `extraWethLiquidity` ETH (the attacker's room); returns the borrower addresses.
   */
  openPopulation(request: { extraWethLiquidity: number; onProgress?: (done: number, total: number) => void }): Promise<string[]>;
  /** Deploys Cascade Guard and installs it on the market (roles, sentinel, asset configs, params). */
  installGuard(request: { params?: ParamsFile }): Promise<CascadeAddresses>;
  /**
   * Venues other than an Aave Pool build their own world (Morpho: `morphoSetup.ts`); when absent the run uses
   * `ChainWorld` on `ctx`. The world returned is initialised.
   */
  createWorld?(request: { run: RunKind; borrowers: string[]; startTimestamp: number; cascade?: CascadeAddresses }): Promise<ReplayWorld>;
}

/** A market context with the Aave handles (what the Aave venue's setups build). */
export type AaveVenueContext = Omit<ReplayMarketContext, "borrowers" | "startTimestamp">;
/** Aave-only fields of a market context. */
type AaveHandles = "pool" | "dataProvider" | "aaveOracle" | "eModeCategoryId" | "eModeConfig";
/** What every venue's prepared market gives run.ts; the Aave handles only on the Aave venue. */
export type VenueContext = Omit<ReplayMarketContext, "borrowers" | "startTimestamp" | AaveHandles> & Partial<Pick<ReplayMarketContext, AaveHandles>>;

/** Builds the market a scenario runs on. */
export type MarketSetup = (request: {
  hre: HardhatRuntimeEnvironment;
  scenario: Scenario;
  scenarioFile: string;
  /** Replica mode: the Aave generation to deploy (fork mode probes the chain instead). */
  aave: AaveVersion;
}) => Promise<PreparedMarket>;
