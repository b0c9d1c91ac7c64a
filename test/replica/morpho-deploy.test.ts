/**
 * `replica:deploy --venue morpho`, `cascade:deploy --morpho-oracle` and `risk:status` on the in-process network:
 * the real Morpho Blue with the market file's LLTVs, positions opened through the real supplyCollateral/borrow,
 * Cascade Guard with a RiskAwareOracle per collateral and the risk-aware markets created with it.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import { Contract } from "ethers";
import { runMorphoReplicaDeploy } from "../../scripts/ops/morphoDeploy";
import { runMorphoOracleDeploy } from "../../scripts/ops/morphoOracle";
import { loadMorphoMarketFile, morphoLiquidationIncentiveFactor } from "../../scripts/markets/morpho/marketFile";
import { runKeeper, runRiskStatus } from "../../scripts/ops/commands";
import { fromHre } from "../../scripts/ops/context";

const MORPHO_ABI = [
  "function idToMarketParams(bytes32) view returns (address loanToken, address collateralToken, address oracle, address irm, uint256 lltv)",
  "function position(bytes32 id, address user) view returns (uint256 supplyShares, uint128 borrowShares, uint128 collateral)",
  "function isLltvEnabled(uint256) view returns (bool)",
];

async function rejects(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

describe("replica:deploy --venue morpho (real Morpho Blue)", function () {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cg-morpho-")), "hardhat.json");
  let section: Awaited<ReturnType<typeof runMorphoReplicaDeploy>>["section"];

  before(async function () {
    ({ section } = await runMorphoReplicaDeploy({ hre, positions: 4, seed: 3, out, log: () => undefined }));
  });

  it("creates ezETH/WETH at 86% and weETH/WETH at 94.5% through createMarket, with LLTVs enabled by the owner", async function () {
    const morpho = new Contract(section.morpho, MORPHO_ABI, hre.ethers.provider);
    expect(section.markets.ezETH.lltvBps).to.equal(8600);
    expect(section.markets.weETH.lltvBps).to.equal(9450);
    for (const [sym, m] of Object.entries(section.markets)) {
      const p = await morpho.idToMarketParams(m.marketId);
      expect(p.lltv, sym).to.equal(BigInt(m.lltvBps) * 10n ** 14n);
      expect(await morpho.isLltvEnabled(p.lltv)).to.equal(true);
      expect(m.riskAware, `${sym} risk-aware market`).to.not.equal(undefined);
      expect((await morpho.idToMarketParams(m.riskAware!.marketId)).oracle).to.equal(m.riskAware!.oracle);
    }
    // positions really opened in Morpho (collateral and borrow shares on the accounts)
    const acct = section.population!.accounts.ezETH[0];
    const pos = await morpho.position(section.markets.ezETH.marketId, acct);
    expect(pos.collateral).to.be.greaterThan(0n);
    expect(pos.borrowShares).to.be.greaterThan(0n);
    const book = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(book.riskAwareOracles.ezETH.address).to.equal(section.markets.ezETH.riskAware!.oracle);
  });

  it("Morpho's liquidation incentive: min(1.15, 1/(0.3 LLTV + 0.7))", function () {
    expect(morphoLiquidationIncentiveFactor(0.86)).to.be.closeTo(1 / 0.958, 1e-12);
    expect(morphoLiquidationIncentiveFactor(0.945)).to.be.closeTo(1 / 0.9835, 1e-12);
    expect(morphoLiquidationIncentiveFactor(0.3)).to.equal(1.15);
  });

  it("cascade:deploy --morpho-oracle: a re-run is a no-op; bad bounds stop before anything is sent", async function () {
    const [signer] = await hre.ethers.getSigners();
    const again = await runMorphoOracleDeploy({ signer, provider: hre.ethers.provider, bookFile: out, symbol: "ezETH", log: () => undefined });
    expect(again.deployedNow).to.equal(false);
    const before = await hre.ethers.provider.getBlockNumber();
    const e1 = await rejects(runMorphoOracleDeploy({ signer, provider: hre.ethers.provider, bookFile: out, symbol: "ezETH", floorToleranceBps: 5000, log: () => undefined }));
    expect(e1.message).to.match(/floorToleranceBps: expected an integer in \[50, 3000\]; found 5000/);
    const e2 = await rejects(runMorphoOracleDeploy({ signer, provider: hre.ethers.provider, bookFile: out, symbol: "rsETH", log: () => undefined }));
    expect(e2.message).to.match(/rsETH: expected Cascade Guard addresses/);
    expect(await hre.ethers.provider.getBlockNumber()).to.equal(before);
  });

  it("risk:status shows the Morpho markets, the risk-aware ones with their pricing rule", async function () {
    const lines: string[] = [];
    await runRiskStatus(fromHre(hre), { addressBook: out }, (l) => lines.push(l));
    const text = lines.join("\n");
    expect(text).to.include("Morpho Blue");
    expect(text).to.include("ezETH");
    expect(text).to.include("94.50%");
    expect(text).to.include("MARKET");
  });

  it("keeper:run on a Morpho-only book trips the guard on a dislocation; risk:status then shows the FLOOR rule", async function () {
    const [deployer] = await hre.ethers.getSigners();
    const feed = new Contract(section.markets.ezETH.marketFeed, ["function setAnswer(int256)"], deployer);
    await (await feed.setAnswer(9n * 10n ** 17n)).wait(); // 10% under the 1.0 rate
    await runKeeper(fromHre(hre), { interval: 1, once: true, addressBook: out }, () => undefined);
    const guard = new Contract(section.cascadeGuard!.pauseGuard, ["function isAssetPaused(address) view returns (bool)"], hre.ethers.provider);
    expect(await guard.isAssetPaused(section.markets.ezETH.collateral)).to.equal(true);
    const lines: string[] = [];
    await runRiskStatus(fromHre(hre), { addressBook: out, asset: "ezETH" }, (l) => lines.push(l));
    expect(lines.join("\n")).to.include("FLOOR");
  });

  it("a Morpho market file with a bad LLTV names the file and the field, nothing sent", async function () {
    const doc = JSON.parse(fs.readFileSync(loadMorphoMarketFile().file, "utf8"));
    doc.markets[0].lltvBps.value = 10_000;
    const bad = path.join(path.dirname(out), "bad-morpho-markets.json");
    fs.writeFileSync(bad, JSON.stringify(doc));
    const before = await hre.ethers.provider.getBlockNumber();
    const e = await rejects(runMorphoReplicaDeploy({ hre, marketFile: bad, out, log: () => undefined }));
    expect(e.message).to.include(bad);
    expect(e.message).to.include("/markets/0/lltvBps/value");
    expect(await hre.ethers.provider.getBlockNumber()).to.equal(before);
  });
});
