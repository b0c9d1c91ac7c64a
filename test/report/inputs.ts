/**
 * Inputs for the report tests, produced by the other areas' real code where it exists on this branch.
 */
import fs from "fs";
import path from "path";

export interface NamedObject {
  name: string;
  data: unknown;
}

/** Ecosystem fixture (model schema `cascade-guard/ecosystem@1`), small and synthetic. */
export function ecosystemFixture(): NamedObject {
  const file = path.join(__dirname, "fixtures", "ecosystem-small.json");
  return { name: "ecosystem-small.json", data: JSON.parse(fs.readFileSync(file, "utf8")) };
}

export async function reportTestInputs(): Promise<NamedObject[]> {
  return [ecosystemFixture()];
}
