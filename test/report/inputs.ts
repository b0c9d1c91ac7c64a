/**
 * Inputs for the report tests, produced in the test by the other areas' real code: a small seeded
 * Monte Carlo run of the model on the bundled ecosystem, plus the ecosystem itself for the graph.
 */
import fs from "fs";
import path from "path";
import { loadEcosystem } from "../../model/ecosystem/schema";
import { simulateCascade } from "../../model/simulate";

export interface NamedObject {
  name: string;
  data: unknown;
}

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

export async function reportTestInputs(): Promise<NamedObject[]> {
  return modelInputs({ paths: 20_000, seed: 20260418 });
}
