import { expect } from "chai";
import fs from "fs";
import path from "path";
import { loadEcosystem } from "../../model/ecosystem/schema";
import { simulateCascade } from "../../model/simulate";
import type { SimulationOutput } from "../../model/output";

/**
 * Summary statistics of the bundled ecosystem under a fixed seed, checked in. Any change to the model, the engine or
 * the ecosystem file shows up here. Regenerate deliberately with `UPDATE_SNAPSHOTS=1 npx hardhat test test/model/snapshot.test.ts`.
 */
const SNAP = path.join(__dirname, "__snapshots__", "ethereum-2026.seed2026.json");
const ECO = path.join(__dirname, "../../scenarios/ecosystems/ethereum-2026.json");
const PATHS = 50_000;
const SEED = 2026;

const sig = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(10)) : x);
function tail(t: SimulationOutput["total"]["badDebtEth"]) {
  return { mean: sig(t.mean), pPositive: sig(t.pPositive), var95: sig(t.var95), var99: sig(t.var99), es95: sig(t.es95), es99: sig(t.es99), max: sig(t.max) };
}
export function summarise(out: SimulationOutput) {
  return {
    modelVersion: out.modelVersion,
    inputHash: out.inputHash,
    seed: out.seed,
    paths: out.paths,
    pAnySlash: sig(out.events.pAnySlash),
    pathsNotConverged: out.convergence.pathsNotConverged,
    totalBadDebtEth: tail(out.total.badDebtEth),
    totalLiquidatedEth: tail(out.total.liquidatedEth),
    byLrt: out.byLrt.map((l) => ({
      id: l.id,
      navLossMean: sig(l.navLossFrac.mean),
      navLossP99UpperEdge: sig(l.navLossFrac.p99),
      navLossMax: sig(l.navLossFrac.max),
      depegMean: sig(l.depegFrac.mean),
      depegMax: sig(l.depegFrac.max),
      badDebtEth: tail(l.badDebtEth),
      meanLiquidatedEth: sig(l.liquidatedEth.mean),
    })),
    byVenue: out.byVenue.map((v) => ({ id: v.id, badDebtEth: tail(v.badDebtEth), meanLiquidatedEth: sig(v.liquidatedEth.mean) })),
  };
}

describe("model: snapshot of the bundled ecosystem", function () {
  it(`summary statistics for ethereum-2026, seed ${SEED}, ${PATHS} paths match the checked-in snapshot`, async function () {
    const out = await simulateCascade({ ecosystem: loadEcosystem(ECO), paths: PATHS, seed: SEED, workers: 0 });
    const got = summarise(out);
    if (process.env.UPDATE_SNAPSHOTS === "1" || !fs.existsSync(SNAP)) {
      if (!process.env.UPDATE_SNAPSHOTS && process.env.CI) throw new Error(`snapshot ${SNAP} missing (run with UPDATE_SNAPSHOTS=1)`);
      fs.mkdirSync(path.dirname(SNAP), { recursive: true });
      fs.writeFileSync(SNAP, JSON.stringify(got, null, 1) + "\n");
      return;
    }
    const want = JSON.parse(fs.readFileSync(SNAP, "utf8"));
    expect(got).to.deep.equal(want);
  });
});
