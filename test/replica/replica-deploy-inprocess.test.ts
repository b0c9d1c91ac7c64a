import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import { runReplicaDeploy } from "../../scripts/ops/replicaDeploy";
import { DEFAULT_MODEL_PARAMS } from "../../scripts/guard";

/** A minimal valid `cascade-guard/params@1` file (model/params/schema.ts) for the given assets. */
function paramsFile(assets: Array<{ symbol: string; modelParams: Record<string, number> }>) {
  const sha = `sha256:${"0".repeat(64)}`;
  const haircut = {
    baseLtvBps: 7750, baseLtBps: 8000, liquidationBonusBps: 10700, floorLtvBps: 4750, floorLtBps: 6000, eModeCategoryId: 0,
    eModeBaseLtvBps: 0, eModeBaseLtBps: 0, eModeLiquidationBonusBps: 0, eModeFloorLtvBps: 0, eModeFloorLtBps: 0,
    ltRampBpsPerHour: 100, recoveryBandBps: 50, recoveryBpsPerHour: 50, recoveryCooldownSeconds: 21600, freezeOnImpaired: true,
  };
  return {
    schema: "cascade-guard/params@1",
    provenance: { modelVersion: "test", seed: 1, paths: 1, inputHash: sha, policyHash: sha, generatedAt: "2026-11-21T00:00:00.000Z", ecosystem: "test", policy: "test" },
    policy: { badDebtThresholdEth: 0, maxExceedanceProbability: 0.01, protectedVenue: "aave-v3" },
    assets: assets.map((a) => ({
      lrt: a.symbol, symbol: a.symbol, modelParams: a.modelParams, haircut, markets: [],
      evidence: { stressedPathShare: 0, depegQuantilesBps: [], navLossP99Bps: 0 },
    })),
  };
}
/** Model-area convention: STRESSED at or below the trip discount. */
const MP = { ...DEFAULT_MODEL_PARAMS, tripDiscountBps: 500, stressDiscountBps: 300 };

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "replica-inproc-"));
const silent = () => undefined;

describe("replica:deploy in-process (runReplicaDeploy)", () => {
  it("applies a params file's model params to Cascade Guard's oracle", async () => {
    const dir = tmp();
    const file = path.join(dir, "params.json");
    fs.writeFileSync(file, JSON.stringify(paramsFile([{ symbol: "weETH", modelParams: { ...MP, tripDiscountBps: 450 } }])));
    const { section } = await runReplicaDeploy({ hre, paramsFile: file, out: path.join(dir, "book.json"), log: silent });
    const oracle = await hre.ethers.getContractAt("CollateralRiskOracle", section.cascadeGuard!.riskOracle);
    expect((await oracle.getModelParams(section.assets.weETH.token)).params.tripDiscountBps).to.equal(450n);
    expect((await oracle.getModelParams(section.assets.ezETH.token)).params.tripDiscountBps).to.equal(BigInt(DEFAULT_MODEL_PARAMS.tripDiscountBps));
  });

  it("refuses a bad params file or market file naming file and field, before any transaction", async () => {
    const dir = tmp();
    const file = path.join(dir, "params.json");
    fs.writeFileSync(file, JSON.stringify(paramsFile([{ symbol: "FOO", modelParams: MP }, { symbol: "weETH", modelParams: MP }])));
    const blockBefore = await hre.ethers.provider.getBlockNumber();
    const err = await runReplicaDeploy({ hre, paramsFile: file, out: path.join(dir, "book.json"), log: silent }).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.contain(file).and.contain("assets[0].symbol: FOO");
    // a curve the model schema refuses is refused with the field named
    fs.writeFileSync(file, JSON.stringify(paramsFile([{ symbol: "weETH", modelParams: { ...MP, knot2DiscountBps: 100 } }])));
    const err1 = await runReplicaDeploy({ hre, paramsFile: file, out: path.join(dir, "book.json"), log: silent }).then(() => undefined, (e: Error) => e);
    expect(err1?.message).to.contain(path.basename(file)).and.contain("knot2DiscountBps");
    // --params-haircut: the file's haircut for an LTV-0 reserve is refused
    fs.writeFileSync(file, JSON.stringify(paramsFile([{ symbol: "rsETH", modelParams: MP }])));
    const err3 = await runReplicaDeploy({ hre, paramsFile: file, paramsHaircut: true, out: path.join(dir, "book.json"), log: silent }).then(() => undefined, (e: Error) => e);
    expect(err3?.message).to.contain("(rsETH).haircut: the market's LTV is 0");
    const badMarket = path.join(dir, "market.json");
    fs.writeFileSync(badMarket, "{}");
    const err2 = await runReplicaDeploy({ hre, marketFile: badMarket, out: path.join(dir, "book.json"), log: silent }).then(() => undefined, (e: Error) => e);
    expect(err2?.message).to.contain(badMarket).and.contain("schema");
    expect(await hre.ethers.provider.getBlockNumber()).to.equal(blockBefore);
    expect(fs.existsSync(path.join(dir, "book.json"))).to.equal(false);
  });
});
