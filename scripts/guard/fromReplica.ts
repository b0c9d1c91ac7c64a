/**
 * Builds Cascade Guard inputs from a local replica: one watched asset per LRT/LST (market feed, getRate() source),
 * and default haircut configs (ours) for the assets the module can manage on Aave v3.0.2.
 */
import { addressOf } from "../aave/artifacts";
import type { ReplicaMarket } from "../markets/replica/deployReplicaMarket";
import { eModeCategoryFor } from "../markets/replica/marketFile";
import { DAY, HOUR, type CascadeAssetInput, type HaircutConfig, type ModelParams } from "./deploy";

export interface CascadeFromReplicaOptions {
  /** Watched symbols (default: every reserve with an exchange rate). */
  symbols?: string[];
  /**
   * The one asset whose haircut also drives its eMode category. In Aave v3.0.2 the replica keeps every ETH-like
   * asset in one category (see the market file), so only one watched asset can own the category: default "weETH".
   * On v3.6 every LRT drives its own liquid-eMode category by default; a symbol here makes it the only driver.
   */
  eModeDriver?: string | null;
  /** Per-symbol model params (e.g. from a params file); defaults otherwise. */
  modelParams?: Record<string, ModelParams>;
  /** Per-symbol haircut config overrides; `null` = do not manage the asset with the module. */
  haircut?: Record<string, HaircutConfig | null>;
}

/**
 * Default haircut config (ours): floors 30 points under the base LTV and 20 under the base LT, LT cuts ramp at 1%/h,
 * recovery 0.5%/h after 6 h inside a 0.5% band, freeze on IMPAIRED.
 * - v3.0.2: the eMode category is the shared category 1; its floors sit just above the largest reserve LTV/LT of the
 *   category's members (Aave v3.0.2 requires eMode values above them). Reserves with LTV 0 are not managed (the
 *   replica gives them 1 bp only when positions are opened).
 * - v3.6 (liquid eMode): the eMode category is the LRT's own (`eModeCategoryFor`), eMode floors 30 / 20 points under
 *   the category's LTV / LT (no member rule). A reserve with LTV 0 (ezETH, rsETH, osETH, pufETH in the market file)
 *   is managed with base and floor LTV 0: the module holds that LTV at 0 and cuts its LT, its category and freezes.
 */
export function defaultHaircutConfig(replica: ReplicaMarket, symbol: string, drivesEMode: boolean): HaircutConfig | null {
  const spec = replica.assets[symbol].spec;
  const v36 = replica.aave.version === "3.6";
  if (spec.ltvBps === 0 && !v36) return null;
  const category = v36 ? eModeCategoryFor(replica.market, symbol, "3.6") : replica.market.eModeCategories.find((c) => c.id === spec.eModeCategoryId);
  const useEMode = drivesEMode && category !== undefined;
  const members = useEMode && !v36 ? category!.assets.map((s) => replica.assets[s].spec) : [];
  const maxMemberLt = Math.max(0, ...members.filter((m) => m.symbol !== symbol).map((m) => m.liquidationThresholdBps));
  const maxMemberLtv = Math.max(0, ...members.filter((m) => m.symbol !== symbol).map((m) => m.ltvBps));
  const eFloorLtv = !useEMode ? 0 : v36 ? Math.max(1, category!.ltvBps - 3000) : Math.min(category!.ltvBps, maxMemberLtv + 50);
  const eFloorLt = !useEMode ? 0 : v36 ? Math.max(eFloorLtv, category!.liquidationThresholdBps - 2000) : Math.min(category!.liquidationThresholdBps, maxMemberLt + 100);
  return {
    baseLtvBps: spec.ltvBps,
    baseLtBps: spec.liquidationThresholdBps,
    liquidationBonusBps: 10_000 + spec.liquidationBonusBps,
    floorLtvBps: spec.ltvBps === 0 ? 0 : Math.max(1, spec.ltvBps - 3000),
    floorLtBps: Math.max(spec.ltvBps - 3000, spec.liquidationThresholdBps - 2000, 1),
    eModeCategoryId: useEMode ? category!.id : 0,
    eModeBaseLtvBps: useEMode ? category!.ltvBps : 0,
    eModeBaseLtBps: useEMode ? category!.liquidationThresholdBps : 0,
    eModeLiquidationBonusBps: useEMode ? 10_000 + category!.liquidationBonusBps : 0,
    eModeFloorLtvBps: eFloorLtv,
    eModeFloorLtBps: eFloorLt,
    ltRampBpsPerHour: 100,
    recoveryBandBps: 50,
    recoveryBpsPerHour: 50,
    recoveryCooldownSeconds: 6 * HOUR,
    freezeOnImpaired: true,
  };
}

/** Cascade Guard asset inputs for a replica. */
export async function cascadeAssetsFromReplica(replica: ReplicaMarket, opts: CascadeFromReplicaOptions = {}): Promise<CascadeAssetInput[]> {
  const symbols = opts.symbols ?? Object.values(replica.assets).filter((a) => a.spec.rate).map((a) => a.symbol);
  // v3.6 (liquid eMode): each LRT drives its own category (default); v3.0.2: one shared category, one driver
  // (default weETH). An explicit eModeDriver names the only driver on either version (null: none).
  const v36 = replica.aave.version === "3.6";
  // By default a v3.6 LRT drives a category only where it is the sole collateral (wstETH and osETH share category 1
  // with WETH and weETH: one driver per category, so none of them by default).
  const ownCategory = (symbol: string): boolean => eModeCategoryFor(replica.market, symbol, "3.6")?.assets.length === 1;
  const drives = (symbol: string): boolean => (opts.eModeDriver === undefined ? (v36 ? ownCategory(symbol) : symbol === "weETH") : symbol === opts.eModeDriver);
  const out: CascadeAssetInput[] = [];
  for (const symbol of symbols) {
    const a = replica.assets[symbol];
    if (!a?.rateProvider || !a.marketFeed) throw new Error(`cascadeAssetsFromReplica: ${symbol} is not an LRT/LST reserve of the replica`);
    const override = opts.haircut?.[symbol];
    const haircut = override === null ? null : (override ?? defaultHaircutConfig(replica, symbol, drives(symbol)));
    out.push({
      symbol,
      asset: a.address,
      marketFeed: await addressOf(a.marketFeed),
      getRateSource: await addressOf(a.rateProvider),
      modelParams: opts.modelParams?.[symbol],
      ...(haircut ? { haircut } : {}),
      oracle: { marketHeartbeatSeconds: 7 * DAY },
      pricing: a.regime === "market-price" ? "market" : "exchange-rate",
    });
  }
  return out;
}
