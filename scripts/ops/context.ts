/**
 * What the ops commands need from their environment. Tasks build it from the Hardhat runtime (`fromHre`); tests
 * build it from a plain ethers provider on a local anvil node, so both run the same code paths.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Provider, Signer } from "ethers";
import type { ArtifactReader } from "./abis";

export interface OpsContext {
  provider: Provider;
  /** The account that signs (first configured account); undefined when the network has none. */
  getSigner(): Promise<Signer | undefined>;
  artifacts: ArtifactReader;
  /** Project root (deployments/ lives here). */
  root: string;
  networkName: string;
}

export function fromHre(hre: HardhatRuntimeEnvironment): OpsContext {
  return {
    provider: hre.ethers.provider,
    getSigner: async () => (await hre.ethers.getSigners())[0],
    artifacts: hre.artifacts,
    root: hre.config.paths.root,
    networkName: hre.network.name,
  };
}
