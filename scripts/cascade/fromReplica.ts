/**
 * Builds Cascade Guard inputs from a local replica: one watched asset per LRT/LST (market feed, getRate() source),
 * and default haircut configs (ours) for the assets the module can manage on Aave v3.0.2.
 */
import { addressOf } from "../aave/artifacts";
import type { ReplicaMarket } from "../replica/deployReplicaMarket";
import { DAY, HOUR, type CascadeAssetInput, type HaircutConfig, type ModelParams } from "./deployCascadeGuard";

export interface CascadeFromReplicaOptions {
  /** Watched symbols (default: every reserve with an exchange rate). */
  symbols?: string[];
  /**
   * The one asset whose haircut also drives its eMode category. In Aave v3.0.2 the replica keeps every ETH-like
   * asset in one category (see the market file), so only one watched asset can own the category. Default "weETH".
   */
  eModeDriver?: string | null;
  /** Per-symbol model params (e.g. from a params file); defaults otherwise. */
  modelParams?: Record<string, ModelParams>;
  /** Per-symbol haircut config overrides; `null` = do not manage the asset with the module. */
  haircut?: Record<string, HaircutConfig | null>;
}

/**
 * Default haircut config (ours) for a reserve with LTV > 0: floors 30 points under the base LTV and 20 under the
 * base LT, LT cuts ramp at 1%/h, recovery 0.5%/h after 6 h inside a 0.5% band, freeze on IMPAIRED. eMode floors sit
 * just above the largest reserve LTV/LT of the category's members (Aave v3.0.2 requires eMode values above them).
 * Reserves with LTV 0 (ezETH, rsETH, osETH in the market file) are not managed: the module never writes LTV 0
 * (LTV 0 has a special meaning on Aave), and it would otherwise raise their LTV.
 */
export function defaultHaircutConfig(replica: ReplicaMarket, symbol: string, drivesEMode: boolean): HaircutConfig | null {
  const spec = replica.assets[symbol].spec;
  if (spec.ltvBps === 0) return null;
  const category = replica.market.eModeCategories.find((c) => c.id === spec.eModeCategoryId);
  const useEMode = drivesEMode && category !== undefined;
  const members = useEMode ? category!.assets.map((s) => replica.assets[s].spec) : [];
  const maxMemberLt = Math.max(0, ...members.filter((m) => m.symbol !== symbol).map((m) => m.liquidationThresholdBps));
  const maxMemberLtv = Math.max(0, ...members.filter((m) => m.symbol !== symbol).map((m) => m.ltvBps));
  return {
    baseLtvBps: spec.ltvBps,
    baseLtBps: spec.liquidationThresholdBps,
    liquidationBonusBps: 10_000 + spec.liquidationBonusBps,
    floorLtvBps: Math.max(1, spec.ltvBps - 3000),
    floorLtBps: Math.max(spec.ltvBps - 3000, spec.liquidationThresholdBps - 2000, 1),
    eModeCategoryId: useEMode ? category!.id : 0,
    eModeBaseLtvBps: useEMode ? category!.ltvBps : 0,
    eModeBaseLtBps: useEMode ? category!.liquidationThresholdBps : 0,
    eModeLiquidationBonusBps: useEMode ? 10_000 + category!.liquidationBonusBps : 0,
    eModeFloorLtvBps: useEMode ? Math.min(category!.ltvBps, maxMemberLtv + 50) : 0,
    eModeFloorLtBps: useEMode ? Math.min(category!.liquidationThresholdBps, maxMemberLt + 100) : 0,
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
  // v3.6 (liquid eMode): each LRT has its own category; the module's v3.2+ eMode writes are a separate adapter, so by
  // default it manages reserves only there.
  const driver = opts.eModeDriver === undefined ? (replica.aave.version === "3.6" ? null : "weETH") : opts.eModeDriver;
  const out: CascadeAssetInput[] = [];
  for (const symbol of symbols) {
    const a = replica.assets[symbol];
    if (!a?.rateProvider || !a.marketFeed) throw new Error(`cascadeAssetsFromReplica: ${symbol} is not an LRT/LST reserve of the replica`);
    const override = opts.haircut?.[symbol];
    const haircut = override === null ? null : (override ?? defaultHaircutConfig(replica, symbol, symbol === driver));
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
