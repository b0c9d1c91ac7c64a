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

/**
 * The one-way order of the TypeScript folders, lowest first: a file may import its own folder or any folder before
 * it, never one after it. `report/` reads files (model and spec only); `scripts/*.ts` (the demo) stands above every
 * scripts/ folder.
 */
const FLOORS = ["spec", "model", "report", "scripts/aave", "scripts/markets", "scripts/guard", "scripts/replay", "scripts/ops", "scripts", "tasks"] as const;
const SCANNED = ["spec", "model", "report", "scripts", "tasks"];

/** The floor a project file sits on: the longest FLOORS entry that contains it (undefined outside them). */
function floorOf(file: string): number | undefined {
  const rel = path.relative(ROOT, file).split(path.sep).join("/");
  let best: number | undefined;
  FLOORS.forEach((f, i) => {
    const inside = f === "scripts" ? /^scripts\/[^/]+$/.test(rel) : rel.startsWith(f + "/");
    if (inside && (best === undefined || f.length > FLOORS[best].length)) best = i;
  });
  return best;
}

/** The project file a relative specifier resolves to (`x.ts`, `x/index.ts`), or undefined for generated or data files. */
function resolveProjectFile(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, path.join(base, "index.ts")]) {
    if (/\.ts$/.test(candidate) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Static relative imports of a file (import, import type, export from, side-effect import). */
function staticRelativeImports(source: string): string[] {
  const specs: string[] = [];
  for (const re of [/^\s*(?:import|export)\s[^;]*?\bfrom\s+["'](\.[^"']+)["']/gm, /^\s*import\s+["'](\.[^"']+)["']/gm]) {
    for (const m of source.matchAll(re)) specs.push(m[1]);
  }
  return specs;
}

/** Source without its comment lines (a JSDoc example is not an import). */
function code(source: string): string {
  return source.replace(/^\s*(?:\/\/|\/?\*).*$/gm, "");
}

/** `import(`/`require(` calls whose target is project code: a relative specifier or one the scanner cannot read. */
function dynamicProjectImports(source: string): string[] {
  const out: string[] = [];
  for (const m of code(source).matchAll(/\b(?:import|require)\(\s*([^)]*?)\s*[,)]/g)) {
    const arg = m[1];
    const literal = /^["'`]([^"'`$]*)/.exec(arg);
    if (literal && !literal[1].startsWith(".") && literal[1] !== "") continue; // a package or node built-in
    if (/^`\$\{[A-Z_]+\}\//.test(arg)) continue; // a package path held in an UPPER_CASE constant (`${AAVE}/…`)
    out.push(arg);
  }
  return out;
}

/**
 * Every project import edge under the scanned folders: [from, to]. Static imports always; with `dynamic`, the
 * literal `import("./x")` calls below tasks/ too (a circle closed through a dynamic import is still a circle).
 */
function projectEdges(dynamic = false): Array<[string, string]> {
  const edges: Array<[string, string]> = [];
  for (const dir of SCANNED) {
    for (const f of tsFiles(path.join(ROOT, dir))) {
      const source = fs.readFileSync(f, "utf8");
      const specs = staticRelativeImports(source);
      if (dynamic && dir !== "tasks") for (const m of code(source).matchAll(/\bimport\(\s*["'](\.[^"']+)["']\s*\)/g)) specs.push(m[1]);
      for (const spec of specs) {
        const to = resolveProjectFile(f, spec);
        if (to) edges.push([f, to]);
      }
    }
  }
  return edges;
}

/** The import circles among `edges`, each as the list of files on it (one per strongly connected component). */
function circles(edges: Array<[string, string]>): string[][] {
  const next = new Map<string, string[]>();
  for (const [a, b] of edges) next.set(a, [...(next.get(a) ?? []), b]);
  const nodes = [...new Set(edges.flat())];
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(path.relative(ROOT, w));
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return found;
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
    fs.writeFileSync(tmp, `import { Contract } from "ethers";\nimport { task } from "hardhat/config";\nimport { x } from "../scripts/ops/status";\n`);
    try {
      expect(violations(tmp, [path.join(ROOT, "cache"), path.join(ROOT, "spec")], PURE_PACKAGES.spec)).to.have.length(3);
    } finally {
      fs.rmSync(tmp);
    }
  });

  it("no import circle among spec/, model/, report/, scripts/ and tasks/ (type-only imports count)", () => {
    expect(circles(projectEdges(true))).to.deep.equal([]);
  });

  it("every file under scripts/ sits on a named floor (scripts/*.ts or one of the folders above)", () => {
    const loose = tsFiles(path.join(ROOT, "scripts"))
      .filter((f) => floorOf(f) === undefined)
      .map((f) => path.relative(ROOT, f));
    expect(loose).to.deep.equal([]);
  });

  it(`folders depend one way: ${FLOORS.join(" -> ")}`, () => {
    const backward = projectEdges()
      .filter(([a, b]) => floorOf(a) !== undefined && floorOf(b) !== undefined && floorOf(b)! > floorOf(a)!)
      .map(([a, b]) => `${path.relative(ROOT, a)} (${FLOORS[floorOf(a)!]}) imports ${path.relative(ROOT, b)} (${FLOORS[floorOf(b)!]})`);
    expect(backward).to.deep.equal([]);
  });

  it("no dynamic import(...)/require(...) of project code below tasks/ (tasks load their implementation lazily)", () => {
    const found: string[] = [];
    for (const dir of ["spec", "model", "scripts"]) {
      // .js files are worker-thread entries: plain JavaScript that must require the TypeScript kernel by path.
      for (const f of tsFiles(path.join(ROOT, dir)).filter((p) => p.endsWith(".ts"))) {
        for (const arg of dynamicProjectImports(fs.readFileSync(f, "utf8"))) found.push(`${path.relative(ROOT, f)}: ${arg}`);
      }
    }
    expect(found).to.deep.equal([]);
  });

  it("the checks catch a circle, a backward edge and a hidden dynamic import", () => {
    const a = path.join(ROOT, "scripts/guard/a.ts");
    const b = path.join(ROOT, "scripts/markets/b.ts");
    expect(circles([[a, b], [b, a]])).to.have.length(1);
    expect(floorOf(b)! < floorOf(a)!).to.equal(true);
    expect(dynamicProjectImports(`const m = await import(specifier);\nrequire("../params/x");\nawait import("./y");\nrequire("fs");\nrequire(\`\${AAVE}/IPool.json\`);`)).to.deep.equal(["specifier", '"../params/x"', '"./y"']);
  });
});
