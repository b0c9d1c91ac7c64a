/**
 * Seeded borrower population: looped LRT/WETH positions opened through the real Pool.
 *
 * Distribution (documented defaults, ours):
 *   - asset: weighted pick among the LRT/LST reserves (default weETH 35%, wstETH 20%, ezETH 15%, rsETH 15%, osETH 15%)
 *   - eMode: with probability `eModeShare` (default 0.8) in the asset's eMode category; assets whose reserve LT is
 *     below 50% (ezETH, LT 0.1%) are always in eMode
 *   - health factor: triangular(min 1.01, mode 1.08, max 2.0)
 *   - equity: log-normal, median 10 ETH, log-sd 1.0, clamped to [0.5, 1000] ETH
 *   - leverage L = 1 / (1 - LT / HF) with LT the eMode or reserve LT; collateral = equity x L, debt = collateral x LT / HF
 *
 * `planPopulation` is pure (seed in, plan out); `openPositions` executes a plan through `PositionOpener`.
 *
 * A replay scenario's population (`positions` block of a scenario: one collateral, a total size) is drawn by
 * `planScenarioPopulation` from the same generator (`createRng`, spec/random.ts):
 *   - collateral sizes: log-normal around the mean (log-sd `SCENARIO_SIZE_SIGMA` = 0.8), rescaled so they sum to
 *     `totalCollateral`;
 *   - target health factors: triangular(min, mode, max) of the scenario, or its bands (a band picked by its share of
 *     the positions, the HF uniform within it).
 */
import type { Signer } from "ethers";
import type { PositionOpener } from "../../../typechain-types";
import { DEFAULT_AAVE_VERSION, addressOf, deployArtifact, localArtifact, send, setAssetEModeMembership, setEModeCategory, type AaveVersion } from "../../aave";
import { WAD, ethToWei, supplyWethLiquidity, type ReplicaMarket } from "./deployReplicaMarket";
import { eModeCategoryFor, type MarketConfig } from "./marketFile";
import { createRng, logNormal, normal, triangular, weightedPick } from "../../../spec/random";

export interface PopulationRequest {
  market: MarketConfig;
  /** Aave generation the plan is for (eMode layout differs): default "3.6". */
  aaveVersion?: AaveVersion;
  seed: number;
  count: number;
  assetWeights?: Record<string, number>;
  eModeShare?: number;
  hf?: { min: number; mode: number; max: number };
  equityEth?: { median: number; sigma: number; min: number; max: number };
}

export interface PositionPlan {
  index: number;
  /** Aave generation whose eMode layout `eModeCategoryId` refers to. */
  aaveVersion: AaveVersion;
  symbol: string;
  eModeCategoryId: number;
  liquidationThresholdBps: number;
  targetHf: number;
  leverage: number;
  equityEth: number;
  collateralEth: number;
  debtEth: number;
}

/**
 * Gas limit of one `openPositions` batch (Hardhat caps a transaction at 2^24 gas). Explicit, so ethers does not run
 * the batch once more through `eth_estimateGas`.
 */
export const OPEN_BATCH_GAS_LIMIT = 16_000_000n;

export const DEFAULT_ASSET_WEIGHTS: Record<string, number> = { weETH: 35, wstETH: 20, ezETH: 15, rsETH: 15, osETH: 15 };
export const DEFAULT_HF = { min: 1.01, mode: 1.08, max: 2.0 };
export const DEFAULT_EQUITY_ETH = { median: 10, sigma: 1.0, min: 0.5, max: 1000 };

/** Pure: draws the population plan (no chain access). Same request, same plan. */
export function planPopulation(req: PopulationRequest): PositionPlan[] {
  const rng = createRng(req.seed);
  const weights = req.assetWeights ?? DEFAULT_ASSET_WEIGHTS;
  const hf = req.hf ?? DEFAULT_HF;
  const eq = req.equityEth ?? DEFAULT_EQUITY_ETH;
  const eModeShare = req.eModeShare ?? 0.8;
  if (!(hf.min > 1 && hf.min <= hf.mode && hf.mode <= hf.max)) throw new Error(`population hf: need 1 < min <= mode <= max, got ${JSON.stringify(hf)}`);
  if (!Number.isInteger(req.count) || req.count < 0) throw new Error(`population count: expected a non-negative integer, got ${req.count}`);
  const usable = Object.fromEntries(
    Object.entries(weights).filter(([s, w]) => {
      if (w < 0) throw new Error(`population assetWeights.${s}: weight must be >= 0`);
      const r = req.market.reserves.find((x) => x.symbol === s);
      if (!r) throw new Error(`population assetWeights.${s}: not a reserve of market ${req.market.name}`);
      return w > 0;
    }),
  );
  if (Object.keys(usable).length === 0) throw new Error("population assetWeights: no asset with a positive weight");
  const plans: PositionPlan[] = [];
  for (let i = 0; i < req.count; i++) {
    const symbol = weightedPick(rng, usable);
    const reserve = req.market.reserves.find((r) => r.symbol === symbol)!;
    const category = eModeCategoryFor(req.market, symbol, req.aaveVersion ?? DEFAULT_AAVE_VERSION);
    const eModeDraw = rng();
    const inEMode = category !== undefined && (reserve.liquidationThresholdBps < 50_00 || eModeDraw < eModeShare);
    if (!inEMode && reserve.liquidationThresholdBps < 50_00) throw new Error(`population: ${symbol} has no eMode category and LT < 50%`);
    const ltBps = inEMode ? category!.liquidationThresholdBps : reserve.liquidationThresholdBps;
    const targetHf = triangular(rng, hf.min, hf.mode, hf.max);
    const equityEth = logNormal(rng, eq.median, eq.sigma, eq.min, eq.max);
    const lt = ltBps / 1e4;
    // L = 1 / (1 - LT / HF): the loop's fixed point when each round borrows collateral x LT / HF
    const leverage = 1 / (1 - lt / targetHf);
    const collateralEth = equityEth * leverage;
    const debtEth = (collateralEth * lt) / targetHf;
    plans.push({
      index: i,
      aaveVersion: req.aaveVersion ?? DEFAULT_AAVE_VERSION,
      symbol,
      eModeCategoryId: inEMode ? category!.id : 0,
      liquidationThresholdBps: ltBps,
      targetHf,
      leverage,
      equityEth,
      collateralEth,
      debtEth,
    });
  }
  return plans;
}

/** One band of a scenario's health-factor shape: `share` of the positions, HF uniform on [min, max]. */
export interface ScenarioHfBand {
  min: number;
  max: number;
  /** Fraction of the positions in this band (the bands' shares sum to 1). */
  share: number;
}

/** A scenario population's health-factor shape: triangular(min, mode, max), or bands. */
export type ScenarioHfShape = { min: number; mode: number; max: number } | { bands: ScenarioHfBand[] };

/** A replay scenario's `positions` block (see `scripts/replay/types.ts`). */
export interface ScenarioPopulationRequest {
  count: number;
  seed: number;
  /** Collateral of all positions together, tokens. */
  totalCollateral: number;
  healthFactor: ScenarioHfShape;
}

/** One position of a scenario's population. */
export interface ScenarioPositionPlan {
  index: number;
  /** Collateral supplied, tokens. */
  collateralTokens: number;
  /** Target health factor at the start prices. */
  healthFactor: number;
}

/** Log-sd of a scenario population's collateral sizes. */
export const SCENARIO_SIZE_SIGMA = 0.8;

/** Pure: a scenario's population plan (see the file comment). Same request, same plan. */
export function planScenarioPopulation(positions: ScenarioPopulationRequest): ScenarioPositionPlan[] {
  const rng = createRng(positions.seed);
  const shape = positions.healthFactor;
  const raw: number[] = [];
  const hfs: number[] = [];
  for (let i = 0; i < positions.count; i++) {
    raw.push(Math.exp(SCENARIO_SIZE_SIGMA * normal(rng)));
    if ("bands" in shape) {
      // band by its share of the positions (one draw), HF uniform within the band (one draw)
      let u = rng();
      let band = shape.bands[shape.bands.length - 1];
      for (const b of shape.bands) {
        if ((u -= b.share) < 0) {
          band = b;
          break;
        }
      }
      hfs.push(band.min + (band.max - band.min) * rng());
    } else hfs.push(triangular(rng, shape.min, shape.mode, shape.max));
  }
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((r, index) => ({ index, collateralTokens: (r / sum) * positions.totalCollateral, healthFactor: hfs[index] }));
}

/** Debt (ETH) that gives a position the target HF: `debt = collateral * price * LT / HF`. */
export function debtForHealthFactor(request: {
  collateralTokens: number;
  priceEth: number;
  liquidationThresholdBps: number;
  healthFactor: number;
}): number {
  return (request.collateralTokens * request.priceEth * request.liquidationThresholdBps) / 10_000 / request.healthFactor;
}

/** One hand-made position plan (tests, demos): `symbol` collateral looped against WETH at `targetHf`. */
export function planPosition(
  market: MarketConfig,
  p: { index?: number; symbol: string; inEMode: boolean; targetHf: number; equityEth: number; aaveVersion?: AaveVersion },
): PositionPlan {
  const reserve = market.reserves.find((r) => r.symbol === p.symbol);
  if (!reserve) throw new Error(`planPosition: ${p.symbol} is not a reserve of market ${market.name}`);
  const aaveVersion = p.aaveVersion ?? DEFAULT_AAVE_VERSION;
  const category = eModeCategoryFor(market, p.symbol, aaveVersion);
  if (p.inEMode && !category) throw new Error(`planPosition: ${p.symbol} has no eMode category`);
  const ltBps = p.inEMode ? category!.liquidationThresholdBps : reserve.liquidationThresholdBps;
  if (!(p.targetHf > 1)) throw new Error(`planPosition: targetHf must be > 1, got ${p.targetHf}`);
  const lt = ltBps / 1e4;
  const leverage = 1 / (1 - lt / p.targetHf);
  const collateralEth = p.equityEth * leverage;
  return {
    index: p.index ?? 0,
    aaveVersion,
    symbol: p.symbol,
    eModeCategoryId: p.inEMode ? category!.id : 0,
    liquidationThresholdBps: ltBps,
    targetHf: p.targetHf,
    leverage,
    equityEth: p.equityEth,
    collateralEth,
    debtEth: (collateralEth * lt) / p.targetHf,
  };
}

export interface OpenedPosition extends PositionPlan {
  account: string;
  collateralAmount: bigint;
  debtAmount: bigint;
}

export interface OpenPositionsRequest {
  replica: ReplicaMarket;
  plans: PositionPlan[];
  /** Positions per transaction (default 15; each costs ~0.8M gas and a transaction is capped at 2^24 gas). */
  batchSize?: number;
  /** Reuse an opener (default: deploy one). */
  opener?: PositionOpener;
}

export interface OpenPositionsResult {
  opener: PositionOpener;
  positions: OpenedPosition[];
  transactions: number;
  /** Gas of the openPositions transactions. */
  gasUsed: bigint;
  elapsedMs: number;
}

/** Deploys a PositionOpener for the replica's Pool, owned by the replica's deployer. */
export async function deployPositionOpener(replica: ReplicaMarket): Promise<PositionOpener> {
  return deployArtifact<PositionOpener>(localArtifact("mocks/replica/PositionOpener.sol", "PositionOpener"), replica.deployer, [
    await addressOf(replica.aave.pool),
    await replica.deployer.getAddress(),
  ]);
}

/**
 * Opens the planned positions through the real Pool. Amounts are sized from AaveOracle prices so each position
 * starts at its target HF. Because Aave v3.0.2 caps the opening HF at LT/LTV and gives LTV-0 reserves no borrowing
 * power, every involved reserve's and category's LTV is raised to its LT while the batch opens, then the market
 * file's values are restored (see docs/replica.md). Tops up WETH liquidity so every borrow can be served.
 */
export async function openPositions(req: OpenPositionsRequest): Promise<OpenPositionsResult> {
  const started = Date.now();
  const { replica, plans } = req;
  const { aave } = replica;
  const batchSize = req.batchSize ?? 15;
  const opener = req.opener ?? (await deployPositionOpener(replica));
  const openerAddress = await addressOf(opener);
  let transactions = 0;
  let gasUsed = 0n;

  // Prices in ETH from AaveOracle (base currency USD): the same numbers the Pool uses for HF.
  const wethPrice = await aave.aaveOracle.getAssetPrice(replica.weth.address);
  const prices = new Map<string, Promise<bigint>>(); // one read per asset, not per position
  const amounts = await Promise.all(
    plans.map(async (p) => {
      const a = replica.assets[p.symbol];
      if (!a) throw new Error(`openPositions: plan ${p.index} uses unknown asset ${p.symbol}`);
      if (!prices.has(a.address)) prices.set(a.address, aave.aaveOracle.getAssetPrice(a.address));
      const price = await prices.get(a.address)!;
      const collateralAmount = (ethToWei(p.collateralEth) * wethPrice) / price;
      // debt = collateral x price x LT / (HF x wethPrice); HF as a 1e6 fixed point, rounded up so HF >= target
      const hf1e6 = BigInt(Math.ceil(p.targetHf * 1e6));
      const debtAmount = (collateralAmount * price * BigInt(p.liquidationThresholdBps) * 1_000_000n) / (wethPrice * 10_000n * hf1e6);
      return { collateralAmount, debtAmount };
    }),
  );

  // Supply caps (whole tokens) must hold the new collateral.
  const totals = new Map<string, bigint>();
  plans.forEach((p, i) => totals.set(p.symbol, (totals.get(p.symbol) ?? 0n) + amounts[i].collateralAmount));
  for (const [symbol, total] of totals) {
    const a = replica.assets[symbol];
    const cap = BigInt(a.spec.supplyCap);
    const supplied = await aTokenSupply(replica, a.address);
    if (cap > 0n && supplied + total > cap * 10n ** BigInt(a.spec.decimals)) {
      throw new Error(`openPositions: ${symbol} collateral ${fmt(supplied + total)} exceeds its supply cap ${cap} (market ${replica.market.name})`);
    }
    await send(`mint ${symbol} to opener`, a.token.mint(openerAddress, total));
    transactions++;
  }

  // WETH liquidity for all borrows (plus 10% headroom).
  const totalDebt = amounts.reduce((s, x) => s + x.debtAmount, 0n);
  const available = await replica.weth.token.balanceOf((await aave.pool.getReserveData(replica.weth.address)).aTokenAddress);
  if (available < totalDebt + totalDebt / 10n) {
    await supplyWethLiquidity(replica, totalDebt + totalDebt / 10n - available);
    transactions += 3;
  }

  // Opening mode: LTV := LT for involved reserves and categories (v3.6: and no ltvzero bit on an involved member).
  const version = aave.version;
  const wrong = plans.find((p) => p.aaveVersion !== version);
  if (wrong) throw new Error(`openPositions: plan ${wrong.index} is for Aave v${wrong.aaveVersion} but the replica runs v${version} (planPopulation/planPosition field aaveVersion)`);
  const involved = [...new Set(plans.map((p) => p.symbol))];
  const categories = (
    version === "3.6"
      ? replica.market.liquidEModeCategories.map((c) => ({ ...c, assets: c.collateral }))
      : replica.market.eModeCategories.map((c) => ({ ...c, ltvzero: [] as string[] }))
  ).filter((c) => plans.some((p) => p.eModeCategoryId === c.id));
  const ltvzeroCleared = categories.flatMap((c) => c.ltvzero.filter((s) => involved.includes(s)).map((symbol) => ({ symbol, categoryId: c.id })));
  for (const z of ltvzeroCleared) {
    await setAssetEModeMembership(aave, { asset: replica.assets[z.symbol].address, categoryId: z.categoryId, ltvzero: false });
    transactions++;
  }
  for (const symbol of involved) {
    const s = replica.assets[symbol].spec;
    if (s.ltvBps !== s.liquidationThresholdBps) {
      await send(
        `opening LTV ${symbol}`,
        aave.poolConfigurator.configureReserveAsCollateral(replica.assets[symbol].address, s.liquidationThresholdBps, s.liquidationThresholdBps, 10_000 + s.liquidationBonusBps),
      );
      transactions++;
    }
  }
  for (const c of categories) {
    await setEModeCategory(aave, { ...c, ltvBps: c.liquidationThresholdBps });
    transactions++;
  }

  const positions: OpenedPosition[] = [];
  try {
    for (let i = 0; i < plans.length; i += batchSize) {
      const batch = plans.slice(i, i + batchSize);
      const requests = batch.map((p, j) => ({
        collateral: replica.assets[p.symbol].address,
        collateralAmount: amounts[i + j].collateralAmount,
        eModeCategoryId: p.eModeCategoryId,
        debtAsset: replica.weth.address,
        debtAmount: amounts[i + j].debtAmount,
      }));
      const before = await opener.accountCount();
      const receipt = await send(`openPositions[${i}..${i + batch.length})`, opener.openPositions(requests, { gasLimit: OPEN_BATCH_GAS_LIMIT }));
      gasUsed += receipt.gasUsed;
      transactions++;
      const accounts = await opener.accountsSlice(before, before + BigInt(batch.length));
      batch.forEach((p, j) => positions.push({ ...p, account: accounts[j], ...amounts[i + j] }));
    }
  } finally {
    // Restore the market file's LTVs (categories first: a category LTV must exceed its members' reserve LTV).
    for (const c of categories) {
      await setEModeCategory(aave, c);
      transactions++;
    }
    for (const z of ltvzeroCleared) {
      await setAssetEModeMembership(aave, { asset: replica.assets[z.symbol].address, categoryId: z.categoryId, ltvzero: true });
      transactions++;
    }
    for (const symbol of involved) {
      const s = replica.assets[symbol].spec;
      if (s.ltvBps !== s.liquidationThresholdBps) {
        await send(
          `restore LTV ${symbol}`,
          aave.poolConfigurator.configureReserveAsCollateral(replica.assets[symbol].address, s.ltvBps, s.liquidationThresholdBps, 10_000 + s.liquidationBonusBps),
        );
        transactions++;
      }
    }
  }
  return { opener, positions, transactions, gasUsed, elapsedMs: Date.now() - started };
}

async function aTokenSupply(replica: ReplicaMarket, asset: string): Promise<bigint> {
  const { aTokenAddress } = await replica.aave.pool.getReserveData(asset);
  const erc20 = replica.weth.token.attach(aTokenAddress) as typeof replica.weth.token;
  return erc20.totalSupply();
}

function fmt(wei: bigint): string {
  return `${(Number(wei / 10n ** 14n) / 1e4).toFixed(2)}`;
}

/** Health factors (WAD) of accounts, read from the Pool. */
export async function healthFactors(replica: ReplicaMarket, accounts: string[]): Promise<bigint[]> {
  return Promise.all(accounts.map(async (a) => (await replica.aave.pool.getUserAccountData(a)).healthFactor));
}

export { WAD };
