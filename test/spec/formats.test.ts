/**
 * One registry of file formats (spec/formats.ts): every id in one style, each id held by the module constants the
 * registry names (until they become imports of it), and every bundled file naming a registered format.
 */
import { expect } from "chai";
import fs from "fs";
import path from "path";
import { FORMATS, FORMAT_LIST, ID_PATTERN, formatById, schemaIdOf } from "../../spec/formats";

const ROOT = path.join(__dirname, "..", "..");

describe("spec/formats: one registry of file formats", () => {
  it("lists twelve formats, ours in the style cascade-guard/<kind>@<major>, each id once", () => {
    expect(FORMAT_LIST).to.have.length(12);
    const ours = FORMAT_LIST.filter((f) => f.owner === "cascade-guard");
    expect(ours).to.have.length(11);
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
    expect(checked).to.be.greaterThan(10);
  });

  it("every reader and writer it names exists", () => {
    for (const f of FORMAT_LIST) for (const m of [...f.readers, ...f.writers]) expect(fs.existsSync(path.join(ROOT, `${m}.ts`)), `${f.kind}: ${m}`).to.equal(true);
  });

  it("every bundled JSON document names a registered format under one of its current keys", () => {
    const dirs = ["scenarios", "scenarios/ecosystems", "markets", "deployments/config", "test/report/fixtures"];
    let seen = 0;
    for (const dir of dirs) {
      for (const name of fs.readdirSync(path.join(ROOT, dir)).filter((n) => n.endsWith(".json"))) {
        const doc = JSON.parse(fs.readFileSync(path.join(ROOT, dir, name), "utf8"));
        const id = schemaIdOf(doc);
        const spec = id === undefined ? undefined : formatById(id);
        expect(spec, `${dir}/${name}: ${id}`).to.not.equal(undefined);
        expect(spec!.currentKeys.some((k) => (doc as Record<string, unknown>)[k] === id), `${dir}/${name}`).to.equal(true);
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
