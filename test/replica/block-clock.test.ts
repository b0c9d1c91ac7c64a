import { expect } from "chai";
import { ethers, network } from "hardhat";
import { Contract } from "ethers";
import { deployArtifact, localArtifact } from "../../scripts/aave";
import { pinBlockClock, type PinnableProvider } from "../../scripts/replay/blockClock";
import { encodeTryAll } from "../../scripts/replay/rawAbi";

/**
 * The replay's block clock (scripts/replay/blockClock.ts): blocks one second apart whatever the wall time between
 * them, so a replay's results do not depend on the machine's speed.
 */
describe("replay block clock", () => {
  const provider = network.provider as unknown as PinnableProvider;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const latest = async () => (await ethers.provider.getBlock("latest"))!.timestamp;
  /** Two transactions 2.1 s of wall time apart, after a block at `t0`; their timestamps minus `t0`. */
  async function slowSteps(): Promise<number[]> {
    const [a, b] = await ethers.getSigners();
    const t0 = (await latest()) + 1000;
    await network.provider.send("evm_mine", [t0]);
    const out: number[] = [];
    for (let i = 0; i < 2; i++) {
      await sleep(2100);
      await (await a.sendTransaction({ to: b.address, value: 1n })).wait();
      out.push((await latest()) - t0);
    }
    return out;
  }

  it("without it, wall time leaks into block timestamps (the fault it fixes)", async () => {
    const steps = await slowSteps();
    expect(steps[1]).to.be.greaterThan(3);
  });

  it("with it, every block is the previous one plus one second, evm_mine(t) moves the clock and evm_revert restores it", async () => {
    const clock = await pinBlockClock(provider);
    try {
      expect(await slowSteps()).to.deep.equal([1, 2]);
      const snap = await network.provider.send("evm_snapshot", []);
      const before = await latest();
      const [a, b] = await ethers.getSigners();
      await (await a.sendTransaction({ to: b.address, value: 1n })).wait();
      await network.provider.send("evm_mine", []);
      expect(await latest()).to.equal(before + 2);
      await network.provider.send("evm_revert", [snap]);
      await sleep(1200);
      await (await a.sendTransaction({ to: b.address, value: 1n })).wait();
      expect(await latest()).to.equal(before + 1);
      // a reverted transaction is mined too: the clock still moves one second
      const batcher = await deployArtifact<Contract>(localArtifact("mocks/replica/ReadBatcher.sol", "ReadBatcher"), a); // before + 2
      // tryAll([a], []): length mismatch, reverts
      const data = encodeTryAll([a.address], ["0x"]).slice(0, 10) + "0".repeat(62) + "40" + "0".repeat(62) + "80" + "0".repeat(63) + "1" + "0".repeat(24) + a.address.slice(2) + "0".repeat(64);
      await expect(a.sendTransaction({ to: String(batcher.target), data, gasLimit: 100_000 })).to.be.reverted; // before + 3
      await (await a.sendTransaction({ to: b.address, value: 1n })).wait();
      expect(await latest()).to.equal(before + 4);
    } finally {
      clock.release();
    }
    // released: the provider is the network's again
    expect(network.provider.send).to.not.equal(undefined);
  });
});
