/**
 * User mistakes in scripts/ops and scripts/params are `UserError`s (one line naming the file, the field, the value
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
