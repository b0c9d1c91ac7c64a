/** Shared helpers of the ops tests: a temp project root, an OpsContext on an anvil node, artifact deploys. */
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import { ContractFactory, JsonRpcProvider, Signer, BaseContract } from "ethers";
import { OpsContext } from "../../scripts/ops/context";
import { LocalNode } from "../../scripts/ops/localNode";
import { MODEL_PARAMS_FIELDS, type ModelParams } from "../../spec/modelParams";
import { DEFAULT_MODEL_PARAMS } from "../../spec/contracts";
import { NETWORK_CONFIG_SCHEMA } from "../../spec/formats";

/**
 * A valid keeper parameter set: the deploy defaults (spec/contracts.ts: trip, stress, multiplier) with a gentler
 * curve (1% -> 0, 3% -> 1%, 6% -> 3%, 10% -> 8%) that fits the push tests' tighter bounds (max 2000); with overrides.
 */
export function sampleModelParams(over: Partial<ModelParams> = {}): ModelParams {
  return {
    ...DEFAULT_MODEL_PARAMS,
    knot0DiscountBps: 100,
    knot0HaircutBps: 0,
    knot1DiscountBps: 300,
    knot1HaircutBps: 100,
    knot2DiscountBps: 600,
    knot2HaircutBps: 300,
    knot3DiscountBps: 1000,
    knot3HaircutBps: 800,
    ...over,
  };
}

/** Every ModelParams field set to `v` (bounds: min, max, maxStep). */
export const fillModelParams = (v: number): ModelParams => Object.fromEntries(MODEL_PARAMS_FIELDS.map((f) => [f, v])) as ModelParams;

export function tempRoot(prefix = "cg-ops-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.mkdirSync(path.join(dir, "deployments", "config"), { recursive: true });
  return dir;
}

/**
 * An OpsContext like `fromHre` but on the anvil node, signing with anvil account `signerIndex` (and, when
 * `keeperIndex` is given, with that account as the keeper key). `rpcUrl` is the node's: the impact check forks it.
 */
export function anvilContext(node: LocalNode, root: string, signerIndex = 0, keeperIndex?: number): OpsContext {
  return {
    provider: node.provider,
    getSigner: async () => node.provider.getSigner(signerIndex),
    getKeeperSigner: async () => (keeperIndex === undefined ? undefined : node.provider.getSigner(keeperIndex)),
    artifacts: hre.artifacts,
    root,
    networkName: "localhost",
    rpcUrl: node.url,
  };
}

export async function deployArtifact(name: string, signer: Signer, args: unknown[] = []): Promise<BaseContract> {
  const artifact = await hre.artifacts.readArtifact(name);
  const factory = new ContractFactory(artifact.abi, artifact.bytecode, signer);
  const c = await factory.deploy(...args);
  await c.waitForDeployment();
  return c;
}

export async function nonceOf(provider: JsonRpcProvider, address: string): Promise<number> {
  return provider.getTransactionCount(address, "latest");
}

export async function increaseTime(provider: JsonRpcProvider, seconds: number): Promise<void> {
  await provider.send("evm_increaseTime", [seconds]);
  await provider.send("evm_mine", []);
}

/** Captures log lines instead of printing them. */
export function captureLog(): { log: (l: string) => void; lines: string[]; text: () => string } {
  const lines: string[] = [];
  return { log: (l: string) => lines.push(l), lines, text: () => lines.join("\n") };
}

/**
 * A `cascade-guard/params@1` file as params:compute writes it (model/params/schema.ts), with our test values.
 * Provenance and evidence are placeholders labelled as such; params:push reads only modelParams and haircut.
 */
export function writeParamsFile(file: string, entries: { symbol: string; modelParams: object; haircut: object }[]): string {
  const zeroHash = "sha256:" + "0".repeat(64);
  const doc = {
    schema: "cascade-guard/params@1",
    provenance: { modelVersion: "test", seed: 1, paths: 1, inputHash: zeroHash, policyHash: zeroHash, generatedAt: "2026-11-21T00:00:00.000Z", ecosystem: "test (not computed)", policy: "test (not computed)" },
    policy: { badDebtThresholdEth: 0, maxExceedanceProbability: 1, protectedVenue: "test" },
    assets: entries.map((e) => ({
      lrt: e.symbol,
      symbol: e.symbol,
      modelParams: e.modelParams,
      haircut: e.haircut,
      markets: [],
      evidence: { stressedPathShare: 0, depegQuantilesBps: [], navLossP99Bps: 0 },
    })),
  };
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

export { PaddedGasSigner, paddedSigner } from "../../scripts/ops/localNode";

/**
 * A localhost-style network config (cascade-guard/network-config@1) whose addresses point into the replica's section
 * of the address book: the first asset carries the haircut config, the second is watched without one.
 */
export function replicaNetworkConfig(req: {
  chainId: number;
  roles: Record<string, string>;
  haircut: unknown;
  modelParams: ModelParams;
  modelParamsBounds: unknown;
  assets: [withHaircut: string, without: string];
  maxPausedSecondsPerWindow: number;
  description: string;
  /** Declared pricing per symbol (default "exchange-rate": the replica's default regime, CAPO-like). */
  pricing?: Record<string, "market" | "exchange-rate">;
}) {
  const DAY = 86_400;
  const asset = (symbol: string, withHaircut: boolean) => ({
    symbol,
    underlying: `book:replica.assets.${symbol}.token`,
    pricing: req.pricing?.[symbol] ?? "exchange-rate",
    oracle: {
      marketFeed: `book:replica.assets.${symbol}.marketFeed`,
      rateAdapter: { contract: "GetRateAdapter", args: [`book:replica.assets.${symbol}.rateProvider`, `${symbol} getRate()`] },
      backingFeed: "none",
      marketHeartbeatSeconds: 7 * DAY,
      backingHeartbeatSeconds: 0,
      minRateWad: "500000000000000000",
      maxRateWad: "2000000000000000000",
      emaHalfLifeSeconds: 3600,
      navHighWindowSeconds: 7 * DAY,
      navDropToleranceBps: 50,
      backingShortfallToleranceBps: 100,
      elevatedDiscountBps: 100,
      hysteresisBps: 25,
    },
    modelParams: req.modelParams,
    modelParamsBounds: req.modelParamsBounds,
    haircut: withHaircut ? req.haircut : null,
    guard: { maxPauseSeconds: 6 * 3600, cooldownSeconds: DAY, windowSeconds: 7 * DAY, maxPausedSecondsPerWindow: req.maxPausedSecondsPerWindow, postPauseGraceSeconds: 1800, enabled: true },
  });
  return {
    schema: NETWORK_CONFIG_SCHEMA,
    network: "localhost",
    chainId: req.chainId,
    description: req.description,
    aave: { poolAddressesProvider: "book:replica.aave.PoolAddressesProvider", version: "3.0.2" },
    roles: req.roles,
    installSentinel: true,
    gracePeriodAdapter: false,
    assets: [asset(req.assets[0], true), asset(req.assets[1], false)],
  };
}
