/** Keeper key separation (scripts/ops/context.ts): which account signs keeper:run and keeper-role pushes. */
import { expect } from "chai";
import hre from "hardhat";
import { Wallet } from "ethers";
import { OpsContext, keeperSigner } from "../../scripts/ops/context";

const deployerKey = Wallet.createRandom();
const keeperKey = Wallet.createRandom();
function ctx(networkName: string, keeper?: Wallet, deployer: Wallet | undefined = deployerKey as unknown as Wallet): OpsContext {
  return {
    provider: hre.ethers.provider,
    getSigner: async () => deployer,
    getKeeperSigner: async () => keeper,
    artifacts: hre.artifacts,
    root: hre.config.paths.root,
    networkName,
  };
}

describe("ops: keeper key separation (KEEPER_PRIVATE_KEY)", () => {
  it("signs with the keeper key when it is set", async () => {
    const notes: string[] = [];
    const s = await keeperSigner(ctx("sepolia", keeperKey as unknown as Wallet), (l) => notes.push(l));
    expect(await s.getAddress()).to.equal(keeperKey.address);
    expect(notes).to.deep.equal([]);
  });
  it("refuses on a public network when the keeper key is not set, in one line naming the variable", async () => {
    const err = await keeperSigner(ctx("sepolia"), () => undefined).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.equal("KEEPER_PRIVATE_KEY: not set for network sepolia; the keeper needs its own key (npx hardhat vars set KEEPER_PRIVATE_KEY), distinct from DEPLOYER_PRIVATE_KEY");
  });
  it("refuses on a public network when the keeper key is the deployer's key", async () => {
    const err = await keeperSigner(ctx("mainnet", deployerKey as unknown as Wallet), () => undefined).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/^KEEPER_PRIVATE_KEY: the keeper key is the deployer's key \(0x[0-9a-fA-F]{40}\); set a separate key/);
  });
  it("on a local node without the key, falls back to the first account and says so", async () => {
    const notes: string[] = [];
    const s = await keeperSigner(ctx("localhost"), (l) => notes.push(l));
    expect(await s.getAddress()).to.equal(deployerKey.address);
    expect(notes[0]).to.contain("KEEPER_PRIVATE_KEY not set");
  });
});
