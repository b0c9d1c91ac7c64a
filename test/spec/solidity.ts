/**
 * Reads a struct's field names from the Solidity interfaces, for the tests that keep the TypeScript field lists
 * (spec/contracts.ts) in step with the contracts.
 */
import fs from "fs";
import path from "path";

const ROOT = path.join(__dirname, "..", "..");

/** Field names of `struct <name> { ... }` in contracts/interfaces/<file>, in declaration order. */
export function solidityStruct(file: string, name: string): string[] {
  const src = fs.readFileSync(path.join(ROOT, "contracts/interfaces", file), "utf8");
  const m = new RegExp(`struct ${name} \\{([^}]*)\\}`).exec(src);
  if (!m) throw new Error(`struct ${name} not found in ${file}`);
  return m[1]
    .split(";")
    .map((l) => l.replace(/\/\/.*$/gm, "").trim().split(/\s+/).pop() ?? "")
    .filter((x) => x.length > 0);
}

