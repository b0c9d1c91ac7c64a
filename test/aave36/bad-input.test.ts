/**
 * Bad input stops with one named error before anything is sent: a wrong `--aave` value, a market file whose LRT has
 * no v3.2+ eMode category, a replica asked for a generation its market file does not describe, a reserve the guard
 * cannot price.
 */
import { expect } from "chai";
import fs from "fs";
import hre, { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { parseAaveVersion } from "../../scripts/aave";
import { cascadeAssetsFromReplica } from "../../scripts/guard";
import { DEFAULT_MARKET_FILE, MarketFileError, deployReplicaMarket, parseMarketFile } from "../../scripts/markets/replica";
import { runReplicaDeploy } from "../../scripts/ops/replicaDeploy";

const marketJson = () => JSON.parse(fs.readFileSync(DEFAULT_MARKET_FILE, "utf8"));
const failure = async (p: Promise<unknown>) => p.then(() => undefined, (e: Error) => e);

describe("bad input around the Aave generation (named errors, nothing sent)", function () {
  it("--aave accepts 3.0 / 3.6 (and 3.0.2 / 3.6.0), defaults to 3.6, and names the flag and the value otherwise", function () {
    expect(parseAaveVersion(undefined)).to.equal("3.6");
    expect(parseAaveVersion("3.0.2")).to.equal("3.0");
    expect(parseAaveVersion("v3.6")).to.equal("3.6");
    expect(() => parseAaveVersion("3.5")).to.throw(/^--aave: expected one of 3\.0, 3\.6 .*found "3\.5"$/);
  });

  it("replica:deploy with a wrong --aave sends nothing", async function () {
    const before = await ethers.provider.getBlockNumber();
    const err = await failure(runReplicaDeploy({ hre, aave: "3.7", out: "/tmp/cg-never-written.json", log: () => undefined }));
    expect(err?.message).to.match(/^--aave: .*found "3\.7"/);
    expect(await ethers.provider.getBlockNumber()).to.equal(before);
    expect(fs.existsSync("/tmp/cg-never-written.json")).to.equal(false);
  });

  it("a market file whose LRT is collateral in no liquid eMode category is refused, naming the file, the field and the asset", function () {
    const m = marketJson();
    m.liquidEModeCategories = m.liquidEModeCategories.filter((c: { collateral: string[] }) => !c.collateral.includes("pufETH"));
    const err = (() => {
      try {
        parseMarketFile(m, "x.json");
      } catch (e) {
        return e as MarketFileError;
      }
    })();
    expect(err).to.be.instanceOf(MarketFileError);
    expect(err!.message).to.include("invalid market file x.json");
    expect(err!.message).to.match(/reserves\[\d+\] \(pufETH\)\.symbol: pufETH is collateral in no liquidEModeCategories entry/);
  });

  it("a market file that lists 3.6 without liquidEModeCategories, or a member that is no reserve, is refused", function () {
    const m = marketJson();
    delete m.liquidEModeCategories;
    expect(() => parseMarketFile(m, "y.json")).to.throw(/liquidEModeCategories: required when aaveVersions lists 3\.6/);
    const n = marketJson();
    n.liquidEModeCategories[0].borrowable.push("stETH");
    expect(() => parseMarketFile(n, "z.json")).to.throw(/liquidEModeCategories\[0\]\.borrowable\[1\]: unknown reserve stETH/);
  });

  it("a v3.0-only market file cannot deploy a v3.6 replica (named before the first transaction)", async function () {
    const m = marketJson();
    m.aaveVersions = ["3.0"];
    delete m.liquidEModeCategories;
    const market = parseMarketFile(m, "v30-only.json");
    const [deployer] = await ethers.getSigners();
    const before = await ethers.provider.getBlockNumber();
    const err = await failure(deployReplicaMarket({ deployer, market, aave: "3.6" }));
    expect(err?.message).to.equal('market file v30-only.json: aaveVersions ["3.0"] does not list "3.6" (field aaveVersions)');
    expect(await ethers.provider.getBlockNumber()).to.equal(before);
  });

  it("the guard cannot price a reserve without an exchange rate (WETH): named before any Cascade Guard deployment", async function () {
    const { replica } = await loadFixture(async function replica36() {
      const [deployer] = await ethers.getSigners();
      return { replica: await deployReplicaMarket({ deployer, withoutDex: true }) };
    });
    const before = await ethers.provider.getBlockNumber();
    const err = await failure(cascadeAssetsFromReplica(replica, { symbols: ["WETH"] }));
    expect(err?.message).to.equal("cascadeAssetsFromReplica: WETH is not an LRT/LST reserve of the replica");
    expect(await ethers.provider.getBlockNumber()).to.equal(before);
  });
});
