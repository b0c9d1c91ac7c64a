import type { Ecosystem, Market, Venue } from "./ecosystem/schema";
import { venueRules, type VenueRules } from "./venues";

/**
 * Shared definitions and closed forms used by both engines. Every formula the engines implement is written here
 * once, in the form the reference engine uses, and documented in docs/model.md.
 */

import { BPS } from "../spec/units";
import { constantProductPriceFactor, constantProductReserveEth } from "../spec/dexMath";
export { BPS };
/** Aave v3.0 CLOSE_FACTOR_HF_THRESHOLD: at or below this HF a position can be liquidated in full. */
export const CLOSE_FACTOR_HF_THRESHOLD = 0.95;
/** Aave v3 default close factor (50%). */
export const DEFAULT_CLOSE_FACTOR = 0.5;
/** Repeated 50% liquidation rounds on one position are capped here (repaid share 1 - 2^-64: the whole debt). */
export const MAX_LIQUIDATION_ROUNDS = 64;

/** Loop leverage at health factor `hf` and liquidation threshold `ltBps`: L = 1 / (1 - LT / HF). */
export function loopLeverage(req: { liquidationThresholdBps: number; healthFactor: number }): number {
  const lt = req.liquidationThresholdBps / BPS;
  if (lt >= req.healthFactor) throw new Error(`loopLeverage: LT ${lt} >= HF ${req.healthFactor}: unbounded leverage`);
  return 1 / (1 - lt / req.healthFactor);
}

/**
 * NAV drop beyond which a position at health factor `healthFactor` becomes insolvent for liquidators: the collateral
 * no longer covers debt plus bonus, `(1 - s) * HF / LT < 1 + LB`, so `s* = 1 - LT (1 + LB) / HF`.
 * At 93/95/1 and HF 1 this is ~4.05%; at HF 1.01 ~5%.
 */
export function liquidationBreakEvenDrop(req: {
  liquidationThresholdBps: number;
  liquidationBonusBps: number;
  healthFactor: number;
}): number {
  const lt = req.liquidationThresholdBps / BPS;
  const lb = req.liquidationBonusBps / BPS;
  return 1 - (lt * (1 + lb)) / req.healthFactor;
}

/** Exit-queue discount `d_q = y * T / 365` (T exit days, y required annual return). */
export function queueDiscount(req: { requiredAnnualReturn: number; exitDays: number }): number {
  return (req.requiredAnnualReturn * req.exitDays) / 365;
}

/** Constant-product DEX fit (spec/dexMath.ts): LRT reserve X such that selling `depthEth` moves the price by `impactBps`. */
export function dexReserveEth(req: { depthEth: number; impactBps: number }): number {
  return constantProductReserveEth(req);
}
/** Marginal price factor `(X / (X + q))^2` after selling q into reserve X (spec/dexMath.ts). */
export const dexPriceFactor = constantProductPriceFactor;

/** A lending position in model units: collateral valued in ETH at the pre-shock NAV, debt in ETH. */
export interface ModelPosition {
  collateralEth: number;
  debtEth: number;
}

/** One (venue, LRT, mode) market, flattened with its venue's rules and its positions in model units. */
export interface ModelMarket {
  id: string;
  venue: string;
  venueIndex: number;
  lrt: string;
  lrtIndex: number;
  mode: Market["mode"];
  oracleRegime: Venue["oracleRegime"];
  /** The close rule from `venueRules` (a `morpho-blue` venue liquidates under "full"). */
  liquidationRule: VenueRules["closeRule"];
  ltvBps: number;
  liquidationThresholdBps: number;
  liquidationBonusBps: number;
  liquidationProtocolFeeBps: number;
  positions: ModelPosition[];
}

/**
 * Expands a market's positions to model units. Bands place `count` equal positions with health factors evenly
 * spread over [hfMin, hfMax] (midpoints), debt = collateral * LT / HF: deterministic, no randomness.
 */
export function expandPositions(market: Market, exchangeRate: number): ModelPosition[] {
  const lt = market.liquidationThresholdBps / BPS;
  if (market.positions.kind === "explicit") {
    return market.positions.list.map((p) => ({ collateralEth: p.collateralTokens * exchangeRate, debtEth: p.debtEth }));
  }
  const out: ModelPosition[] = [];
  for (const b of market.positions.bands) {
    const c = (b.collateralTokens * exchangeRate) / b.count;
    for (let i = 0; i < b.count; i++) {
      const hf = b.hfMin + ((b.hfMax - b.hfMin) * (i + 0.5)) / b.count;
      out.push({ collateralEth: c, debtEth: (c * lt) / hf });
    }
  }
  return out;
}

/** Flattens venues into the global market list (venue order, then market order). */
export function modelMarkets(eco: Ecosystem): ModelMarket[] {
  const lrtIndex = new Map(eco.lrts.map((l, i) => [l.id, i] as const));
  const out: ModelMarket[] = [];
  eco.venues.forEach((v, vi) => {
    for (const m of v.markets) {
      const li = lrtIndex.get(m.lrt)!;
      const rules = venueRules({ liquidationRule: v.liquidationRule, liquidationThresholdBps: m.liquidationThresholdBps, liquidationBonusBps: m.liquidationBonusBps });
      out.push({
        id: `${v.id}/${m.lrt}/${m.mode}`,
        venue: v.id,
        venueIndex: vi,
        lrt: m.lrt,
        lrtIndex: li,
        mode: m.mode,
        oracleRegime: v.oracleRegime,
        liquidationRule: rules.closeRule,
        ltvBps: m.ltvBps,
        liquidationThresholdBps: m.liquidationThresholdBps,
        liquidationBonusBps: rules.liquidationBonusBps,
        liquidationProtocolFeeBps: m.liquidationProtocolFeeBps,
        positions: expandPositions(m, eco.lrts[li].exchangeRate),
      });
    }
  });
  return out;
}
