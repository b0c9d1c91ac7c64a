/**
 * `scenario:replay` implementation: load and validate the scenario (nothing is deployed if that fails), prepare the
 * market (local replica, or a fork when FORK_URL is set), open the seeded population once, snapshot, then replay
 * each requested run from that snapshot (baseline: no Cascade Guard; protected: guard installed with the params
 * file, the scenario's own params or the installer's defaults) and write the markdown table (and JSON).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { loadParamsFile, type ParamsFile } from "../../model/params/schema";
import { UserError } from "../../spec/errors";
import { DEFAULT_AAVE_VERSION, type AaveVersion } from "../aave/deployAaveV3";
import { ChainWorld, type CascadeAddresses } from "./chainWorld";
import { replayRun, type ReplayWorld } from "./engine";
import { forkMarketSetup } from "./forkSetup";
import { validateGuardInputs } from "./guardInstall";
import { loadScenario } from "./loader";
import type { MarketSetup } from "./marketSetup";
import { morphoMarketSetup } from "./morphoSetup";
import { exogenousAt } from "./path";
import { pinBlockClock, type PinnableProvider } from "./blockClock";
import { replicaMarketSetup } from "./replicaSetup";
import { writeReplayOutputs, markdownTable } from "./report";
import { type LoadedScenario, type ReplayResult, type RunKind, type RunResult, type Scenario } from "./types";
import { REPLAY_RESULT_SCHEMA } from "../../spec/formats";

export interface ReplayRequest {
  hre: HardhatRuntimeEnvironment;
  /** Path, file name or id of a bundled scenario. */
  scenario: string;
  /** Aave generation of the local replica: "3.6" (default) or "3.0". Ignored in fork mode (the fork is probed). */
  aave?: AaveVersion;
  runs?: RunKind[];
  /** Params file (`cascade-guard/params@1`) for the protected run, read with the one reader; else the scenario's own params. */
  paramsFile?: string;
  /** Or a params file already read with `loadParamsFile` (then `paramsFile` only names it in errors). */
  params?: ParamsFile;
  /** Market builder; defaults to fork mode when FORK_URL is set, else the local replica. */
  setup?: MarketSetup;
  outDir?: string;
  json?: boolean;
  /** Progress: phase label, done, total. */
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface ReplayOutcome {
  result: ReplayResult;
  loaded: LoadedScenario;
  markdown: string;
  written: string[];
  notes: string[];
}

export const DEFAULT_RUNS: RunKind[] = ["baseline", "protected"];

/** Parses `--runs baseline,protected`. */
export function parseRuns(arg: string | undefined): RunKind[] {
  if (!arg) return DEFAULT_RUNS;
  const runs = arg.split(",").map((s) => s.trim()).filter(Boolean);
  for (const r of runs) {
    if (r !== "baseline" && r !== "protected") throw new UserError(`--runs: expected a comma-separated list of baseline, protected; found "${r}"`);
  }
  if (runs.length === 0) throw new UserError(`--runs: expected at least one of baseline, protected; found "${arg}"`);
  return runs as RunKind[];
}

function defaultSetup(scenario: Scenario): MarketSetup {
  if ((scenario.venue ?? "aave") === "morpho") return morphoMarketSetup;
  if (process.env.FORK_URL) return forkMarketSetup;
  return replicaMarketSetup;
}

/** Replays one scenario; returns the result and writes outputs when `outDir` is given. */
export async function runScenarioReplay(req: ReplayRequest): Promise<ReplayOutcome> {
  // 1. Validate every input before touching the chain.
  const loaded = loadScenario(req.scenario);
  const { scenario } = loaded;
  const runs = req.runs ?? DEFAULT_RUNS;
  const params = req.params ?? (req.paramsFile ? loadParamsFile(req.paramsFile) : undefined);
  if (runs.includes("protected")) {
    validateGuardInputs({ params, scenario, scenarioFile: loaded.file, paramsFile: req.paramsFile });
  }
  const setup = req.setup ?? defaultSetup(scenario);
  const progress = req.onProgress ?? (() => undefined);

  // Every block of the replay one second after the previous one, whatever the machine's speed (blockClock.ts).
  const clock = req.hre.network.name === "hardhat" ? await pinBlockClock(req.hre.network.provider as unknown as PinnableProvider) : undefined;
  try {
    return await replayPinned({ req, loaded, runs, params, setup, progress });
  } finally {
    clock?.release();
  }
}

async function replayPinned(r: {
  req: ReplayRequest;
  loaded: LoadedScenario;
  runs: RunKind[];
  params: ParamsFile | undefined;
  setup: MarketSetup;
  progress: (phase: string, done: number, total: number) => void;
}): Promise<ReplayOutcome> {
  const { req, loaded, runs, params, setup, progress } = r;
  const { scenario } = loaded;

  // 2. Market, starting feeds and population (shared by every run through a snapshot).
  const prepared = await setup({ hre: req.hre, scenario, scenarioFile: loaded.file, aave: req.aave ?? DEFAULT_AAVE_VERSION });
  const { ctx } = prepared;
  const exo0 = exogenousAt({ scenario, t: 0 });
  await ctx.dex.setDepth(scenario.path[0].dexDepth ?? scenario.dex.depth);
  await ctx.dex.moveTo(exo0.marketPrice);
  const startOraclePrice = scenario.oracle === "market" ? exo0.marketPrice : exo0.exchangeRate;
  await ctx.feeds.setMarketPrice(exo0.marketPrice);
  await ctx.feeds.setExchangeRate(exo0.exchangeRate);
  await ctx.feeds.setBackingPerToken(exo0.exchangeRate * exo0.backingRatio);
  await ctx.feeds.setAaveCollateralPrice(startOraclePrice);
  const attackerRoom = scenario.events.reduce((a, e) => (e.kind === "attacker-borrow" ? a + e.collateral * startOraclePrice : a), 0);
  const borrowers = await prepared.openPopulation({
    extraWethLiquidity: attackerRoom,
    onProgress: (d, n) => progress("positions", d, n),
  });
  let snapshot = (await ctx.rpc("evm_snapshot", [])) as string;

  // 3. Runs, each from the same snapshot.
  const results: RunResult[] = [];
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i];
    // evm_revert consumes the snapshot: take a fresh one after each revert. (An off-chain DEX is reset by the
    // engine's first step, which sets the starting depth and price.)
    if (i > 0) {
      await ctx.rpc("evm_revert", [snapshot]);
      ctx.dex.resetCaches?.();
    }
    if (i > 0 && i < runs.length - 1) snapshot = (await ctx.rpc("evm_snapshot", [])) as string;
    const cascade = run === "protected" ? await prepared.installGuard({ params }) : undefined;
    const startTimestamp = (await ctx.latestTimestamp()) + 1;
    let world: ReplayWorld;
    if (prepared.createWorld) world = await prepared.createWorld({ run, borrowers, startTimestamp, cascade });
    else {
      const { pool, dataProvider, aaveOracle, eModeCategoryId, eModeConfig } = ctx;
      if (!pool || !dataProvider || !aaveOracle || eModeCategoryId === undefined || !eModeConfig) {
        throw new Error(`${prepared.mode} market of ${scenario.id}: no Aave Pool handles and no createWorld for venue ${scenario.venue ?? "aave"}`);
      }
      const chainWorld = new ChainWorld({ ...ctx, pool, dataProvider, aaveOracle, eModeCategoryId, eModeConfig, borrowers, startTimestamp }, scenario, run, cascade);
      await chainWorld.init();
      world = chainWorld;
    }
    const runResult = await replayRun({ scenario, world, onStep: (d, n) => progress(run, d, n) });
    if (cascade?.settingsSource) runResult.guardSettingsSource = cascade.settingsSource;
    results.push(runResult);
  }

  const result: ReplayResult = {
    schema: REPLAY_RESULT_SCHEMA,
    scenarioId: scenario.id,
    title: scenario.title,
    collateral: scenario.collateral,
    oracle: scenario.oracle,
    venue: scenario.venue ?? "aave",
    synthetic: scenario.synthetic ?? false,
    scenarioFile: loaded.file,
    inputHash: loaded.inputHash,
    mode: prepared.mode,
    aaveVersion: prepared.aaveVersion,
    seed: scenario.positions.seed,
    runs: results,
  };
  const written = req.outDir ? writeReplayOutputs({ result, scenario, outDir: req.outDir, json: req.json ?? false }) : [];
  return { result, loaded, markdown: markdownTable(result, scenario), written, notes: prepared.notes ?? [] };
}
