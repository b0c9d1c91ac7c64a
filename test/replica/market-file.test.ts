import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { DEFAULT_MARKET_FILE, MarketFileError, loadMarketFile, parseMarketFile } from "../../scripts/markets/replica";

const raw = () => JSON.parse(fs.readFileSync(DEFAULT_MARKET_FILE, "utf8"));
const errorOf = (fn: () => unknown): MarketFileError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof MarketFileError) return e;
    throw e;
  }
  throw new Error("expected a MarketFileError");
};

describe("market file (markets/aave-v3-ethereum-core.json)", () => {
  it("parses, and every number carries a source and a date", () => {
    const m = loadMarketFile();
    expect(m.reserves.map((r) => r.symbol)).to.deep.equal(["WETH", "wstETH", "weETH", "ezETH", "rsETH", "osETH", "pufETH"]);
    // v3.2+ layout from the address book: each LRT in its own category (osETH and wstETH in the ETH category 1)
    expect(Object.fromEntries(m.reserves.map((r) => [r.symbol, r.liquidEModeCategoryId]))).to.deep.equal({
      WETH: 1, wstETH: 1, weETH: 26, ezETH: 22, rsETH: 3, osETH: 1, pufETH: 49,
    });
    for (const c of m.liquidEModeCategories) expect(c.borrowable, `category ${c.id}`).to.include("WETH");
    const weeth = m.reserves.find((r) => r.symbol === "weETH")!;
    expect([weeth.ltvBps, weeth.liquidationThresholdBps, weeth.liquidationBonusBps, weeth.supplyCap]).to.deep.equal([77_50, 80_00, 7_00, 84_000]);
    const walk = (node: unknown, at: string): void => {
      if (node && typeof node === "object" && !Array.isArray(node)) {
        const o = node as Record<string, unknown>;
        if ("value" in o) {
          expect(o.source, `${at}.source`).to.be.a("string").and.not.equal("");
          expect(o.asOf, `${at}.asOf`).to.be.a("string").and.not.equal("");
          return;
        }
        // identifiers and ERC-20 metadata are not risk parameters: eMode `id`, token `decimals`
        for (const [k, v] of Object.entries(o)) if (k !== "id" && k !== "decimals") walk(v, `${at}.${k}`);
      } else if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${at}[${i}]`));
      else if (typeof node === "number") expect.fail(`${at}: bare number ${node} without source`);
    };
    walk(raw(), "market");
  });

  it("names the file and the field (with the asset) on a value out of range", () => {
    const m = raw();
    m.reserves[2].ltvBps.value = 12_000;
    const e = errorOf(() => parseMarketFile(m, "x.json"));
    expect(e.message).to.contain("x.json").and.contain("reserves[2] (weETH).ltvBps.value");
  });

  it("rejects an LTV above the LT, LT x (1 + LB) above 100%, and a missing source", () => {
    const a = raw();
    a.reserves[0].ltvBps.value = 90_00;
    expect(errorOf(() => parseMarketFile(a)).message).to.match(/reserves\[0\] \(WETH\)\.ltvBps\.value: LTV 9000 must be <= LT 8300/);
    const b = raw();
    b.reserves[2].liquidationThresholdBps.value = 95_00;
    b.reserves[2].liquidationBonusBps.value = 10_00;
    expect(errorOf(() => parseMarketFile(b)).message).to.match(/exceeds 100%/);
    const c = raw();
    delete c.reserves[3].supplyCap.source;
    expect(errorOf(() => parseMarketFile(c)).message).to.contain("reserves[3] (ezETH).supplyCap.source");
  });

  it("enforces Aave v3.0.2 eMode rules: one category per asset, category LT above members' LT", () => {
    const a = raw();
    a.eModeCategories.push({ ...a.eModeCategories[0], id: 2, label: "dup", assets: ["weETH"] });
    expect(errorOf(() => parseMarketFile(a)).message).to.match(/weETH is already in eMode category 1/);
    const b = raw();
    b.eModeCategories[0].liquidationThresholdBps.value = 82_00;
    b.eModeCategories[0].ltvBps.value = 81_00;
    expect(errorOf(() => parseMarketFile(b)).message).to.match(/WETH reserve LT 8300 must be below the category LT 8200/);
  });

  it("reports malformed JSON and a missing file with the file name", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "market-"));
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, "{ not json");
    expect(errorOf(() => loadMarketFile(bad)).message).to.contain(bad).and.contain("malformed JSON");
    expect(errorOf(() => loadMarketFile(path.join(dir, "none.json"))).message).to.contain("none.json").and.contain("cannot read");
  });
});
