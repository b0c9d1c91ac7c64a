/**
 * Inputs for the report tests, produced in the test by the other areas' real code: a small seeded
 * Monte Carlo run of the model on the bundled ecosystem (plus the ecosystem itself for the graph),
 * the parameter engine's params file, and a real replay through the Aave v3.0.2 replica.
 */
import fs from "fs";
import path from "path";
import { loadEcosystem } from "../../model/ecosystem/schema";
import { simulateCascade } from "../../model/simulate";
import { computeParams, loadPolicy } from "../../model/params";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { RunKind } from "../../scripts/replay/types";

export interface NamedObject {
  name: string;
  data: unknown;
  scenarios?: Record<string, { title?: string; collateral?: string; oracle?: string; synthetic?: boolean }>;
}

/** A short copy of the bundled flash-dislocation scenario (5-minute steps, 24 positions) so a replay fits in a test. */
export const MINI_SCENARIO = path.join(__dirname, "fixtures", "report-mini-dislocation.json");
export const BUNDLED_POLICY = path.join(__dirname, "..", "..", "scenarios", "ecosystems", "policy-default.json");

export const BUNDLED_ECOSYSTEM = path.join(__dirname, "..", "..", "scenarios", "ecosystems", "ethereum-2026.json");

/** Ecosystem fixture (model schema `cascade-guard/ecosystem@1`), small and synthetic. */
export function ecosystemFixture(): NamedObject {
  const file = path.join(__dirname, "fixtures", "ecosystem-small.json");
  return { name: "ecosystem-small.json", data: JSON.parse(fs.readFileSync(file, "utf8")) };
}

/** The bundled ecosystem and a seeded simulation of it (in-process, no worker threads). */
export async function modelInputs(req: { paths: number; seed: number }): Promise<NamedObject[]> {
  const ecosystem = loadEcosystem(BUNDLED_ECOSYSTEM);
  const simulation = await simulateCascade({ ecosystem, paths: req.paths, seed: req.seed, workers: 0 });
  return [
    { name: "scenarios/ecosystems/ethereum-2026.json", data: JSON.parse(fs.readFileSync(BUNDLED_ECOSYSTEM, "utf8")) },
    { name: `simulation-seed${req.seed}-${req.paths}paths.json`, data: simulation },
  ];
}

/** The parameter engine on the bundled ecosystem and default policy, with fewer paths. */
export function paramsInput(req: { paths: number }): NamedObject {
  const ecosystem = loadEcosystem(BUNDLED_ECOSYSTEM);
  const policy = loadPolicy(BUNDLED_POLICY);
  return { name: "params.json", data: computeParams({ ecosystem, policy: { ...policy, paths: req.paths } }) };
}

/** A real replay of the mini scenario on the local replica (scenario:replay's own code path). */
export async function replayInput(req: { hre: HardhatRuntimeEnvironment; runs: RunKind[] }): Promise<NamedObject> {
  const { runScenarioReplay } = await import("../../scripts/replay/run");
  const outcome = await runScenarioReplay({ hre: req.hre, scenario: MINI_SCENARIO, runs: req.runs, aave: "3.0" });
  const sc = outcome.loaded.scenario;
  return {
    name: `${sc.id}.replay.json`,
    data: outcome.result,
    scenarios: { [sc.id]: { title: sc.title, collateral: sc.collateral, oracle: sc.oracle, synthetic: sc.synthetic } },
  };
}

export async function reportTestInputs(hre: HardhatRuntimeEnvironment): Promise<NamedObject[]> {
  return [
    ...(await modelInputs({ paths: 20_000, seed: 20260418 })),
    paramsInput({ paths: 4_000 }),
    // Both runs; the protected one installs Cascade Guard with the scenario's own parameters (what
    // `scenario:replay` does without --params), so the page shows a pause window.
    await replayInput({ hre, runs: ["baseline", "protected"] }),
  ];
}
