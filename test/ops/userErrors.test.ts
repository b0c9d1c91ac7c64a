/**
 * User mistakes in scripts/ (ops, push, replica:deploy, the replay's options, missing artifacts) are `UserError`s (one line naming the file, the field, the value
 * and the fix; the task wrapper prints it without a stack and exits 1), not plain `Error`s that print a stack.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { UserError } from "../../spec/errors";
import { readAddressBook, readCascadeDeployment } from "../../scripts/ops/addressBook";
import { resolveAssetArg } from "../../scripts/ops/commands";
import { loadAaveMarket, loadNetworkConfig } from "../../scripts/ops/config";
import type { CascadeDeployment } from "../../scripts/ops/addressBook";
import { parseRuns } from "../../scripts/replay/run";
import { loadCascadeParams } from "../../scripts/ops/replicaDeploy";
import { DEFAULT_MARKET_FILE, loadMarketFile } from "../../scripts/markets/replica";
import { localArtifact } from "../../scripts/aave/artifacts";
import { DEFAULT_MODEL_PARAMS } from "../../spec/contracts";
import { writeParamsFile } from "./helpers";

const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
};

describe("ops and params: user errors", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ops-user-errors-"));

  it("--asset that is neither a known symbol nor an address", () => {
    const d = { assets: { weETH: { asset: "0x00000000000000000000000000000000000000e1" } } } as unknown as CascadeDeployment;
    const err = thrown(() => resolveAssetArg("rsETH", d, "book.json"));
    expect(UserError.is(err)).to.equal(true);
    expect(err.message).to.equal('--asset: not a symbol in book.json (known: weETH) nor an address, found "rsETH" (fix: pass one of the known symbols or an asset address)');
  });

  it("address books: malformed JSON, not an object, no Cascade Guard section", () => {
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, "{ nope");
    expect(UserError.is(thrown(() => readAddressBook(bad)))).to.equal(true);
    const arr = path.join(dir, "arr.json");
    fs.writeFileSync(arr, "[]");
    expect(thrown(() => readAddressBook(arr)).message).to.equal(`${arr}: expected a JSON object at the top level, found [] (fix: an address book is the object cascade:deploy and replica:deploy write)`);
    const empty = path.join(dir, "empty.json");
    fs.writeFileSync(empty, "{}");
    const err = thrown(() => readCascadeDeployment(empty));
    expect(UserError.is(err)).to.equal(true);
    expect(err.message).to.match(/^.*empty\.json: cascadeGuard: no Cascade Guard deployment in this address book \(fix: run `npx hardhat cascade:deploy/);
  });

  it("network configs: missing file, unknown Aave market", () => {
    const missing = path.join(dir, "nowhere.json");
    const err = thrown(() => loadNetworkConfig(missing));
    expect(UserError.is(err)).to.equal(true);
    expect(err.message).to.equal(`${missing}: no such network config (fix: create it from deployments/config/README or another network's file)`);
    const market = thrown(() => loadAaveMarket("AaveV3Atlantis", "cfg.json"));
    expect(UserError.is(market)).to.equal(true);
    expect(market.message).to.equal('cfg.json: aave.addressBook: no such market in @aave-dao/aave-address-book, found "AaveV3Atlantis" (fix: use a market name it exports, e.g. "AaveV3Ethereum")');
  });
});

describe("replica:deploy, scenario:replay, cascade:deploy, artifacts: user errors", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "house-user-errors-"));

  it("--runs that names no run is a UserError with the same one line", () => {
    for (const arg of ["nonsense", " , "]) {
      const err = thrown(() => parseRuns(arg));
      expect(UserError.is(err), arg).to.equal(true);
      expect(err.message).to.match(/^--runs: expected (a comma-separated list|at least one) of baseline, protected; found "/);
    }
  });

  it("a params file replica:deploy refuses: one line naming the file, every field and the fix", async () => {
    const file = path.join(dir, "params.json");
    const mp = { ...DEFAULT_MODEL_PARAMS };
    const haircut = {
      baseLtvBps: 7750, baseLtBps: 8000, liquidationBonusBps: 10700, floorLtvBps: 4750, floorLtBps: 6000, eModeCategoryId: 0,
      eModeBaseLtvBps: 0, eModeBaseLtBps: 0, eModeLiquidationBonusBps: 0, eModeFloorLtvBps: 0, eModeFloorLtBps: 0,
      ltRampBpsPerHour: 100, recoveryBandBps: 50, recoveryBpsPerHour: 50, recoveryCooldownSeconds: 21600, freezeOnImpaired: true,
    };
    writeParamsFile(file, [
      { symbol: "FOO", modelParams: mp, haircut },
      // the file's schema takes a multiplier up to 65535; the installer's default bounds stop at 30000
      { symbol: "weETH", modelParams: { ...mp, navDropHaircutMultiplierBps: 40_000 }, haircut },
    ]);
    const market = loadMarketFile(DEFAULT_MARKET_FILE);
    const err = await loadCascadeParams(file, market).then(() => undefined, (e: Error) => e);
    expect(err && UserError.is(err)).to.equal(true);
    expect(err!.message).to.not.contain("\n");
    expect(err!.message).to.contain(file).and.contain("assets[0].symbol").and.contain("assets[1] (weETH).modelParams.navDropHaircutMultiplierBps").and.contain("fix:");
  });

  it("a compiled artifact that is missing asks for `npx hardhat compile` (no require stack)", () => {
    const err = thrown(() => localArtifact("mocks/NoSuch.sol", "NoSuch"));
    expect(UserError.is(err)).to.equal(true);
    expect(err.message).to.equal("artifacts/contracts/mocks/NoSuch.sol/NoSuch.json: compiled artifact not found (fix: run `npx hardhat compile`)");
  });
});
