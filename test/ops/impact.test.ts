/**
 * The impact check end to end on a local anvil node standing in for the target chain: a replica of Aave v3.0.2
 * (official artifacts) with a seeded population of looped eMode positions opened through the real Pool, Cascade
 * Guard deployed by `cascade:deploy`, pushes through `params:push` (scripts/ops/push/pushCommand.ts). The check forks
 * the node with anvil `--fork-url`, exactly as it forks a real RPC.
 *
 * Regression shaped like Aave's 2026-03-10 CAPO incident (34 accounts liquidated by two parameters each within its
 * bounds): (a) a weETH base LT cut 80% -> 78% (the module reaches it through its LT ramp, 2 h at 1%/h, which the
 * check projects) that passes every bound check but liquidates dozens of looped weETH positions, refused naming
 * them, then pushed with --accept-impact, ramped by the keeper and liquidated by a liquidator on the node; the
 * positions are outside eMode because on Aave v3.0.x eMode category 1 is shared (WETH, wstETH are members) and the
 * module never cuts a shared category's LT (only its LTV), so an eMode LT cut cannot liquidate anyone; (b) a CAPO-style
 * price source whose snapshot ratio and growth cap each look fine but price weETH ~2.85% under its rate, refused by
 * the price rule; (c) two knot moves each within maxStep that leave the haircut at zero at the trip discount.
 */
import fs from "fs";
import path from "path";
import { expect } from "chai";
import hre from "hardhat";
import { Contract, JsonRpcSigner, MaxUint256, getAddress } from "ethers";
import { LocalNode, startAnvil, freePort } from "../../scripts/ops/localNode";
import { AAVE_ABIS, loadCascadeAbis } from "../../scripts/ops/abis";
import { readAddressBook, readCascadeDeployment } from "../../scripts/ops/addressBook";
import { runCascadeDeploy } from "../../scripts/ops/deploy";
import { keeperImpactGate, runRiskStatus } from "../../scripts/ops/commands";
import { keeperRound } from "../../scripts/ops/keeper";
import { safeBatchSchema } from "../../scripts/ops/safeBatch";
import { runParamsPush } from "../../scripts/ops/push/pushCommand";
import { ModelParams } from "../../spec/modelParams";
import { ImpactRefusedError, checkImpact, evaluatePolicy } from "../../scripts/ops/impact/check";
import { ImpactInputError, accountsFromPoolEvents } from "../../scripts/ops/impact/accounts";
import { PARAMS_HISTORY_KEY } from "../../scripts/ops/impact/run";
import { deployReplicaMarket, openPositions, planPopulation, replicaAddressBook, type OpenedPosition, type ReplicaMarket } from "../../scripts/markets/replica";
import { defaultHaircutConfig } from "../../scripts/guard";
import { anvilContext, captureLog, increaseTime, nonceOf, paddedSigner, tempRoot, writeParamsFile, replicaNetworkConfig } from "./helpers";
import { WAD } from "../../spec/units";

const DAY = 86_400;
// Trip 4%, STRESSED from 3%; the curve already cuts at the trip (knot1 3.5% -> 1%).
const modelParams: ModelParams = {
  tripDiscountBps: 400,
  stressDiscountBps: 300,
  navDropHaircutMultiplierBps: 10_000,
  knot0DiscountBps: 50,
  knot0HaircutBps: 0,
  knot1DiscountBps: 350,
  knot1HaircutBps: 100,
  knot2DiscountBps: 600,
  knot2HaircutBps: 600,
  knot3DiscountBps: 1500,
  knot3HaircutBps: 2500,
};
const uniform = (v: number) => Object.fromEntries(Object.keys(modelParams).map((k) => [k, v])) as ModelParams;
const bounds = { min: uniform(0), max: { ...uniform(3000), navDropHaircutMultiplierBps: 30_000 }, maxStep: uniform(100), minDelaySeconds: DAY };

function networkConfig(chainId: number, roles: Record<string, string>, haircut: unknown) {
  return replicaNetworkConfig({ chainId, roles, haircut, modelParams, modelParamsBounds: bounds, assets: ["weETH", "wstETH"], maxPausedSecondsPerWindow: 12 * 3600, description: "test: replica of Aave v3.0.2 on anvil with looped eMode positions" });
}

describe("impact check: parameter changes judged by their effect on real positions (anvil fork of a replica)", function () {
  let node: LocalNode;
  let root: string;
  let admin: JsonRpcSigner;
  let keeper: JsonRpcSigner;
  let liquidator: JsonRpcSigner;
  let replica: ReplicaMarket;
  let positions: OpenedPosition[];
  let haircut: Record<string, number | boolean>;
  let bookSnapshot: string;
  let snap: string;
  const bookFile = () => path.join(root, "deployments", "localhost.json");
  const pool = () => new Contract(readCascadeDeployment(bookFile()).aave.pool, AAVE_ABIS.pool, node.provider);

  before(async function () {
    await hre.run("compile", { quiet: true });
    node = await startAnvil({ root: hre.config.paths.root });
    root = tempRoot("cg-impact-");
    admin = await node.provider.getSigner(0);
    keeper = await node.provider.getSigner(1);
    liquidator = await node.provider.getSigner(5);
    // Aave v3.0.2, as the network config below says (version "3.0.2"): eMode category 1 is shared (H-1 holds its LT).
    replica = await deployReplicaMarket({ deployer: await paddedSigner(node.provider, 0), aave: "3.0", withoutDex: true });
    // Looped positions at tight health factors (ours: triangular 1.01 / 1.02 / 1.06), the shape of the wstETH loops
    // liquidated on 2026-03-10. Outside eMode, so each account's LT is its collateral reserve's LT: the weETH config
    // drives weETH's reserve LT (wstETH has no haircut config); eMode 1 is shared, its LT never cut by the module.
    const plans = planPopulation({ market: replica.market, aaveVersion: "3.0", seed: 20260310, count: 100, assetWeights: { weETH: 60, wstETH: 40 }, eModeShare: 0, hf: { min: 1.01, mode: 1.02, max: 1.06 } });
    positions = (await openPositions({ replica, plans })).positions;
    haircut = defaultHaircutConfig(replica, "weETH", true) as unknown as Record<string, number | boolean>;
    fs.writeFileSync(bookFile(), JSON.stringify({ network: "localhost", chainId: node.chainId, replica: JSON.parse(JSON.stringify(await replicaAddressBook(replica))) }, null, 2));
    const roles = { governance: "deployer", riskKeeper: await keeper.getAddress(), guardian: "deployer", aaveAclAdmin: "deployer" };
    fs.writeFileSync(path.join(root, "deployments", "config", "localhost.json"), JSON.stringify(networkConfig(node.chainId, roles, haircut), null, 2));
    await runCascadeDeploy(anvilContext(node, root, 0), { log: captureLog().log });
    bookSnapshot = fs.readFileSync(bookFile(), "utf8");
  });
  after(async () => node?.stop());
  // Every test starts from the same chain state and address book.
  beforeEach(async () => {
    snap = await node.provider.send("evm_snapshot", []);
    fs.writeFileSync(bookFile(), bookSnapshot);
  });
  afterEach(async () => {
    await node.provider.send("evm_revert", [snap]);
  });

  const ltCutFile = () =>
    writeParamsFile(path.join(root, "lt-cut.json"), [{ symbol: "weETH", modelParams, haircut: { ...haircut, baseLtBps: 7800 } }]);
  const push = (args: Partial<Parameters<typeof runParamsPush>[1]>, log = captureLog().log) =>
    runParamsPush(anvilContext(node, root, 0, 1), { params: ltCutFile(), execute: true, includeHaircut: true, all: false, ...args }, log);
  const hfs = async () => {
    const p = pool();
    const data = await Promise.all(positions.map((x) => p.getUserAccountData(x.account)));
    return new Map(positions.map((x, i) => [getAddress(x.account), BigInt(data[i].healthFactor)]));
  };
  const eModeLt = async () => Number((await pool().getEModeCategoryData(1)).liquidationThreshold);
  /** weETH's reserve LT on the Pool (bits 16..31 of the reserve configuration). */
  const reserveLt = async () => Number((BigInt((await pool().getConfiguration(replica.assets.weETH.address)).data) >> 16n) & 0xffffn);
  const moduleBaseLt = async () =>
    Number((await new Contract(readCascadeDeployment(bookFile()).contracts.WideningHaircutModule!.address, loadCascadeAbis(hre.artifacts).haircutModule, node.provider).getHaircutConfig(replica.assets.weETH.address)).baseLtBps);
  /** Independent expectation from the Pool: weETH loops whose HF x ltAfter/8000 falls below 1 (wstETH loops keep theirs). */
  const weEthBelowOne = (hfBefore: Map<string, bigint>, ltAfterBps: bigint) =>
    positions.filter((p) => p.symbol === "weETH").map((p) => getAddress(p.account)).filter((a) => (hfBefore.get(a)! * ltAfterBps) / 8000n < WAD);

  it("finds the positions from the Pool's Supply/Borrow events", async () => {
    const found = await accountsFromPoolEvents({ provider: node.provider, pool: await pool().getAddress(), fromBlock: 0, toBlock: await node.provider.getBlockNumber(), chunkBlocks: 7 });
    for (const p of positions) expect(found).to.include(getAddress(p.account));
  });

  it("refuses a reserve LT cut (each field within bounds) that liquidates dozens of looped positions, naming them; nothing sent", async () => {
    const before = await hfs();
    // Independent expectation: a weETH loop's HF scales with weETH's reserve LT (its only collateral, outside eMode):
    // HF x 7800/8000 < 1; wstETH loops are untouched. The check projects the 2 h ramp, so 2 h of interest (~1e-5)
    // separates its HFs from these: no account may sit within 1e-4 of the boundary.
    const expected = weEthBelowOne(before, 7800n);
    const borderline = positions.filter((p) => p.symbol === "weETH").map((p) => (before.get(getAddress(p.account))! * 7800n) / 8000n).filter((x) => x > WAD - 10n ** 14n && x < WAD + 10n ** 14n);
    expect(borderline, "no account on the boundary").to.have.length(0);
    expect(expected.length, "the scenario liquidates dozens").to.be.greaterThanOrEqual(12);
    const n = await nonceOf(node.provider, await admin.getAddress());
    const out = captureLog();
    const err = await push({}, out.log).then(() => undefined, (e: Error) => e);
    expect(err).to.be.instanceOf(ImpactRefusedError);
    const impact = (err as ImpactRefusedError).impact;
    expect(impact.newlyLiquidatable.map((a) => a.account).sort()).to.deep.equal(expected.sort());
    for (const a of expected) expect(err!.message).to.contain(a);
    expect(impact.summary.liquidatableBefore).to.equal(0);
    expect(impact.accountsSource.kind).to.equal("events");
    expect(impact.accountsChecked).to.be.greaterThanOrEqual(positions.length);
    expect(impact.horizonHours).to.equal(2); // 200 bp at the module's 100 bp/h LT ramp
    expect(impact.module[0].after.ltBps).to.equal(7800);
    expect(impact.module[0].before.ltBps).to.equal(8000);
    expect(impact.module[0].after.eModeLtBps).to.equal(9500); // shared category: never cut by the module
    // The diff table gained its impact section (markdown) with the HF histogram and the accounts.
    expect(out.text()).to.contain("## Impact (fork of localhost");
    expect(out.text()).to.match(/\| HF \| before \| after \|/);
    expect(out.text()).to.contain(`| ${impact.newlyLiquidatable[0].account} |`);
    expect(await nonceOf(node.provider, await admin.getAddress())).to.equal(n);
    expect(await moduleBaseLt()).to.equal(8000);
    expect(await reserveLt()).to.equal(8000);
    expect(readAddressBook(bookFile())[PARAMS_HISTORY_KEY]).to.equal(undefined);
  });

  it("with --accept-impact the same push goes through, recorded in the Safe batch and the history; a liquidator then liquidates exactly the named accounts", async () => {
    const reason = "AIP-000 test: LT cut accepted after review";
    const batchFile = path.join(root, "out", "batch.json");
    const safe = await push({ execute: false, safeBatch: batchFile, safeAddress: await admin.getAddress(), acceptImpact: reason });
    const batch = safeBatchSchema.parse(JSON.parse(fs.readFileSync(batchFile, "utf8")));
    expect(batch.meta.description).to.contain(reason);
    expect(batch.meta.description).to.contain(`${safe.impact!.summary.newlyLiquidatable} newly liquidatable`);

    const jsonOut = captureLog();
    const res = await push({ acceptImpact: reason, json: true, impactOut: path.join(root, "out", "impact.json") }, jsonOut.log);
    expect(res.sent).to.have.length(1);
    // configureAsset writes nothing into Aave: the new base LT is reached by the keeper's LT ramp (2 x 1%/h).
    expect(await moduleBaseLt()).to.equal(7800);
    expect(await reserveLt()).to.equal(8000);
    const doc = JSON.parse(jsonOut.text());
    expect(doc.impact.accepted.reason).to.equal(reason);
    expect(doc.impact.newlyLiquidatable).to.have.length(res.impact!.newlyLiquidatable.length);
    expect(JSON.parse(fs.readFileSync(path.join(root, "out", "impact.json"), "utf8")).schema).to.equal("cascade-guard/impact@1");
    const history = readAddressBook(bookFile())[PARAMS_HISTORY_KEY] as Array<{ mode: string; acceptedImpact?: { reason: string }; impact: string; txHashes: string[] }>;
    expect(history.map((h) => h.mode)).to.deep.equal(["safe-batch", "execute"]);
    expect(history[1].acceptedImpact?.reason).to.equal(reason);
    expect(history[1].txHashes).to.deep.equal(res.sent);
    expect(history[1].impact).to.contain("newly liquidatable");

    // The keeper ramps the LT as the check projected: a poke starts the ramp clock, 2 h later the LT is at 78%.
    const module = new Contract(readCascadeDeployment(bookFile()).contracts.WideningHaircutModule!.address, loadCascadeAbis(hre.artifacts).haircutModule, keeper);
    await (await module.poke(replica.assets.weETH.address)).wait();
    await increaseTime(node.provider, 2 * 3600);
    await (await module.poke(replica.assets.weETH.address)).wait();
    expect(await reserveLt()).to.equal(7800);
    expect(await eModeLt()).to.equal(9500);
    // Count the liquidations: a liquidator tries every position through the real Pool.
    const weth = new Contract(replica.weth.address, ["function mint(address,uint256)", "function approve(address,uint256) returns (bool)"], admin);
    await (await weth.mint(await liquidator.getAddress(), 100_000n * WAD)).wait();
    const p = pool().connect(liquidator) as Contract;
    await (await (weth.connect(liquidator) as Contract).approve(await p.getAddress(), MaxUint256)).wait();
    const liquidated: string[] = [];
    for (const pos of positions) {
      const args = [replica.assets[pos.symbol].address, replica.weth.address, pos.account, MaxUint256, false] as const;
      try {
        await p.liquidationCall.staticCall(...args);
      } catch {
        continue; // HF >= 1: Aave refuses (error 45)
      }
      await (await p.liquidationCall(...args, { gasLimit: 3_000_000 })).wait(); // anvil under-estimates now and then
      liquidated.push(getAddress(pos.account));
    }
    expect(liquidated.sort()).to.deep.equal(res.impact!.newlyLiquidatable.map((a) => a.account).sort());
    expect(liquidated.length).to.be.greaterThanOrEqual(12);
  });

  describe("bad input: one line naming file/field/value, nothing sent", () => {
    const refused = async (args: Partial<Parameters<typeof runParamsPush>[1]>, ctxOver: Record<string, unknown> = {}) => {
      const n = await nonceOf(node.provider, await admin.getAddress());
      const ctx = { ...anvilContext(node, root, 0, 1), ...ctxOver };
      const err = await runParamsPush(ctx, { params: ltCutFile(), execute: true, includeHaircut: true, all: false, acceptImpact: "would accept anything", ...args }, captureLog().log).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err).to.be.instanceOf(ImpactInputError);
      expect(err!.message.split("\n")).to.have.length(1);
      expect(await nonceOf(node.provider, await admin.getAddress())).to.equal(n);
      expect(await moduleBaseLt()).to.equal(8000);
      return err!.message;
    };
    it("a missing list file", async () => {
      const f = path.join(root, "nope.txt");
      expect(await refused({ accounts: f })).to.equal(`${f}: accounts file not found (give --accounts an existing file, or omit it to find borrowers from the Pool's events)`);
    });
    it("a malformed accounts file", async () => {
      const f = path.join(root, "bad-accounts.txt");
      fs.writeFileSync(f, `# borrowers\n${positions[0].account}\n0x1234\n`);
      expect(await refused({ accounts: f })).to.equal(`${f}: line 3: "0x1234" is not an address (expected 0x followed by 40 hex digits)`);
      const j = path.join(root, "bad-accounts.json");
      fs.writeFileSync(j, JSON.stringify({ accounts: [positions[0].account, 7] }));
      expect(await refused({ accounts: j })).to.equal(`${j}: accounts[1]: 7 is not an address (expected 0x followed by 40 hex digits)`);
    });
    it("a bad block range", async () => {
      expect(await refused({ fromBlock: "10", toBlock: "5" })).to.equal("--from-block 10: after --to-block 5 (the range must run forward)");
      expect(await refused({ toBlock: "99999999" })).to.match(/^--to-block 99999999: beyond the latest block \d+ of the network/);
      expect(await refused({ fromBlock: "-3" })).to.equal('--from-block "-3": not a block number (expected a non-negative integer)');
    });
    it("an unreachable network to fork", async () => {
      const url = `http://127.0.0.1:${await freePort()}`;
      expect(await refused({}, { rpcUrl: url })).to.match(new RegExp(`^impact check: cannot reach the network to fork at ${url.replace(/\./g, "\\.")} .*; check the network's RPC URL; nothing sent$`));
    });
  });

  it("refuses a CAPO-style price source whose snapshot ratio and growth cap price weETH ~2.85% under its rate (rate unchanged)", async () => {
    const d = readCascadeDeployment(bookFile());
    const weeth = replica.assets.weETH;
    const rate: bigint = await weeth.rateProvider!.getRate();
    const now = Number((await node.provider.getBlock("latest"))!.timestamp);
    // Snapshot 95% of today's rate taken 180 days ago, growth cap 4.6%/y: each plausible alone, together a cap at
    // 0.95 x (1 + 0.046 x 180/365) = 97.16% of the rate.
    const art = await hre.artifacts.readArtifact("ExchangeRatePriceSource");
    const { ContractFactory } = await import("ethers");
    const src = await new ContractFactory(art.abi, art.bytecode, admin).deploy(await weeth.rateProvider!.getAddress(), await replica.ethUsdFeed.getAddress(), (rate * 95n) / 100n, now - 180 * DAY, 460);
    await src.waitForDeployment();
    const aaveOracle = new Contract(await replica.aave.aaveOracle.getAddress(), ["function setAssetSources(address[],address[])"], admin);
    const before = await hfs();
    const impact = await checkImpact({
      targetRpcUrl: node.url,
      root: hre.config.paths.root,
      network: "localhost",
      pool: d.aave.pool,
      cascade: { oracle: d.contracts.CollateralRiskOracle.address, haircutModule: d.contracts.WideningHaircutModule?.address },
      abis: loadCascadeAbis(hre.artifacts),
      assets: [{ symbol: "weETH", asset: weeth.address }, { symbol: "wstETH", asset: replica.assets.wstETH.address }],
      writes: [{ label: "AaveOracle.setAssetSources(weETH)", from: await admin.getAddress(), to: await aaveOracle.getAddress(), data: aaveOracle.interface.encodeFunctionData("setAssetSources", [[weeth.address], [await src.getAddress()]]) }],
      accounts: positions.map((p) => p.account),
      accountsSource: { kind: "file", file: "(test list)" },
    });
    const price = impact.prices.find((p) => p.symbol === "weETH")!;
    expect(price.aavePriceChangeBps).to.be.within(-290, -280);
    expect(price.exchangeRateAfter).to.equal(price.exchangeRateBefore);
    expect(impact.refusals.some((r) => r.startsWith("weETH: the market's oracle price falls"))).to.equal(true);
    expect(impact.prices.find((p) => p.symbol === "wstETH")!.aavePriceChangeBps).to.equal(0);
    // Only weETH loops fall: HF x price ratio < 1.
    const ratio = price.aavePriceEthAfter / price.aavePriceEthBefore;
    const expected = positions.filter((p) => p.symbol === "weETH" && (Number(before.get(getAddress(p.account))!) / 1e18) * ratio < 1 - 1e-6).map((p) => getAddress(p.account));
    expect(impact.newlyLiquidatable.map((a) => a.account).sort()).to.deep.equal(expected.sort());
    expect(expected.length).to.be.greaterThan(0);
    // The target was not touched.
    expect(await (new Contract(await aaveOracle.getAddress(), ["function getSourceOfAsset(address) view returns (address)"], node.provider)).getSourceOfAsset(weeth.address)).to.not.equal(await src.getAddress());
  });

  it("refuses two knot moves, each within maxStep, that leave no haircut at the trip discount (linked values)", async () => {
    await increaseTime(node.provider, DAY + 1);
    const f = writeParamsFile(path.join(root, "knots.json"), [{ symbol: "weETH", modelParams: { ...modelParams, knot1DiscountBps: 450, knot1HaircutBps: 0 }, haircut: haircut as object }]);
    const n = await nonceOf(node.provider, await keeper.getAddress());
    const err = await runParamsPush(anvilContext(node, root, 0, 1), { params: f, execute: true, includeHaircut: false, all: false }, captureLog().log).then(() => undefined, (e: Error) => e);
    expect(err).to.be.instanceOf(ImpactRefusedError);
    expect(err!.message).to.contain("linked values (curve knots against the trip): weETH: haircut at the trip discount 400 bp is 0 bp");
    expect((err as ImpactRefusedError).impact.newlyLiquidatable).to.have.length(0);
    expect(await nonceOf(node.provider, await keeper.getAddress())).to.equal(n);
  });

  it("a curve change acts through the keeper: the check pokes, projects the module's LT ramp on the fork and reports what it would write", async () => {
    await increaseTime(node.provider, DAY + 1);
    // Both within maxStep: a 1% haircut already at zero discount (flat below knot0).
    const f = writeParamsFile(path.join(root, "curve.json"), [{ symbol: "weETH", modelParams: { ...modelParams, knot0HaircutBps: 100, knot1HaircutBps: 200 }, haircut: haircut as object }]);
    const res = await runParamsPush(anvilContext(node, root, 0, 1), { params: f, execute: false, includeHaircut: false, all: false, maxNewLiquidatable: 1000, maxNewLiquidatableDebtEth: 1e9 }, captureLog().log);
    const m = res.impact!.module.find((x) => x.symbol === "weETH")!;
    expect(res.impact!.horizonHours).to.equal(1); // 100 bp at the module's 100 bp/h ramp
    expect(m.before).to.deep.equal({ ltvBps: 7750, ltBps: 8000, eModeLtvBps: 9300, eModeLtBps: 9500 });
    // The shared eMode category keeps its LT (only its LTV is cut); the reserve LT ramps 1%.
    expect(m.after).to.deep.equal({ ltvBps: 7650, ltBps: 7900, eModeLtvBps: 9200, eModeLtBps: 9500 });
    expect(m.nextTargetAfter).to.deep.equal(m.after);
    // Independent check of who falls below 1 at weETH's reserve LT 79%: HF x 7900/8000 (1 h of interest is far below 1e-4).
    const before = await hfs();
    const expected = positions.filter((p) => p.symbol === "weETH").map((p) => getAddress(p.account)).filter((a) => Number(before.get(a)!) / 1e18 * 7900 / 8000 < 1 - 1e-4);
    expect(expected.length).to.be.greaterThan(0);
    const got = res.impact!.newlyLiquidatable.map((a) => a.account);
    for (const a of expected) expect(got).to.include(a);
    expect(res.impact!.refused).to.equal(false);
    expect(res.sent).to.deep.equal([]);
  });

  it("keeper-role pushes are signed with the keeper key, not the deployer's; risk:status shows who holds which role", async () => {
    await increaseTime(node.provider, DAY + 1);
    const f = writeParamsFile(path.join(root, "trip.json"), [{ symbol: "weETH", modelParams: { ...modelParams, tripDiscountBps: 450 }, haircut: haircut as object }]);
    const nKeeper = await nonceOf(node.provider, await keeper.getAddress());
    const nAdmin = await nonceOf(node.provider, await admin.getAddress());
    const res = await runParamsPush(anvilContext(node, root, 0, 1), { params: f, execute: true, includeHaircut: false, all: false }, captureLog().log);
    expect(res.sent).to.have.length(1);
    expect(await nonceOf(node.provider, await keeper.getAddress())).to.equal(nKeeper + 1);
    expect(await nonceOf(node.provider, await admin.getAddress())).to.equal(nAdmin);
    const out = captureLog();
    await runRiskStatus(anvilContext(node, root, 0, 1), {}, out.log);
    const keeperAddr = await keeper.getAddress();
    const adminAddr = await admin.getAddress();
    const keeperRow = out.lines.join("\n").split("\n").find((l) => l.includes(keeperAddr))!;
    expect(keeperRow).to.contain("keeper key (KEEPER_PRIVATE_KEY)");
    expect(keeperRow).to.contain("oracle RISK_KEEPER_ROLE");
    expect(keeperRow).to.not.contain("DEFAULT_ADMIN_ROLE");
    const adminRow = out.lines.join("\n").split("\n").find((l) => l.includes(adminAddr))!;
    expect(adminRow).to.contain("deployer key");
    expect(adminRow).to.contain("guard GUARDIAN_ROLE");
  });

  it("keeper:run checks an LT-lowering poke on a fork first: refused, it is skipped naming the accounts; accepted, it is sent and recorded", async () => {
    const d = readCascadeDeployment(bookFile());
    const weeth = replica.assets.weETH;
    const feed = new Contract(await weeth.marketFeed!.getAddress(), ["function setAnswer(int256)"], admin);
    const rate: bigint = await weeth.rateProvider!.getRate();
    await (await feed.setAnswer((rate * 9_500n) / 10_000n)).wait(); // 5% liquidity discount
    const round = async (acceptImpact?: string) => {
      const cap = captureLog();
      const ctx = anvilContext(node, root, 0, 3);
      const actions = await keeperRound({
        signer: await node.provider.getSigner(3),
        addresses: { oracle: d.contracts.CollateralRiskOracle.address, haircutModule: d.contracts.WideningHaircutModule!.address, guard: d.contracts.LiquidationPauseGuard!.address },
        abis: loadCascadeAbis(hre.artifacts),
        assets: [weeth.address],
        symbols: { [getAddress(weeth.address)]: "weETH" },
        log: cap.log,
        impactGate: keeperImpactGate({ ctx, d, bookFile: bookFile(), keeper: await (await node.provider.getSigner(3)).getAddress(), args: { acceptImpact }, log: cap.log }),
      });
      return { poke: actions.find((a) => a.action === "haircut.poke")!.outcome, text: cap.text() };
    };
    await round(); // first poke: LTV cut at once (the EMA starts from zero: no LT target below the base yet)
    expect(await reserveLt()).to.equal(8000);
    await increaseTime(node.provider, 2 * 3600);
    await round(); // the EMA has caught up: the reserve LT target falls, the ramp clock starts (LT unchanged: no check)
    expect(await reserveLt()).to.equal(8000);
    await increaseTime(node.provider, 2 * 3600); // the LT may now ramp 2 x 1%/h
    const refused = await round();
    expect(refused.poke.status).to.equal("skipped-noop");
    const reason = (refused.poke as { reason: string }).reason;
    expect(reason).to.match(/^impact check refused: \d+ account\(s\) become liquidatable \(limit 0\)/);
    expect(await reserveLt()).to.equal(8000);
    const named = reason.match(/0x[0-9a-fA-F]{40}/g)!;
    expect(named.length).to.be.greaterThan(0);
    const weEthLoops = new Set(positions.filter((p) => p.symbol === "weETH").map((p) => getAddress(p.account)));
    for (const a of named) expect(weEthLoops.has(getAddress(a)), `${a} is a weETH loop`).to.equal(true);
    const sent = await round("AIP-000 test: keeper LT ramp accepted");
    expect(sent.poke.status).to.equal("sent");
    expect(await reserveLt()).to.be.lessThan(8000);
    expect(await eModeLt()).to.equal(9500); // shared category: its LT is never cut by the module
    // What the fork predicted is what the chain now shows: exactly the named positions are below HF 1.
    const now = await hfs();
    const below = [...now].filter(([, hf]) => hf < WAD).map(([a]) => a);
    expect(below.sort()).to.deep.equal(named.map((a) => getAddress(a)).sort());
    const history = readAddressBook(bookFile())[PARAMS_HISTORY_KEY] as Array<{ command: string; acceptedImpact?: { reason: string } }>;
    expect(history.map((h) => h.command)).to.deep.equal(["keeper:run"]);
    expect(history[0].acceptedImpact?.reason).to.equal("AIP-000 test: keeper LT ramp accepted");
  });

  it("the policy is a pure function of the measured impact", () => {
    const base = { summary: { liquidatableBefore: 0, liquidatableAfter: 3, newlyLiquidatable: 3, newlyLiquidatableDebtEth: 12.5, newlyAtRisk: 0 }, prices: [], consistency: { introduced: [], existing: [] }, writeFailures: [] };
    expect(evaluatePolicy({ ...base, policy: { maxNewLiquidatableAccounts: 3, maxNewLiquidatableDebtEth: 12.5 } })).to.deep.equal([]);
    expect(evaluatePolicy({ ...base, policy: { maxNewLiquidatableAccounts: 2, maxNewLiquidatableDebtEth: 100 } })).to.deep.equal(["3 account(s) become liquidatable (limit 2)"]);
    expect(evaluatePolicy({ ...base, policy: { maxNewLiquidatableAccounts: 10, maxNewLiquidatableDebtEth: 12 } })).to.deep.equal(["12.5 ETH of debt becomes liquidatable (limit 12 ETH)"]);
    const price = { symbol: "x", asset: "0x", aavePriceEthBefore: 1, aavePriceEthAfter: 0.99, aavePriceChangeBps: -100, exchangeRateBefore: 1.05, exchangeRateAfter: 1.04, marketPriceAfter: null, levelAfter: null };
    const p = { maxNewLiquidatableAccounts: 10, maxNewLiquidatableDebtEth: 100 };
    // A price that falls with the rate is a real loss: allowed; one that falls while the rate holds is refused.
    expect(evaluatePolicy({ ...base, policy: p, prices: [price] })).to.deep.equal([]);
    expect(evaluatePolicy({ ...base, policy: p, prices: [{ ...price, exchangeRateAfter: 1.05 }] })[0]).to.match(/^x: the market's oracle price falls 100 bp/);
  });
});
