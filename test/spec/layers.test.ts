/**
 * The floors: spec/ is the ground floor (pure TypeScript, imports only spec/, node built-ins and pure libraries);
 * model/ stands on it (imports only model/, spec/, node built-ins and pure libraries; never Hardhat, ethers or
 * anything chain-related). Read from the sources, so a new import that breaks a floor fails here.
 */
import { expect } from "chai";
import fs from "fs";
import { builtinModules } from "module";
import path from "path";

const ROOT = path.join(__dirname, "..", "..");

/** Pure npm libraries a lower floor may use (no chain, no Hardhat). */
const PURE_PACKAGES: Record<string, readonly string[]> = {
  spec: ["zod", "cli-table3"],
  // ts-node: the worker-thread entry registers it to run the TypeScript kernel.
  model: ["zod", "cli-table3", "cli-progress", "ts-node"],
};

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "__snapshots__" ? [] : tsFiles(p);
    return /\.(ts|js)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** Every module specifier a file imports, re-exports, requires or dynamically imports. */
function importsOf(source: string): string[] {
  const specs: string[] = [];
  const patterns = [/\bfrom\s+["']([^"']+)["']/g, /\bimport\s+["']([^"']+)["']/g, /\brequire\(\s*["']([^"']+)["']\s*\)/g, /\bimport\(\s*["']([^"']+)["']\s*\)/g, /\brequire\.resolve\(\s*["']([^"']+)["']/g];
  for (const re of patterns) for (const m of source.matchAll(re)) specs.push(m[1]);
  return specs;
}

/** Problems with `file`'s imports for a floor that may reach only `allowedDirs` and `packages`. */
function violations(file: string, allowedDirs: string[], packages: readonly string[]): string[] {
  const out: string[] = [];
  for (const spec of importsOf(fs.readFileSync(file, "utf8"))) {
    if (spec.startsWith(".")) {
      const target = path.resolve(path.dirname(file), spec);
      if (!allowedDirs.some((d) => target === d || target.startsWith(d + path.sep))) out.push(`${path.relative(ROOT, file)} imports ${spec} (outside ${allowedDirs.map((d) => path.relative(ROOT, d)).join(", ")})`);
      continue;
    }
    const name = spec.startsWith("node:") ? spec.slice(5) : spec;
    const pkg = name.startsWith("@") ? name.split("/").slice(0, 2).join("/") : name.split("/")[0];
    if (builtinModules.includes(pkg) || packages.includes(pkg)) continue;
    out.push(`${path.relative(ROOT, file)} imports ${spec} (not a node built-in nor one of ${packages.join(", ")})`);
  }
  return out;
}

describe("layers: spec -> model -> contracts/scripts -> tasks", () => {
  it("the import scanner sees every kind of import", () => {
    const src = `import a from "./a";\nimport type { B } from '../b';\nexport * from "./c";\nimport "./d";\nconst e = require("ethers");\nawait import("hardhat");\n`;
    expect(importsOf(src)).to.have.members(["./a", "../b", "./c", "./d", "ethers", "hardhat"]);
  });

  it("spec/ imports only spec/, node built-ins and pure libraries", () => {
    const dir = path.join(ROOT, "spec");
    const files = tsFiles(dir);
    expect(files.length).to.be.greaterThan(5);
    expect(files.flatMap((f) => violations(f, [dir], PURE_PACKAGES.spec))).to.deep.equal([]);
  });

  it("model/ imports only model/, spec/, node built-ins and pure libraries", () => {
    const dir = path.join(ROOT, "model");
    const files = tsFiles(dir);
    expect(files.length).to.be.greaterThan(10);
    expect(files.flatMap((f) => violations(f, [dir, path.join(ROOT, "spec")], PURE_PACKAGES.model))).to.deep.equal([]);
  });

  it("tasks/ load with nothing compiled: top-level imports only hardhat/config, the wrapper, spec/ and node built-ins", () => {
    const dir = path.join(ROOT, "tasks");
    const allowed = (spec: string, file: string) => {
      if (spec === "hardhat/config" || spec === "hardhat/types") return true;
      if (builtinModules.includes(spec.replace(/^node:/, ""))) return true;
      if (!spec.startsWith(".")) return false;
      const target = path.resolve(path.dirname(file), spec);
      return target.startsWith(path.join(ROOT, "spec") + path.sep) || target.startsWith(path.join(dir, "lib") + path.sep);
    };
    const found: string[] = [];
    for (const f of [...tsFiles(dir)]) {
      // Static imports only: the implementation is loaded with `await import(...)` inside the action.
      for (const m of fs.readFileSync(f, "utf8").matchAll(/^(?:import|export)\s[^;]*?from\s+["']([^"']+)["'];?$/gm)) {
        if (!allowed(m[1], f)) found.push(`${path.relative(ROOT, f)} imports ${m[1]} at the top level`);
      }
    }
    expect(found).to.deep.equal([]);
  });

  it("a chain import in a lower floor is caught", () => {
    const tmp = path.join(ROOT, "cache", "layers-probe.ts");
    fs.mkdirSync(path.dirname(tmp), { recursive: true });
    fs.writeFileSync(tmp, `import { Contract } from "ethers";\nimport { task } from "hardhat/config";\nimport { x } from "../scripts/ops/table";\n`);
    try {
      expect(violations(tmp, [path.join(ROOT, "cache"), path.join(ROOT, "spec")], PURE_PACKAGES.spec)).to.have.length(3);
    } finally {
      fs.rmSync(tmp);
    }
  });
});
