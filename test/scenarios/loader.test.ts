import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import {
  BUNDLED_SCENARIO_DIR,
  ScenarioValidationError,
  listBundledScenarios,
  loadScenario,
} from "../../scripts/replay/loader";

function writeTemp(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cg-scenario-"));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

function bundled(id: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(BUNDLED_SCENARIO_DIR, `${id}.json`), "utf8"));
}

function expectIssue(fn: () => unknown, file: string, pointer: string, expected: RegExp) {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ScenarioValidationError);
    const e = err as ScenarioValidationError;
    expect(e.message).to.include(file);
    const issue = e.issues.find((i) => i.pointer === pointer);
    expect(issue, `no issue at ${pointer}; got ${e.message}`).to.not.equal(undefined);
    expect(issue!.expected).to.match(expected);
    expect(e.message).to.include(`field ${pointer}`);
    return e;
  }
  expect.fail("expected a ScenarioValidationError");
}

describe("scenario loader", function () {
  it("bundles the seven reference scenarios and every one validates", function () {
    const ids = listBundledScenarios();
    expect(ids).to.have.members([
      "ezeth-2024-04-24",
      "steth-2022-06",
      "weeth-2024-08-05",
      "exit-queue-2025-07",
      "rseth-2026-04-18",
      "synthetic-correlated-slash",
      "synthetic-flash-dislocation",
    ]);
    for (const id of ids) {
      const loaded = loadScenario(id);
      expect(loaded.scenario.id).to.equal(id);
      expect(loaded.scenario.sources.length).to.be.greaterThan(0);
      expect(loaded.inputHash).to.match(/^[0-9a-f]{64}$/);
    }
  });

  it("labels estimates in every bundled scenario's sources", function () {
    for (const id of listBundledScenarios()) {
      const s = loadScenario(id).scenario;
      expect(s.sources.some((x) => x.includes("(est.)")), id).to.equal(true);
    }
  });

  it("names the file, the field and the expectation for a bad number", function () {
    const doc = bundled("synthetic-flash-dislocation");
    (doc.path as Record<string, unknown>[])[2].marketPrice = -0.5;
    const file = writeTemp("bad-price.json", JSON.stringify(doc));
    expectIssue(() => loadScenario(file), file, "/path/2/marketPrice", /> 0/);
  });

  it("names a missing required field", function () {
    const doc = bundled("weeth-2024-08-05");
    delete doc.stepSeconds;
    const file = writeTemp("no-step.json", JSON.stringify(doc));
    expectIssue(() => loadScenario(file), file, "/stepSeconds", /required/);
  });

  it("rejects an unknown field and an unknown enum value", function () {
    const doc = bundled("weeth-2024-08-05");
    doc.oracle = "twap";
    doc.leverage = 3;
    const file = writeTemp("enum.json", JSON.stringify(doc));
    const e = expectIssue(() => loadScenario(file), file, "/oracle", /"market", "exchange-rate"/);
    expect(e!.issues.map((i) => i.pointer)).to.include("/leverage");
  });

  it("rejects an unknown venue naming the file, /venue, the venues and what was found", function () {
    const doc = bundled("ezeth-2024-04-24");
    doc.venue = "compound";
    const file = writeTemp("venue.json", JSON.stringify(doc));
    const e = expectIssue(() => loadScenario(file), file, "/venue", /"aave", "morpho"/);
    expect(e!.issues.find((i) => i.pointer === "/venue")!.found).to.equal('"compound"');
  });

  it("rejects eMode on the Morpho venue (one LLTV per market) and defaults the venue to aave", function () {
    const doc = bundled("ezeth-2024-04-24");
    doc.emode = true;
    const file = writeTemp("morpho-emode.json", JSON.stringify(doc));
    expectIssue(() => loadScenario(file), file, "/emode", /false on venue "morpho"/);
    expect(loadScenario("ezeth-2024-04-24").scenario.venue).to.equal("morpho");
    expect(loadScenario("weeth-2024-08-05").scenario.venue ?? "aave").to.equal("aave");
  });

  it("checks an event against its kind", function () {
    const doc = bundled("synthetic-correlated-slash");
    delete (doc.events as Record<string, unknown>[])[1].exchangeRateDropBps;
    const file = writeTemp("event.json", JSON.stringify(doc));
    expectIssue(() => loadScenario(file), file, "/events/1/exchangeRateDropBps", /required/);
  });

  it("reads the attacker's forged collateral as invalidated (sourced) on rsETH 2026 and rejects a non-boolean", function () {
    const s = loadScenario("rseth-2026-04-18").scenario;
    const ev = s.events.find((e) => e.kind === "attacker-borrow");
    expect(ev && ev.kind === "attacker-borrow" && ev.collateralInvalidated).to.equal(true);
    expect(s.sources.some((x) => /invalidated/i.test(x) && /75,081/.test(x))).to.equal(true);
    const doc = bundled("rseth-2026-04-18");
    (doc.events as Record<string, unknown>[])[0].collateralInvalidated = "yes";
    const file = writeTemp("invalidated.json", JSON.stringify(doc));
    expectIssue(() => loadScenario(file), file, "/events/0/collateralInvalidated", /boolean/);
  });

  it("rejects time going backwards, a first point without prices, and HF bounds out of order", function () {
    const doc = bundled("ezeth-2024-04-24");
    const p = doc.path as Record<string, unknown>[];
    p[3].t = 1000;
    delete p[0].exchangeRate;
    (doc.positions as { healthFactor: Record<string, number> }).healthFactor = { min: 1.01, mode: 3, max: 2 };
    const file = writeTemp("semantic.json", JSON.stringify(doc));
    const e = expectIssue(() => loadScenario(file), file, "/path/3/t", /strictly greater/);
    const pointers = e!.issues.map((i) => i.pointer);
    expect(pointers).to.include("/path/0/exchangeRate");
    expect(pointers).to.include("/positions/healthFactor");
  });

  it("rejects a non-positive arbitrage capital for the pool's refill, naming the field", function () {
    const doc = bundled("ezeth-2024-04-24");
    (doc.dex as Record<string, unknown>).arbitrageCapitalEth = 0;
    const file = writeTemp("refill.json", JSON.stringify(doc));
    expectIssue(() => loadScenario(file), file, "/dex/arbitrageCapitalEth", /> 0/);
  });

  it("rejects HF bands whose shares do not sum to 1 or whose bounds are out of order, naming the field", function () {
    const doc = bundled("ezeth-2024-04-24");
    const bands = (doc.positions as { healthFactor: { bands: Record<string, number>[] } }).healthFactor.bands;
    expect(bands.length).to.be.greaterThan(1);
    bands[0].share -= 0.1;
    bands[1].min = bands[1].max + 0.1;
    const file = writeTemp("bands.json", JSON.stringify(doc));
    const e = expectIssue(() => loadScenario(file), file, "/positions/healthFactor/bands", /sum(ming)? to 1/);
    expect(e!.issues.map((i) => i.pointer)).to.include("/positions/healthFactor/bands/1");
  });

  it("reports malformed JSON with the file name", function () {
    const file = writeTemp("broken.json", "{ \"schema\": ");
    expectIssue(() => loadScenario(file), file, "", /well-formed JSON/);
  });
});
