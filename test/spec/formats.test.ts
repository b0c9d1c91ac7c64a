/**
 * One registry of file formats (spec/formats.ts): every id in one style, each id held by the module constants the
 * registry names (until they become imports of it), and every bundled file naming a registered format.
 */
import { expect } from "chai";
import fs from "fs";
import path from "path";
import { FORMATS, FORMAT_LIST, ID_PATTERN, formatById, schemaIdOf, withSchemaKey } from "../../spec/formats";

const ROOT = path.join(__dirname, "..", "..");

describe("spec/formats: one registry of file formats", () => {
  it("lists fourteen formats, ours in the style cascade-guard/<kind>@<major> under the key schema, each id once", () => {
    expect(FORMAT_LIST).to.have.length(14);
    const ours = FORMAT_LIST.filter((f) => f.owner === "cascade-guard");
    expect(ours).to.have.length(13);
    for (const f of ours) expect(f.key, f.kind).to.equal("schema");
    for (const f of ours) expect(f.id, f.kind).to.match(ID_PATTERN);
    expect(new Set(FORMAT_LIST.map((f) => f.id)).size).to.equal(FORMAT_LIST.length);
    for (const f of FORMAT_LIST) expect(f.readers.length, `${f.kind} has a reader`).to.be.greaterThan(0);
  });

  it("every module constant it names holds the registry's id", async () => {
    let checked = 0;
    for (const f of FORMAT_LIST) {
      for (const ref of f.constants) {
        const [file, name] = ref.split("#");
        expect(fs.existsSync(path.join(ROOT, `${file}.ts`)), ref).to.equal(true);
        const mod = (await import(path.join(ROOT, file))) as Record<string, unknown>;
        expect(mod[name], ref).to.equal(f.id);
        checked += 1;
      }
    }
    expect(checked).to.be.greaterThan(3);
  });

  it("scripts/, report/ and tasks/ hold no id literal of their own: they import the ids from spec/formats.ts", () => {
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
    const found: string[] = [];
    for (const dir of ["scripts", "report", "tasks"]) {
      for (const f of files(path.join(ROOT, dir))) {
        const code = fs.readFileSync(f, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
        for (const m of code.matchAll(/["'`](cascade-guard\/[a-z-]+@\d+)["'`]/g)) found.push(`${path.relative(ROOT, f)}: ${m[1]}`);
      }
    }
    expect(found).to.deep.equal([]);
  });

  it("writers write schema only; readers take a legacy key for one release (withSchemaKey)", () => {
    expect(withSchemaKey({ format: "cascade-guard/network-config@1", network: "x" })).to.deep.equal({ schema: "cascade-guard/network-config@1", network: "x" });
    expect(withSchemaKey({ $schema: "cascade-guard/market@1", name: "m" })).to.deep.equal({ schema: "cascade-guard/market@1", name: "m" });
    expect(withSchemaKey({ schema: "cascade-guard/params@1", format: "cascade-guard/params@1" })).to.deep.equal({ schema: "cascade-guard/params@1" });
    expect(withSchemaKey([1])).to.deep.equal([1]);
  });

  it("every reader and writer it names exists", () => {
    for (const f of FORMAT_LIST) for (const m of [...f.readers, ...f.writers]) expect(fs.existsSync(path.join(ROOT, `${m}.ts`)), `${f.kind}: ${m}`).to.equal(true);
  });

  it("every bundled JSON document names a registered format under `schema` only (no legacy format/$schema key)", () => {
    const dirs = ["scenarios", "scenarios/ecosystems", "markets", "deployments/config", "test/report/fixtures"];
    let seen = 0;
    for (const dir of dirs) {
      for (const name of fs.readdirSync(path.join(ROOT, dir)).filter((n) => n.endsWith(".json"))) {
        const doc = JSON.parse(fs.readFileSync(path.join(ROOT, dir, name), "utf8"));
        const id = schemaIdOf(doc);
        const spec = id === undefined ? undefined : formatById(id);
        expect(spec, `${dir}/${name}: ${id}`).to.not.equal(undefined);
        expect((doc as Record<string, unknown>)[spec!.key], `${dir}/${name}`).to.equal(id);
        for (const legacy of spec!.legacyKeys) expect(doc, `${dir}/${name} still carries ${legacy}`).to.not.have.property(legacy);
        seen += 1;
      }
    }
    expect(seen).to.be.greaterThan(12);
  });

  it("reads the id under schema first, then format, then $schema; matches ids exactly, never by pattern", () => {
    expect(schemaIdOf({ schema: "cascade-guard/params@1", format: "x" })).to.equal("cascade-guard/params@1");
    expect(schemaIdOf({ format: "cascade-guard/network-config@1" })).to.equal("cascade-guard/network-config@1");
    expect(schemaIdOf({ $schema: "cascade-guard/market@1" })).to.equal("cascade-guard/market@1");
    expect(schemaIdOf([1, 2])).to.equal(undefined);
    expect(schemaIdOf({ schema: 3 })).to.equal(undefined);
    expect(formatById("cascade-guard/params@1")).to.equal(FORMATS.params);
    expect(formatById("cascade-guard/params@2")).to.equal(undefined);
    expect(formatById("acme/params@1")).to.equal(undefined);
    expect(formatById("1.0")).to.equal(undefined); // the Safe batch is not ours
  });
});
