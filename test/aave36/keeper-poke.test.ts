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

const sent = (actions: KeeperAction[], action: KeeperAction["action"]) => {
  const a = actions.find((x) => x.action === action);
  expect(a, `${action} in ${JSON.stringify(actions.map((x) => [x.action, x.outcome.status]))}`).to.not.equal(undefined);
  expect(a!.outcome.status, `${action}: ${JSON.stringify(a!.outcome, (_k, v) => (typeof v === "bigint" ? String(v) : v))}`).to.equal("sent");
  return a!.outcome as { txHash: string; blockNumber: number; gasUsed: bigint };
};

describe("keeper poke path on Aave v3.6 (real Pool): oracle then module in one block", function () {
  it("a due reserve + own eMode cut (backing feed) goes out as two transactions in one block, each under 150k gas", async function () {
    const f = await deployHaircutV36Fixture();
    await time.increase(2 * 86_400);
    await f.refreshFeeds();
    await f.module.poke(f.ezethAddr);
    await time.increase(HOUR);
    await f.refreshFeeds();
    await f.module.poke(f.ezethAddr);
    const before = await f.readEMode(CAT_EZETH, f.ezethAddr);
    await f.setDiscount(400);
    await time.increase(60);

    const [, , , keeper] = await ethers.getSigners();
    const cap = captureLog();
    const addresses = { oracle: await f.oracle.getAddress(), haircutModule: await f.module.getAddress() };
    const actions = await roundOnIntervalMining(() =>
      keeperRound({ signer: keeper, addresses, abis: loadCascadeAbis(hre.artifacts), log: cap.log, assets: [f.ezethAddr] }),
    );

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

  it("when only the oracle's state would move, the keeper sends the oracle's poke alone", async function () {
    const f = await deployHaircutV36Fixture();
    await time.increase(2 * 86_400);
    await f.refreshFeeds();
    await f.module.poke(f.ezethAddr);
    await time.increase(HOUR);
    await f.refreshFeeds();
    await f.module.poke(f.ezethAddr);
    await f.setDiscount(30); // below ELEVATED: the discount moves, no Aave value does
    await time.increase(60);
    const [, , , keeper] = await ethers.getSigners();
    const cap = captureLog();
    const actions = await keeperRound({
      signer: keeper,
      addresses: { oracle: await f.oracle.getAddress(), haircutModule: await f.module.getAddress() },
      abis: loadCascadeAbis(hre.artifacts),
      log: cap.log,
      assets: [f.ezethAddr],
    });
    sent(actions, "oracle.poke");
    const h = actions.find((x) => x.action === "haircut.poke")!;
    expect(h.outcome.status, cap.text()).to.equal("skipped-noop");
  });
});
