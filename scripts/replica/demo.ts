/**
 * `npm run demo` steps, as reusable functions: deploy the replica in-process, open a seeded population, then run
 * two short episodes against an unprotected and a protected (Cascade Guard installed) copy of the same market,
 * from one EVM snapshot, and summarise liquidations, bad debt, pause windows and haircut changes.
 *
 *   Flash dislocation (ezETH, market-price regime, like Morpho/Gearbox in April 2024): an outside seller pushes the
 *   ezETH/WETH pool 9% under the exchange rate within 15 minutes, it recovers over the next 45; liquidators sell
 *   what they seize into the same pool, and the market feed follows the pool (reflexive loop).
 *   Slashing (weETH, exchange-rate regime, like Aave): the weETH exchange rate drops 6% at once (a real loss).
 *
 * Liquidator: every step, each account with HF < 1 is liquidated (close factor per call, up to 3 calls), seized
 * collateral is sold into the LRT's pool. Keeper (protected runs): trip the guard when allowed, poke the haircut
 * module. Bad debt: sum over accounts of max(0, debt - collateral) at the end, at Aave oracle prices, in ETH.
 */
import { Contract, MaxUint256, type Signer } from "ethers";
import { addressOf, send } from "../aave";
import { cascadeAssetsFromReplica, deployCascadeGuard, installCascadeGuard, type CascadeGuardDeployment } from "../cascade";
import { WAD, deployReplicaMarket, type DexPool, type ReplicaAsset, type ReplicaMarket } from "./deployReplicaMarket";
import { stableSwapD, stableSwapSpot, stableSwapY } from "./dexMath";
import { openPositions, planPopulation, type OpenPositionsResult } from "./population";


export interface EpisodeStep {
  /** Seconds since the episode start. */
  t: number;
  /** Exogenous market discount of the asset vs its exchange rate, bps (the outside seller's target). */
  marketDiscountBps?: number;
  /** Exchange rate change vs the episode start, bps (negative = NAV loss). */
  rateChangeBps?: number;
}

export interface Episode {
  /** Short name for tables. */
  name: string;
  description: string;
  symbol: string;
  steps: EpisodeStep[];
}

/** ezETH flash dislocation: -9% within 15 min, back to par within 60 min (steps of 5 min). */
export const FLASH_DISLOCATION: Episode = {
  name: "flash dislocation ezETH",
  description: "ezETH pool 9% under the exchange rate within 15 min, back to par within 60 min; market-price oracle",
  symbol: "ezETH",
  steps: [0, 300, 600, 900, 1200, 1500, 1800, 2100, 2400, 2700, 3000, 3300, 3600].map((t, i) => ({
    t,
    marketDiscountBps: [0, 300, 650, 900, 900, 800, 650, 500, 350, 200, 100, 50, 0][i],
  })),
};

/** weETH slashing: exchange rate -6% at t = 5 min, market 4% under the new rate for 20 min (steps of 5 min, 1 h). */
export const SLASHING: Episode = {
  name: "slashing weETH -6%",
  description: "weETH exchange rate -6% at t = 5 min (real loss), market 4% further below it for 20 min; exchange-rate (CAPO-like) oracle",
  symbol: "weETH",
  steps: [0, 300, 600, 900, 1200, 1500, 1800, 2400, 3000, 3600].map((t) => ({
    t,
    rateChangeBps: t >= 300 ? -600 : 0,
    // the market trades below the (already lower) rate while exits queue: a trippable discount, but IMPAIRED
    marketDiscountBps: t < 300 ? 0 : t <= 1500 ? 400 : t <= 2400 ? 200 : 100,
  })),
};

export interface EpisodeResult {
  episode: string;
  protectedRun: boolean;
  liquidations: number;
  blockedLiquidations: number;
  debtRepaidEth: number;
  collateralSoldEth: number;
  badDebtEth: number;
  underwaterAccounts: number;
  minMarketPriceRatio: number;
  pausedSeconds: number;
  trips: number;
  haircutUpdates: number;
  finalLtvBps?: number;
  finalEModeLtvBps?: number;
  elapsedMs: number;
}

export interface DemoWorld {
  replica: ReplicaMarket;
  population: OpenPositionsResult;
  liquidator: Signer;
  keeper: Signer;
  rpc(method: string, params: unknown[]): Promise<unknown>;
}

/** Deploys the demo market: ezETH in the market-price regime, every other LRT in the exchange-rate regime. */
export async function prepareDemoWorld(req: {
  deployer: Signer;
  liquidator: Signer;
  keeper: Signer;
  positions: number;
  seed: number;
  rpc(method: string, params: unknown[]): Promise<unknown>;
}): Promise<DemoWorld> {
  const replica = await deployReplicaMarket({ deployer: req.deployer, priceRegime: { ezETH: "market-price" } });
  const population = await openPositions({
    replica,
    plans: planPopulation({ market: replica.market, seed: req.seed, count: req.positions, assetWeights: { weETH: 45, ezETH: 40, rsETH: 15 } }),
  });
  const pool = await addressOf(replica.aave.pool);
  const liq = await req.liquidator.getAddress();
  await send("fund liquidator", replica.weth.token.mint(liq, 10_000_000n * WAD));
  await send("liquidator approves Pool", replica.weth.token.connect(req.liquidator).approve(pool, MaxUint256));
  for (const a of Object.values(replica.assets)) {
    if (a.dexPool) await send(`liquidator approves ${a.symbol} pool`, a.token.connect(req.liquidator).approve(await addressOf(a.dexPool), MaxUint256));
  }
  return { replica, population, liquidator: req.liquidator, keeper: req.keeper, rpc: req.rpc };
}

/** Deploys Cascade Guard on the world's market and installs it (keeper gets RISK_KEEPER and GUARDIAN). */
export async function protectWorld(world: DemoWorld): Promise<CascadeGuardDeployment> {
  const { replica } = world;
  const addressesProvider = await addressOf(replica.aave.addressesProvider);
  const keeper = await world.keeper.getAddress();
  const cascade = await deployCascadeGuard({
    deployer: replica.deployer,
    addressesProvider,
    assets: await cascadeAssetsFromReplica(replica),
    keeper,
    guardian: keeper,
  });
  await installCascadeGuard({ signer: replica.deployer, addressesProvider, cascade });
  return cascade;
}

/** Float view of a pool: scaled reserves for the curve math. */
async function poolState(asset: ReplicaAsset) {
  const pool = asset.dexPool!;
  const [r0, r1] = await pool.getReserves();
  const rate = Number(await asset.rateProvider!.getRate()) / 1e18;
  return { r0: Number(r0) / 1e18, r1: Number(r1) / 1e18, rate };
}

/** Marginal price (WETH per LRT) of a float pool state after `dx` LRT in (dx < 0: LRT out). */
function spotAfter(kind: ReplicaAsset["dexKind"], amp: number, s: { r0: number; r1: number; rate: number }, dx: number): number {
  if (kind === "constant-product") {
    const k = s.r0 * s.r1;
    const r0 = s.r0 + dx;
    return k / r0 / r0;
  }
  const x = s.r0 * s.rate;
  const d = stableSwapD(x, s.r1, amp);
  const x2 = x + dx * s.rate;
  return stableSwapSpot(x2, stableSwapY(x2, d, amp), amp) * s.rate;
}

/** The outside market: trades the pool toward `targetPriceWad` (WETH per LRT) with tokens minted by the deployer. */
export async function moveDexTowards(world: DemoWorld, asset: ReplicaAsset, targetPriceWad: bigint): Promise<void> {
  const pool = asset.dexPool!;
  const s = await poolState(asset);
  const amp = asset.spec.dex?.kind === "stableswap" ? asset.spec.dex.amplification : 0;
  const target = Number(targetPriceWad) / 1e18;
  const spot = Number(await pool.spotPriceWad()) / 1e18;
  if (Math.abs(spot / target - 1) < 2e-4) return;
  // bisection on the LRT amount in (positive) or out (negative)
  let lo = spot > target ? 0 : -s.r0 * 0.9;
  let hi = spot > target ? s.r0 * 10 : 0;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (spotAfter(asset.dexKind, amp, s, mid) > target) lo = mid;
    else hi = mid;
  }
  const dx = (lo + hi) / 2;
  const deployer = world.replica.deployer;
  const me = await deployer.getAddress();
  const poolAddress = await addressOf(pool);
  if (dx > 0) {
    const amount = BigInt(Math.floor(dx * 1e6)) * 10n ** 12n;
    if (amount === 0n) return;
    await send("outside seller mints LRT", asset.token.mint(me, amount));
    await send("outside seller approves", asset.token.approve(poolAddress, amount));
    await send("outside seller sells LRT", pool.swap(asset.address, amount, 0, me));
  } else {
    // buy -dx LRT: WETH needed from the float model (plus 0.5% for fees), sold into the pool
    const wethIn = (spotAfter(asset.dexKind, amp, s, dx) + spot) / 2 * -dx * 1.005;
    const amount = BigInt(Math.floor(wethIn * 1e6)) * 10n ** 12n;
    if (amount === 0n) return;
    await send("outside buyer mints WETH", world.replica.weth.token.mint(me, amount));
    await send("outside buyer approves", world.replica.weth.token.approve(poolAddress, amount));
    await send("outside buyer buys LRT", pool.swap(world.replica.weth.address, amount, 0, me));
  }
}

/** Market feed := pool spot (the LRT/ETH market price the scenario drives and Cascade Guard watches). */
export async function syncMarketFeed(asset: ReplicaAsset): Promise<bigint> {
  const spot = await asset.dexPool!.spotPriceWad();
  await send(`${asset.symbol} market feed`, asset.marketFeed!.setAnswer(spot));
  return spot;
}

/** One liquidation sweep over every account with HF < 1; seized collateral is sold into the pool. */
export async function liquidationSweep(world: DemoWorld, asset: ReplicaAsset) {
  const { replica, population, liquidator } = world;
  const pool = replica.aave.pool.connect(liquidator);
  const me = await liquidator.getAddress();
  let liquidations = 0;
  let blocked = 0;
  let repaid = 0n;
  let sold = 0n;
  const accounts = population.positions.filter((p) => p.symbol === asset.symbol).map((p) => p.account);
  for (const user of accounts) {
    for (let round = 0; round < 3; round++) {
      const data = await replica.aave.pool.getUserAccountData(user);
      if (data.healthFactor >= WAD || data.totalCollateralBase === 0n) break;
      const debtBefore = await replica.weth.token.balanceOf(me);
      try {
        await pool.liquidationCall.staticCall(asset.address, replica.weth.address, user, MaxUint256, false);
      } catch {
        blocked++;
        break;
      }
      await send("liquidationCall", pool.liquidationCall(asset.address, replica.weth.address, user, MaxUint256, false));
      liquidations++;
      repaid += debtBefore - (await replica.weth.token.balanceOf(me));
    }
  }
  const seized = await asset.token.balanceOf(me);
  if (seized > 0n && asset.dexPool) {
    const out = await asset.dexPool.connect(liquidator).swap.staticCall(asset.address, seized, 0, me);
    await send(`liquidator sells ${asset.symbol}`, (asset.dexPool as DexPool).connect(liquidator).swap(asset.address, seized, 0, me));
    sold += out;
  }
  return { liquidations, blocked, repaid, sold };
}

/** Runs one episode on the world's current state (take a snapshot before to compare runs). */
export async function runEpisode(world: DemoWorld, episode: Episode, cascade?: CascadeGuardDeployment): Promise<EpisodeResult> {
  const started = Date.now();
  const { replica } = world;
  const asset = replica.assets[episode.symbol];
  if (!asset?.dexPool || !asset.rateProvider || !asset.marketFeed) throw new Error(`runEpisode: ${episode.symbol} needs a DEX pool, a rate provider and a market feed`);
  const rate0 = await asset.rateProvider.getRate();
  const t0 = Number((await replica.aave.pool.runner!.provider!.getBlock("latest"))!.timestamp);
  const module = cascade?.haircutModule;
  const moduleAddress = cascade?.addresses.haircutModule;
  const guard = cascade?.pauseGuard.connect(world.keeper);
  const fromBlock = (await replica.aave.pool.runner!.provider!.getBlockNumber()) + 1;
  const r: EpisodeResult = {
    episode: episode.name,
    protectedRun: cascade !== undefined,
    liquidations: 0,
    blockedLiquidations: 0,
    debtRepaidEth: 0,
    collateralSoldEth: 0,
    badDebtEth: 0,
    underwaterAccounts: 0,
    minMarketPriceRatio: 1,
    pausedSeconds: 0,
    trips: 0,
    haircutUpdates: 0,
    elapsedMs: 0,
  };
  let prevT = 0;
  for (const step of episode.steps) {
    await world.rpc("evm_setNextBlockTimestamp", [t0 + step.t + 1]);
    await world.rpc("evm_mine", []);
    if (guard && (await guard.isAssetPaused(asset.address))) r.pausedSeconds += step.t - prevT;
    prevT = step.t;
    // exogenous moves: exchange rate, then the outside market towards rate x (1 - discount)
    const rate = (rate0 * BigInt(10_000 + (step.rateChangeBps ?? 0))) / 10_000n;
    if (rate !== (await asset.rateProvider.getRate())) await send("rate", asset.rateProvider.setRate(rate));
    if (step.marketDiscountBps !== undefined) await moveDexTowards(world, asset, (rate * BigInt(10_000 - step.marketDiscountBps)) / 10_000n);
    let spot = await syncMarketFeed(asset);
    // keeper
    if (cascade && guard) {
      await send("oracle poke", cascade.riskOracle.connect(world.keeper).poke(asset.address));
      if (module) await send("haircut poke", (module.connect(world.keeper) as Contract).poke(asset.address)).catch(() => undefined);
      if (!(await guard.isAssetPaused(asset.address))) {
        try {
          await guard.trip.staticCall(asset.address);
          await send("trip", guard.trip(asset.address));
          r.trips++;
        } catch {
          /* not trippable now (below threshold, impaired, cooldown or cap) */
        }
      }
    }
    // liquidators, then the feed follows the pool (reflexive loop)
    const sweep = await liquidationSweep(world, asset);
    r.liquidations += sweep.liquidations;
    r.blockedLiquidations += sweep.blocked;
    r.debtRepaidEth += Number(sweep.repaid) / 1e18;
    r.collateralSoldEth += Number(sweep.sold) / 1e18;
    if (sweep.sold > 0n) spot = await syncMarketFeed(asset);
    r.minMarketPriceRatio = Math.min(r.minMarketPriceRatio, Number((spot * 10_000n) / rate) / 10_000);
  }
  // bad debt at oracle prices
  const ethUsd = Number(await replica.ethUsdFeed.latestAnswer()) / 1e8;
  for (const p of world.population.positions) {
    const d = await replica.aave.pool.getUserAccountData(p.account);
    const gap = Number(d.totalDebtBase - d.totalCollateralBase) / 1e8 / ethUsd;
    if (gap > 0) {
      r.badDebtEth += gap;
      r.underwaterAccounts++;
    }
  }
  if (module && moduleAddress) {
    const logs = await replica.aave.pool.runner!.provider!.getLogs({ address: moduleAddress, fromBlock });
    r.haircutUpdates = logs.filter((l) => {
      const parsed = module.interface.parseLog(l);
      return parsed?.name === "HaircutUpdated" || parsed?.name === "EModeHaircutUpdated";
    }).length;
  }
  const cfg = await replica.aave.pool.getConfiguration(asset.address);
  r.finalLtvBps = Number(cfg.data & 0xffffn);
  if (asset.spec.eModeCategoryId) r.finalEModeLtvBps = Number((await replica.aave.pool.getEModeCategoryData(asset.spec.eModeCategoryId)).ltv);
  r.elapsedMs = Date.now() - started;
  return r;
}

export interface DemoResult {
  positions: number;
  seed: number;
  deploySeconds: number;
  haircutModuleBuilt: boolean;
  results: EpisodeResult[];
}

/** The whole demo: one world, a snapshot, each episode unprotected and protected from the same state. */
export async function runDemo(req: {
  deployer: Signer;
  liquidator: Signer;
  keeper: Signer;
  rpc(method: string, params: unknown[]): Promise<unknown>;
  positions?: number;
  seed?: number;
  episodes?: Episode[];
  log?: (line: string) => void;
}): Promise<DemoResult> {
  const log = req.log ?? (() => undefined);
  const positions = req.positions ?? 200;
  const seed = req.seed ?? 7;
  const t = Date.now();
  const world = await prepareDemoWorld({ ...req, positions, seed });
  const deploySeconds = (Date.now() - t) / 1000;
  log(`replica deployed and ${positions} positions opened in ${deploySeconds.toFixed(1)} s`);
  const results: EpisodeResult[] = [];
  let haircutModuleBuilt = false;
  for (const episode of req.episodes ?? [FLASH_DISLOCATION, SLASHING]) {
    for (const protectedRun of [false, true]) {
      const snapshot = await world.rpc("evm_snapshot", []);
      const cascade = protectedRun ? await protectWorld(world) : undefined;
      if (cascade?.haircutModule) haircutModuleBuilt = true;
      const res = await runEpisode(world, episode, cascade);
      results.push(res);
      log(`  ${episode.name}, ${protectedRun ? "protected" : "unprotected"}: ${res.liquidations} liquidations, bad debt ${res.badDebtEth.toFixed(2)} ETH`);
      await world.rpc("evm_revert", [snapshot]);
    }
  }
  return { positions, seed, deploySeconds, haircutModuleBuilt, results };
}

/** Plain-text table of a demo result. */
export function formatDemoTable(
  demo: DemoResult,
  Table: new (opts: { head: string[]; style: { head: string[]; border: string[] } }) => { push(row: string[]): void; toString(): string },
): string {
  const table = new Table({
    head: ["episode", "market", "liquid.", "blocked", "repaid ETH", "sold ETH", "min px/rate", "bad debt ETH", "underwater", "paused min", "trips", "haircut writes", "LTV / eMode LTV"],
    style: { head: [], border: [] },
  });
  for (const r of demo.results) {
    table.push([
      r.episode,
      r.protectedRun ? "protected" : "unprotected",
      String(r.liquidations),
      r.protectedRun ? String(r.blockedLiquidations) : "-",
      r.debtRepaidEth.toFixed(1),
      r.collateralSoldEth.toFixed(1),
      r.minMarketPriceRatio.toFixed(4),
      r.badDebtEth.toFixed(2),
      String(r.underwaterAccounts),
      r.protectedRun ? (r.pausedSeconds / 60).toFixed(0) : "-",
      r.protectedRun ? String(r.trips) : "-",
      r.protectedRun ? (demo.haircutModuleBuilt ? String(r.haircutUpdates) : "n/a") : "-",
      `${r.finalLtvBps ?? "-"} / ${r.finalEModeLtvBps ?? "-"}`,
    ]);
  }
  return table.toString();
}
