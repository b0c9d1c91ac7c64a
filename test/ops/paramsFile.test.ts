/**
 * The params file has one reader (model/params/schema.ts `loadParamsFile`); params:push works on the `ParamsFile`
 * it returns (`pushTargets`), with no schema of its own and no dynamic import standing in for a static one.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { loadParamsFile } from "../../model/params/schema";
import { UserError } from "../../spec/errors";
import * as paramsFileModule from "../../scripts/ops/push/push";
import { writeParamsFile } from "./helpers";

const ROOT = path.join(__dirname, "..", "..");
const WEETH = "0x00000000000000000000000000000000000000e1";
const MP = {
  tripDiscountBps: 400, stressDiscountBps: 300, navDropHaircutMultiplierBps: 10_000,
  knot0DiscountBps: 0, knot0HaircutBps: 0, knot1DiscountBps: 200, knot1HaircutBps: 500,
  knot2DiscountBps: 500, knot2HaircutBps: 1500, knot3DiscountBps: 1000, knot3HaircutBps: 2500,
};
const HAIRCUT = {
  baseLtvBps: 7750, baseLtBps: 8000, liquidationBonusBps: 10700, floorLtvBps: 4750, floorLtBps: 6000, eModeCategoryId: 0,
  eModeBaseLtvBps: 0, eModeBaseLtBps: 0, eModeLiquidationBonusBps: 0, eModeFloorLtvBps: 0, eModeFloorLtBps: 0,
  ltRampBpsPerHour: 100, recoveryBandBps: 50, recoveryBpsPerHour: 50, recoveryCooldownSeconds: 21600, freezeOnImpaired: true,
};

describe("params file: one reader, typed end to end", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "params-reader-"));

  it("scripts/ has no params reader of its own: the second reader (scripts/params/paramsFile.ts) and run.ts's readParamsFile are gone", () => {
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    const readers = files(path.join(ROOT, "scripts")).filter((f) => /\bfunction readParamsFile\b|\bPARAMS_FORMAT\b/.test(fs.readFileSync(f, "utf8")));
    expect(readers.map((f) => path.relative(ROOT, f))).to.deep.equal([]);
  });

  it("pushTargets maps a ParamsFile to push targets through the address book", () => {
    const file = writeParamsFile(path.join(dir, "ok.json"), [{ symbol: "weETH", modelParams: MP, haircut: HAIRCUT }]);
    const params = loadParamsFile(file);
    const targets = paramsFileModule.pushTargets({ params, file, symbolToAsset: { weETH: WEETH }, includeHaircut: false });
    expect(targets).to.deep.equal([{ symbol: "weETH", asset: "0x00000000000000000000000000000000000000E1", modelParams: MP, haircut: undefined }]);
    const withHaircut = paramsFileModule.pushTargets({ params, file, symbolToAsset: { weETH: WEETH }, includeHaircut: true });
    expect(withHaircut[0].haircut).to.deep.equal(HAIRCUT);
  });

  it("an asset missing from the address book is a user error naming the file, the field, the value and the fix", () => {
    const file = writeParamsFile(path.join(dir, "unknown.json"), [{ symbol: "rsETH", modelParams: MP, haircut: HAIRCUT }]);
    const params = loadParamsFile(file);
    let err: unknown;
    try {
      paramsFileModule.pushTargets({ params, file, symbolToAsset: { weETH: WEETH }, includeHaircut: false });
    } catch (e) {
      err = e;
    }
    expect(UserError.is(err)).to.equal(true);
    expect((err as Error).message).to.equal(
      `${file}: assets[0].symbol: not in the deployment's address book (known: weETH), found "rsETH" (fix: deploy Cascade Guard for rsETH or remove it from the params file)`,
    );
  });

  it("a file the model's reader refuses is refused the same way (same one line)", () => {
    const file = writeParamsFile(path.join(dir, "bad.json"), [{ symbol: "weETH", modelParams: { ...MP, knot2DiscountBps: 100 }, haircut: HAIRCUT }]);
    expect(() => loadParamsFile(file)).to.throw(UserError, /^bad\.json: assets\[0\]\.modelParams\.knot2DiscountBps: must be above knot1DiscountBps/);
  });
});
