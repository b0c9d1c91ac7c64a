/**
 * The keeper's poke path on the real Aave v3.6 Pool: when a haircut step is due, the keeper sends the oracle's poke
 * and the module's poke back to back, so a block that holds both records the observation once (with the feeds) and
 * the module's transaction reads it without them. Each transaction then stays under 150k gas, which the single
 * transaction (oracle + module: feeds, two Aave writes, our storage and events) cannot (docs/contracts.md, Gas).
 */
import { expect } from "chai";
import hre, { ethers, network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadCascadeAbis } from "../../scripts/ops/abis";
import { keeperRound, type KeeperAction } from "../../scripts/ops/keeper";
import { captureLog } from "../ops/helpers";
import { HOUR } from "../contracts/fixtures";
import { CAT_EZETH, deployHaircutV36Fixture } from "../contracts/fixturesV36";

const TX_GAS_TARGET = 150_000n;

/** Runs one keeper round while the node mines every 250 ms instead of per transaction (as a live chain does). */
async function roundOnIntervalMining(round: () => Promise<KeeperAction[]>): Promise<KeeperAction[]> {
  await network.provider.send("evm_setAutomine", [false]);
  await network.provider.send("evm_setIntervalMining", [250]);
  try {
    return await round();
  } finally {
    await network.provider.send("evm_setIntervalMining", [0]);
    await network.provider.send("evm_setAutomine", [true]);
  }
}

/** The v3.6 fixture with the module and the oracle poked twice, an hour apart: nothing is due. */
async function settledFixture() {
  const f = await deployHaircutV36Fixture();
  await time.increase(2 * 86_400);
  await f.refreshFeeds();
  await f.module.poke(f.ezethAddr);
  await time.increase(HOUR);
  await f.refreshFeeds();
  await f.module.poke(f.ezethAddr);
  return f;
}

/** One keeper round over ezETH, signed by an account that holds no role. */
async function keeperRoundOn(f: Awaited<ReturnType<typeof settledFixture>>, log: (line: string) => void) {
  const keeper = (await ethers.getSigners())[8];
  const addresses = { oracle: await f.oracle.getAddress(), haircutModule: await f.module.getAddress() };
  return keeperRound({ signer: keeper, addresses, abis: loadCascadeAbis(hre.artifacts), log, assets: [f.ezethAddr] });
}

const sent = (actions: KeeperAction[], action: KeeperAction["action"]) => {
  const a = actions.find((x) => x.action === action);
  expect(a, `${action} in ${JSON.stringify(actions.map((x) => [x.action, x.outcome.status]))}`).to.not.equal(undefined);
  expect(a!.outcome.status, `${action}: ${JSON.stringify(a!.outcome, (_k, v) => (typeof v === "bigint" ? String(v) : v))}`).to.equal("sent");
  return a!.outcome as { txHash: string; blockNumber: number; gasUsed: bigint };
};

describe("keeper poke path on Aave v3.6 (real Pool): oracle then module in one block", function () {
  it("a due reserve + own eMode cut (backing feed) goes out as two transactions in one block, each under 150k gas", async function () {
    const f = await settledFixture();
    const before = await f.readEMode(CAT_EZETH, f.ezethAddr);
    await f.setDiscount(400);
    await time.increase(60);
    const cap = captureLog();
    const actions = await roundOnIntervalMining(() => keeperRoundOn(f, cap.log));

    const oracleTx = sent(actions, "oracle.poke");
    const moduleTx = sent(actions, "haircut.poke");
    expect(moduleTx.blockNumber, cap.text()).to.equal(oracleTx.blockNumber);
    const block = await ethers.provider.getBlock(oracleTx.blockNumber, false);
    expect(block!.transactions.indexOf(oracleTx.txHash)).to.be.lessThan(block!.transactions.indexOf(moduleTx.txHash));
    expect(oracleTx.gasUsed, "oracle.poke with a backing feed").to.be.at.most(TX_GAS_TARGET);
    expect(moduleTx.gasUsed, "module.poke reading the block's observation, two Aave writes").to.be.at.most(TX_GAS_TARGET);
    // The cut happened, from the observation the oracle recorded in that block.
    const after = await f.readEMode(CAT_EZETH, f.ezethAddr);
    expect(after.ltv).to.be.lessThan(before.ltv);
    const st = await f.oracle.getAssetState(f.ezethAddr);
    expect(Number(st.lastPokeAt)).to.equal(block!.timestamp);
    expect(Number(st.discountBps)).to.be.at.least(400);
  });

  it("mined in two blocks of different seconds (automine), the module reads the feeds itself, cuts all the same, and the keeper says so", async function () {
    const f = await settledFixture();
    const before = await f.readEMode(CAT_EZETH, f.ezethAddr);
    await f.setDiscount(400);
    await time.increase(60);
    const cap = captureLog();
    const actions = await keeperRoundOn(f, cap.log);
    const oracleTx = sent(actions, "oracle.poke");
    const moduleTx = sent(actions, "haircut.poke");
    expect(moduleTx.blockNumber).to.equal(oracleTx.blockNumber + 1);
    expect(cap.text()).to.match(/the module read the feeds itself/);
    expect((await f.readEMode(CAT_EZETH, f.ezethAddr)).ltv).to.be.lessThan(before.ltv);
    expect(Number((await f.oracle.getAssetState(f.ezethAddr)).lastPokeAt)).to.equal((await ethers.provider.getBlock(moduleTx.blockNumber))!.timestamp);
  });

  it("when only the oracle's state would move, the keeper sends the oracle's poke alone", async function () {
    const f = await settledFixture();
    await f.setDiscount(30); // below ELEVATED: the discount moves, no Aave value does
    await time.increase(60);
    const cap = captureLog();
    const actions = await keeperRoundOn(f, cap.log);
    sent(actions, "oracle.poke");
    const h = actions.find((x) => x.action === "haircut.poke")!;
    expect(h.outcome.status, cap.text()).to.equal("skipped-noop");
  });
});
