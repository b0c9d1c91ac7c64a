/**
 * Cascade Guard Hardhat configuration.
 *
 * Environment variables read here (all optional):
 *   FORK_URL       JSON-RPC URL to fork (an archive node for mainnet history; a local anvil works too).
 *   FORK_BLOCK     block number to pin the fork to.
 *   REPORT_GAS     "true" prints the hardhat-gas-reporter table after `npm test`.
 *   MIMALLOC_ALLOW_LARGE_OS_PAGES, MIMALLOC_PURGE_DELAY  allocator options of the in-process network (EDR); set
 *                  to 0 and 1000 when unset (tasks/lib/edrAllocator.ts: ~2x faster replays on this machine).
 *
 * Secrets are never read from the repository: RPC URLs and keys for the public networks come from
 * Hardhat configuration variables (`npx hardhat vars set SEPOLIA_RPC_URL`, `DEPLOYER_PRIVATE_KEY`, ...).
 * `KEEPER_PRIVATE_KEY` (configuration variable, distinct from the deployer's) signs `keeper:run` and the
 * RISK_KEEPER_ROLE calls of `params:push`; it is read by scripts/ops/context.ts, not listed as a network account.
 */
// First: EDR's allocator settings must be in the environment before Hardhat loads EDR (see the file).
import "./tasks/lib/edrAllocator";
import fs from "fs";
import path from "path";
import { HardhatUserConfig, subtask, vars } from "hardhat/config";
import { TASK_COMPILE_GET_REMAPPINGS, TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-toolbox";

// Solidity is compiled offline with pinned solc-js npm packages; Hardhat never downloads a compiler.
//   0.8.27  our contracts and Aave v3.6 from `@aave-dao/aave-v3-origin` source (it needs >= 0.8.27:
//           `require(condition, CustomError())`); contracts/external/aave-v3.6/ imports it.
//   0.8.19  Morpho Blue from `@morpho-org/morpho-blue` source, as Morpho pins it; contracts/external/morpho/.
// Each file takes the highest listed compiler its pragmas allow.
const SOLC_VERSION = "0.8.27";
const SOLC_PACKAGES: Record<string, string> = {
  "0.8.27": "solc-0.8.27",
  "0.8.19": "solc-0.8.19",
};
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  const pkg = SOLC_PACKAGES[args.solcVersion];
  if (pkg === undefined) return runSuper();
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const solc = require(pkg);
  return {
    compilerPath: require.resolve(`${pkg}/soljson.js`),
    isSolcJs: true,
    version: args.solcVersion,
    longVersion: solc.version() as string,
  };
});

// aave-v3-origin imports OpenZeppelin and BGD utils by their Foundry remapping names. OpenZeppelin maps to its own
// npm alias so the same file is never reached under two source names (Hardhat HH415).
subtask(TASK_COMPILE_GET_REMAPPINGS, async () => ({
  "openzeppelin-contracts/contracts/": "openzeppelin-contracts-aave/",
  "solidity-utils/contracts/": "@bgd-labs/solidity-utils/src/contracts/",
}));

const COMPILER_SETTINGS = { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" };

// Every file in tasks/ registers one task; loading them here keeps the config free of per-task edits.
// Tasks are skipped while TypeChain types are being generated for the first time (they import them).
if (!process.env.CASCADE_SKIP_TASKS) {
  const tasksDir = path.join(__dirname, "tasks");
  for (const file of fs.readdirSync(tasksDir).sort()) {
    if (/\.ts$/.test(file) && !file.endsWith(".d.ts")) require(path.join(tasksDir, file));
  }
}

const FORK_URL = process.env.FORK_URL;
const FORK_BLOCK = process.env.FORK_BLOCK ? Number(process.env.FORK_BLOCK) : undefined;

/** A public network is configured only when its RPC URL variable is set, so a fresh clone needs no secrets. */
function remote(urlVar: string, chainId: number) {
  if (!vars.has(urlVar)) return undefined;
  return {
    url: vars.get(urlVar),
    chainId,
    accounts: vars.has("DEPLOYER_PRIVATE_KEY") ? [vars.get("DEPLOYER_PRIVATE_KEY")] : [],
  };
}
const remotes = Object.fromEntries(
  (
    [
      ["mainnet", remote("MAINNET_RPC_URL", 1)],
      ["sepolia", remote("SEPOLIA_RPC_URL", 11155111)],
      ["holesky", remote("HOLESKY_RPC_URL", 17000)],
    ] as const
  ).filter(([, cfg]) => cfg !== undefined),
);

const config: HardhatUserConfig = {
  solidity: {
    compilers: [
      { version: SOLC_VERSION, settings: COMPILER_SETTINGS },
      // Morpho Blue was deployed for the paris EVM; solc 0.8.19 knows no later one.
      { version: "0.8.19", settings: { ...COMPILER_SETTINGS, evmVersion: "paris" } },
    ],
    overrides: {
      // The module carries an adapter library per Aave generation (v3.0 and v3.2+): compiled through the IR pipeline
      // and optimised for size so it stays under the 24 KiB code limit (22.9 KiB; 26.6 KiB legacy at 200 runs).
      "contracts/haircut/WideningHaircutModule.sol": {
        version: SOLC_VERSION,
        settings: { ...COMPILER_SETTINGS, viaIR: true, optimizer: { enabled: true, runs: 1 } },
      },
      // Compiled through the IR pipeline: 23,964 bytes at 1,000 runs (24,454 legacy at 1 run, 18 bytes under the
      // limit once). Its poke sits inside every haircut poke and trip: 1,000 runs save ~250 gas per poke over 200.
      "contracts/oracle/CollateralRiskOracle.sol": {
        version: SOLC_VERSION,
        settings: { ...COMPILER_SETTINGS, viaIR: true, optimizer: { enabled: true, runs: 1_000 } },
      },
    },
  },
  networks: {
    hardhat: {
      allowUnlimitedContractSize: false,
      ...(FORK_URL ? { forking: { url: FORK_URL, ...(FORK_BLOCK ? { blockNumber: FORK_BLOCK } : {}) } } : {}),
    },
    localhost: { url: process.env.LOCAL_RPC_URL ?? "http://127.0.0.1:8545" },
    ...remotes,
  },
  etherscan: { apiKey: vars.has("ETHERSCAN_API_KEY") ? vars.get("ETHERSCAN_API_KEY") : "" },
  sourcify: { enabled: false },
  gasReporter: { enabled: process.env.REPORT_GAS === "true", offline: true },
  typechain: {
    outDir: "typechain-types",
    target: "ethers-v6",
    // Typed bindings for the official Aave v3.0.2 artifacts the replica deploys (no Aave code is recompiled).
    externalArtifacts: [
      "node_modules/@aave/core-v3/artifacts/contracts/protocol/{pool,configuration,tokenization}/*.sol/!(*.dbg).json",
      "node_modules/@aave/core-v3/artifacts/contracts/misc/{AaveOracle,AaveProtocolDataProvider}.sol/!(*.dbg).json",
      "node_modules/@aave/core-v3/artifacts/contracts/interfaces/{IPool,IPoolConfigurator,IACLManager,IPoolAddressesProvider,IAaveOracle,IPoolDataProvider}.sol/!(*.dbg).json",
    ],
  },
  mocha: { timeout: 600_000 },
  paths: { tests: "test" },
};

export default config;
