import type { HardhatRuntimeEnvironment } from "hardhat/types";

/**
 * Impact-check benchmark: the replica (Aave v3.0.2) with N seeded looped positions on a local anvil node
 * standing in for the target chain, Cascade Guard installed; then the check params:push runs before a push: find
 * the positions from the Pool's Supply/Borrow events, fork the node with anvil --fork-url, apply a weETH reserve LT
 * cut of 2% (governance configureAsset; the module reaches it through its LT ramp, so the check projects the keeper
 * 2 h forward: pokes at both ends, on both passes), read every account before and after, compare. (An eMode LT cut
 * is no test on v3.0.x: eMode 1 is shared, and the module never cuts a shared category's LT.)
 * Target: <= 30 s for 500 positions (discovery + fork + both passes); the bench fails above it.
 */
export default async function run(hre: HardhatRuntimeEnvironment, { quick }: { quick: boolean }): Promise<void> {
  const { startAnvil, paddedSigner } = await import("../scripts/ops/localNode");
  const { deployReplicaMarket, openPositions, planPopulation } = await import("../scripts/markets/replica");
  const { deployCascadeGuard, installCascadeGuard, cascadeAssetsFromReplica, defaultHaircutConfig } = await import("../scripts/guard");
  const { loadCascadeAbis } = await import("../scripts/ops/abis");
  const { accountsFromPoolEvents } = await import("../scripts/ops/impact/accounts");
  const { checkImpact } = await import("../scripts/ops/impact/check");
  const { haircutConfigToStruct } = await import("../spec/haircutConfig");
  const { Contract } = await import("ethers");
  const count = quick ? 100 : 500;
  const targetMs = 30_000;
  const node = await startAnvil({ root: hre.config.paths.root });
  try {
    const deployer = await paddedSigner(node.provider, 0);
    const t0 = Date.now();
    const replica = await deployReplicaMarket({ deployer, withoutDex: true });
    const population = await openPositions({ replica, plans: planPopulation({ market: replica.market, seed: 7, count }) });
    const addressesProvider = String(replica.aave.addressesProvider.target);
    const cascade = await deployCascadeGuard({ deployer, addressesProvider, assets: await cascadeAssetsFromReplica(replica) });
    await installCascadeGuard({ signer: deployer, addressesProvider, cascade });
    const setupMs = Date.now() - t0;

    const abis = loadCascadeAbis(hre.artifacts);
    const module = new Contract(cascade.addresses.haircutModule, abis.haircutModule, node.provider);
    const base = defaultHaircutConfig(replica, "weETH", true)!;
    const cut = { ...base, baseLtBps: base.baseLtBps - 200 };
    const cutLabel = `weETH reserve LT ${base.baseLtBps / 100}% -> ${cut.baseLtBps / 100}%`;
    const pool = String(replica.aave.pool.target);
    const t1 = Date.now();
    const accounts = await accountsFromPoolEvents({ provider: node.provider, pool, fromBlock: 0, toBlock: await node.provider.getBlockNumber(), chunkBlocks: 10_000 });
    const t2 = Date.now();
    const impact = await checkImpact({
      targetRpcUrl: node.url,
      root: hre.config.paths.root,
      network: "bench",
      pool,
      cascade: { oracle: cascade.addresses.riskOracle, haircutModule: cascade.addresses.haircutModule },
      abis,
      assets: Object.entries(cascade.addresses.assets).map(([symbol, asset]) => ({ symbol, asset })),
      writes: [{ label: `configureAsset(weETH) ${cutLabel}`, from: await deployer.getAddress(), to: cascade.addresses.haircutModule, data: module.interface.encodeFunctionData("configureAsset", [replica.assets.weETH.address, haircutConfigToStruct(cut)]) }],
      accounts,
      accountsSource: { kind: "events", pool, fromBlock: 0, toBlock: await node.provider.getBlockNumber(), chunkBlocks: 10_000 },
    });
    const t3 = Date.now();
    console.log(`setup (replica + ${count} positions + Cascade Guard on anvil): ${(setupMs / 1000).toFixed(2)} s (${population.positions.length} positions)`);
    console.log(`borrower discovery (Supply/Borrow events):  ${((t2 - t1) / 1000).toFixed(2)} s, ${accounts.length} accounts`);
    console.log(`impact check (fork + writes + keeper + 2 passes): ${((t3 - t2) / 1000).toFixed(2)} s (engine's own figure ${(impact.elapsedMs / 1000).toFixed(2)} s)`);
    console.log(`total discovery + check:                   ${((t3 - t1) / 1000).toFixed(2)} s (target <= ${targetMs / 1000} s)`);
    console.log(`${cutLabel} (keeper projected ${impact.horizonHours} h): ${impact.summary.newlyLiquidatable} newly liquidatable (${impact.summary.newlyLiquidatableDebtEth.toFixed(2)} ETH debt), ${impact.summary.newlyAtRisk} newly below HF 1.05; refused: ${impact.refused}`);
    if (accounts.length < count) throw new Error(`bench impact: found ${accounts.length} accounts from the events, expected at least ${count}`);
    if (t3 - t1 > targetMs) throw new Error(`bench impact: ${t3 - t1} ms exceeds the ${targetMs} ms target`);
  } finally {
    await node.stop();
  }
}
