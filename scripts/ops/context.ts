/**
 * What the ops commands need from their environment. Tasks build it from the Hardhat runtime (`fromHre`); tests
 * build it from a plain ethers provider on a local anvil node, so both run the same code paths.
 *
 * Two keys, two roles: the deployer (`DEPLOYER_PRIVATE_KEY`, first configured account) deploys and makes governance
 * calls; the keeper (`KEEPER_PRIVATE_KEY`, a Hardhat configuration variable) runs `keeper:run` and sends the
 * RISK_KEEPER_ROLE pushes of `params:push`. On a remote network the keeper key must be set and differ from the
 * deployer's; on a local node without it the first unlocked account stands in (and the commands say so).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Provider, Signer } from "ethers";
import type { ArtifactReader } from "./abis";

export interface OpsContext {
  provider: Provider;
  /** The account that signs (first configured account); undefined when the network has none. */
  getSigner(): Promise<Signer | undefined>;
  /**
   * The keeper's account (`KEEPER_PRIVATE_KEY`); undefined when not configured. Commands fall back to `getSigner`
   * only on local networks (see `keeperSigner`).
   */
  getKeeperSigner?(): Promise<Signer | undefined>;
  artifacts: ArtifactReader;
  /** Project root (deployments/ lives here). */
  root: string;
  networkName: string;
  /** JSON-RPC URL of the network (what the impact check forks); undefined for the in-process Hardhat network. */
  rpcUrl?: string;
}

export const KEEPER_KEY_VAR = "KEEPER_PRIVATE_KEY";
const LOCAL_NETWORKS = new Set(["localhost", "hardhat"]);

export function fromHre(hre: HardhatRuntimeEnvironment): OpsContext {
  const cfg = hre.network.config as { url?: string };
  return {
    provider: hre.ethers.provider,
    getSigner: async () => (await hre.ethers.getSigners())[0],
    getKeeperSigner: async () => {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { vars } = require("hardhat/config") as typeof import("hardhat/config");
      if (!vars.has(KEEPER_KEY_VAR)) return undefined;
      return new hre.ethers.Wallet(vars.get(KEEPER_KEY_VAR), hre.ethers.provider);
    },
    artifacts: hre.artifacts,
    root: hre.config.paths.root,
    networkName: hre.network.name,
    rpcUrl: typeof cfg.url === "string" ? cfg.url : undefined,
  };
}

/**
 * The keeper's signer: `KEEPER_PRIVATE_KEY` when set (refused if it is the deployer's own key); without it, the
 * first account on a local node (with a note), and a one-line error on any other network.
 */
export async function keeperSigner(ctx: OpsContext, log: (l: string) => void): Promise<Signer> {
  const keeper = await ctx.getKeeperSigner?.();
  const deployer = await ctx.getSigner();
  if (keeper) {
    if (deployer && (await keeper.getAddress()) === (await deployer.getAddress()) && !LOCAL_NETWORKS.has(ctx.networkName)) {
      throw new Error(`${KEEPER_KEY_VAR}: the keeper key is the deployer's key (${await keeper.getAddress()}); set a separate key (npx hardhat vars set ${KEEPER_KEY_VAR})`);
    }
    return keeper;
  }
  if (LOCAL_NETWORKS.has(ctx.networkName) && deployer) {
    log(`note: ${KEEPER_KEY_VAR} not set; using ${await deployer.getAddress()} (the first account of the local node) as the keeper`);
    return deployer;
  }
  throw new Error(`${KEEPER_KEY_VAR}: not set for network ${ctx.networkName}; the keeper needs its own key (npx hardhat vars set ${KEEPER_KEY_VAR}), distinct from DEPLOYER_PRIVATE_KEY`);
}
