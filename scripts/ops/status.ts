/**
 * `risk:status`: one table per asset with what an operator checks first during a depeg: market price, exchange
 * rate, discount and its EMA, NAV drop, risk level, current vs base LTV/LT (read from the Aave Pool itself, not
 * from our module), pause state and time left, and when the keeper last touched it.
 */
import { Contract, ContractRunner, getAddress } from "ethers";
import { AAVE_ABIS, CascadeAbis } from "./abis";
import { fmtBpsWithPercent as fmtBps, fmtDuration, fmtTimestamp, fmtWad } from "../../spec/format";
import { renderTable } from "../../spec/table";
import { detectAavePricing, type CollateralPricingName, type PricingEvidence } from "../guard";

export const RISK_LEVELS = ["NORMAL", "ELEVATED", "STRESSED", "IMPAIRED"] as const;

/** Aave v3 ReserveConfigurationMap bit layout (ReserveConfiguration.sol). */
export function decodeReserveConfiguration(data: bigint) {
  const bits = (from: number, width: number) => Number((data >> BigInt(from)) & ((1n << BigInt(width)) - 1n));
  return {
    ltvBps: bits(0, 16),
    liquidationThresholdBps: bits(16, 16),
    liquidationBonusBps: bits(32, 16),
    decimals: bits(48, 8),
    active: bits(56, 1) === 1,
    frozen: bits(57, 1) === 1,
    borrowingEnabled: bits(58, 1) === 1,
    paused: bits(60, 1) === 1,
    eModeCategoryId: bits(168, 8),
  };
}

export interface AssetStatus {
  asset: string;
  symbol: string;
  marketPriceWad: bigint;
  exchangeRateWad: bigint;
  discountBps: number;
  emaDiscountBps: number;
  navDropBps: number;
  backingShortfallBps: number;
  level: (typeof RISK_LEVELS)[number];
  lastPokeAt: number;
  aave: { ltvBps: number; ltBps: number; lbBps: number; frozen: boolean; paused: boolean; eModeCategoryId: number; eModeLtvBps?: number; eModeLtBps?: number };
  base?: { ltvBps: number; ltBps: number; eModeLtvBps: number; eModeLtBps: number; eModeCategoryId: number };
  /** The haircut module's ramp/recovery clock (HaircutState.rampClockAt). */
  haircutLastUpdateAt?: number;
  pause?: {
    paused: boolean;
    liquidationBlocked: boolean;
    pausedUntil: number;
    liquidationBlockedUntil: number;
    nextTripAt: number;
    pausedSecondsInWindow: number;
    enabled: boolean;
    /** The pricing the guard was configured with (it trips only where it is "market"). */
    pricing: CollateralPricingName;
    /** What the market's AaveOracle source says now (governance may have switched it since the guard was configured). */
    marketPricing?: PricingEvidence;
  };
  tripDiscountBps: number;
  nowSeconds: number;
}

export async function readStatus(req: {
  runner: ContractRunner & { provider: NonNullable<ContractRunner["provider"]> };
  addresses: { oracle: string; haircutModule?: string; guard?: string; pool: string; aaveOracle?: string };
  abis: CascadeAbis;
  assets?: readonly string[];
  symbols?: Record<string, string>;
}): Promise<AssetStatus[]> {
  const { runner, addresses, abis } = req;
  const oracle = new Contract(addresses.oracle, abis.oracle, runner);
  const pool = new Contract(addresses.pool, AAVE_ABIS.pool, runner);
  const haircut = addresses.haircutModule ? new Contract(addresses.haircutModule, abis.haircutModule, runner) : undefined;
  const guard = addresses.guard ? new Contract(addresses.guard, abis.guard, runner) : undefined;
  const nowSeconds = Number((await runner.provider.getBlock("latest"))!.timestamp);
  const assets: string[] = (req.assets ?? (await oracle.getAssets())).map((a: string) => getAddress(a));
  const haircutAssets = new Set<string>(haircut ? (await haircut.getAssets()).map((a: string) => getAddress(a)) : []);
  const guardAssets = new Set<string>(guard ? (await guard.getAssets()).map((a: string) => getAddress(a)) : []);
  const out: AssetStatus[] = [];
  for (const asset of assets) {
    const s = await oracle.getAssetState(asset);
    const [params] = await oracle.getModelParams(asset);
    const rawCfg = await pool.getConfiguration(asset);
    const cfg = decodeReserveConfiguration(BigInt(rawCfg.data ?? rawCfg[0]));
    const st: AssetStatus = {
      asset,
      symbol: req.symbols?.[asset] ?? asset,
      marketPriceWad: BigInt(s.marketPriceWad),
      exchangeRateWad: BigInt(s.exchangeRateWad),
      discountBps: Number(s.discountBps),
      emaDiscountBps: Number(s.emaDiscountBps),
      navDropBps: Number(s.navDropBps),
      backingShortfallBps: Number(s.backingShortfallBps),
      level: RISK_LEVELS[Number(s.level)] ?? "NORMAL",
      lastPokeAt: Number(s.lastPokeAt),
      aave: { ltvBps: cfg.ltvBps, ltBps: cfg.liquidationThresholdBps, lbBps: cfg.liquidationBonusBps, frozen: cfg.frozen, paused: cfg.paused, eModeCategoryId: cfg.eModeCategoryId },
      tripDiscountBps: Number(params.tripDiscountBps ?? params[0]),
      nowSeconds,
    };
    if (haircut && haircutAssets.has(asset)) {
      const hc = await haircut.getHaircutConfig(asset);
      const hs = await haircut.getHaircutState(asset);
      st.base = {
        ltvBps: Number(hc.baseLtvBps),
        ltBps: Number(hc.baseLtBps),
        eModeLtvBps: Number(hc.eModeBaseLtvBps),
        eModeLtBps: Number(hc.eModeBaseLtBps),
        eModeCategoryId: Number(hc.eModeCategoryId),
      };
      st.haircutLastUpdateAt = Number(hs.rampClockAt ?? hs[4]);
    }
    const emodeId = st.base?.eModeCategoryId || cfg.eModeCategoryId;
    if (emodeId) {
      const e = await pool.getEModeCategoryData(emodeId);
      st.aave.eModeCategoryId = emodeId;
      st.aave.eModeLtvBps = Number(e.ltv);
      st.aave.eModeLtBps = Number(e.liquidationThreshold);
    }
    if (guard && guardAssets.has(asset)) {
      const [gc, ps, paused, blocked, next, window] = await Promise.all([
        guard.getGuardConfig(asset),
        guard.getPauseState(asset),
        guard.isAssetPaused(asset),
        guard.isAssetLiquidationBlocked(asset),
        guard.nextTripAt(asset),
        guard.pausedSecondsInWindow(asset),
      ]);
      st.pause = {
        paused,
        liquidationBlocked: blocked,
        pausedUntil: Number(ps.pausedUntil),
        liquidationBlockedUntil: Number(ps.liquidationBlockedUntil),
        nextTripAt: Number(next),
        pausedSecondsInWindow: Number(window),
        enabled: Boolean(gc.enabled),
        pricing: Number(gc.pricing) === 1 ? "exchange-rate" : "market",
        ...(addresses.aaveOracle ? { marketPricing: await detectAavePricing({ runner, aaveOracle: addresses.aaveOracle, asset }) } : {}),
      };
    }
    out.push(st);
  }
  return out;
}

function vsBase(current: number | undefined, base: number | undefined): string {
  if (current === undefined) return "-";
  if (base === undefined) return fmtBps(current);
  const delta = current - base;
  return `${fmtBps(current)} / base ${fmtBps(base)}${delta ? ` (${delta > 0 ? "+" : ""}${delta})` : ""}`;
}

export function renderStatus(statuses: readonly AssetStatus[]): string {
  return statuses
    .map((s) => {
      const rows: string[][] = [
        ["market price (ETH per token)", fmtWad(s.marketPriceWad)],
        ["exchange rate (ETH per token)", fmtWad(s.exchangeRateWad)],
        ["discount / EMA", `${fmtBps(s.discountBps)} / ${fmtBps(s.emaDiscountBps)} (trip at ${fmtBps(s.tripDiscountBps)})`],
        ["NAV drop / backing shortfall", `${fmtBps(s.navDropBps)} / ${fmtBps(s.backingShortfallBps)}`],
        ["risk level", s.level],
        ["reserve LTV (Aave)", vsBase(s.aave.ltvBps, s.base?.ltvBps)],
        ["reserve LT (Aave)", vsBase(s.aave.ltBps, s.base?.ltBps)],
        ["reserve LB / frozen / paused", `${s.aave.lbBps} / ${s.aave.frozen} / ${s.aave.paused}`],
      ];
      if (s.aave.eModeCategoryId) {
        rows.push([`eMode ${s.aave.eModeCategoryId} LTV (Aave)`, vsBase(s.aave.eModeLtvBps, s.base?.eModeLtvBps)]);
        rows.push([`eMode ${s.aave.eModeCategoryId} LT (Aave)`, vsBase(s.aave.eModeLtBps, s.base?.eModeLtBps)]);
      }
      if (s.pause) {
        const left = Math.max(0, s.pause.pausedUntil - s.nowSeconds);
        const liqLeft = Math.max(0, s.pause.liquidationBlockedUntil - s.nowSeconds);
        rows.push([
          "guard",
          !s.pause.enabled
            ? "disabled"
            : s.pause.paused
              ? `PAUSED, ${fmtDuration(left)} left (liquidations blocked ${fmtDuration(liqLeft)})`
              : s.pause.liquidationBlocked
                ? `grace: liquidations blocked ${fmtDuration(liqLeft)} more`
                : "not paused",
        ]);
        const mp = s.pause.marketPricing;
        rows.push([
          "guard pricing (declared / market's oracle)",
          `${s.pause.pricing}${s.pause.pricing === "exchange-rate" ? " (never trips)" : ""} / ${
            !mp || mp.regime === "unknown"
              ? `source not recognised${mp ? ` (${mp.source})` : ""}`
              : mp.regime === s.pause.pricing
                ? `${mp.regime} (${mp.how})`
                : `MISMATCH: ${mp.regime} (${mp.how}); reconfigure the guard (configureAsset with pricing "${mp.regime}")`
          }`,
        ]);
        rows.push(["guard next trip / paused in window", `${s.pause.nextTripAt > s.nowSeconds ? fmtTimestamp(s.pause.nextTripAt) : "now"} / ${fmtDuration(s.pause.pausedSecondsInWindow)}`]);
      }
      rows.push(["last oracle poke", `${fmtTimestamp(s.lastPokeAt)}${s.lastPokeAt ? ` (${fmtDuration(s.nowSeconds - s.lastPokeAt) || "0s"} ago)` : ""}`]);
      if (s.haircutLastUpdateAt !== undefined) rows.push(["haircut ramp clock", fmtTimestamp(s.haircutLastUpdateAt)]);
      return `${s.symbol} (${s.asset})\n${renderTable(["field", "value"], rows)}`;
    })
    .join("\n\n");
}

/** One account and the roles it holds on Cascade Guard's contracts (and Aave's RISK_ADMIN). */
export interface RoleHolder {
  account: string;
  /** Where the account comes from: "deployer key", "keeper key (KEEPER_PRIVATE_KEY)", "address book roles.governance", ... */
  labels: string[];
  roles: string[];
}

/**
 * Which of the known accounts (the configured deployer and keeper keys, the address book's role holders, the
 * deployer recorded there) holds which role: DEFAULT_ADMIN_ROLE and RISK_KEEPER_ROLE on the oracle,
 * DEFAULT_ADMIN_ROLE and GUARDIAN_ROLE on the guard, DEFAULT_ADMIN_ROLE on the haircut module.
 */
export async function readRoleHolders(req: {
  runner: ContractRunner;
  addresses: { oracle: string; haircutModule?: string; guard?: string };
  abis: CascadeAbis;
  candidates: Array<{ account: string; label: string }>;
}): Promise<RoleHolder[]> {
  const oracle = new Contract(req.addresses.oracle, req.abis.oracle, req.runner);
  const checks: Array<{ name: string; contract: Contract; role: string }> = [];
  const admin: string = await oracle.DEFAULT_ADMIN_ROLE();
  checks.push({ name: "oracle DEFAULT_ADMIN_ROLE", contract: oracle, role: admin });
  checks.push({ name: "oracle RISK_KEEPER_ROLE", contract: oracle, role: await oracle.RISK_KEEPER_ROLE() });
  if (req.addresses.guard) {
    const guard = new Contract(req.addresses.guard, req.abis.guard, req.runner);
    checks.push({ name: "guard DEFAULT_ADMIN_ROLE", contract: guard, role: admin });
    checks.push({ name: "guard GUARDIAN_ROLE", contract: guard, role: await guard.GUARDIAN_ROLE() });
  }
  if (req.addresses.haircutModule) {
    checks.push({ name: "haircut module DEFAULT_ADMIN_ROLE", contract: new Contract(req.addresses.haircutModule, req.abis.haircutModule, req.runner), role: admin });
  }
  const byAccount = new Map<string, RoleHolder>();
  for (const c of req.candidates) {
    const a = getAddress(c.account);
    const h = byAccount.get(a) ?? { account: a, labels: [], roles: [] };
    if (!h.labels.includes(c.label)) h.labels.push(c.label);
    byAccount.set(a, h);
  }
  for (const h of byAccount.values()) {
    const held = await Promise.all(checks.map((c) => c.contract.hasRole(c.role, h.account) as Promise<boolean>));
    h.roles = checks.filter((_, i) => held[i]).map((c) => c.name);
  }
  return [...byAccount.values()];
}

export function renderRoles(holders: readonly RoleHolder[]): string {
  return `roles\n${renderTable(["account", "configured as", "holds"], holders.map((h) => [h.account, h.labels.join(", "), h.roles.join(", ") || "none"]))}`;
}
