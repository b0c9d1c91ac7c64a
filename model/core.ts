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

/**
 * A forged-collateral (unbacked mint) event on one LRT in model units (schema `lrts[].forgedMint`, docs/model.md).
 * With S the supply, f the forged fraction of it, pi the posted share, beta the share of the maximum borrow:
 *   forged F = f S; posted P = pi F, borrowed against at the pre-mint rate: debt D = beta P rate LTV;
 *   forged tokens that stay claims R = (1 - pi) F when invalidated (the posted ones are burned), else F;
 *   NAV dilution for every holder R / (S + R);
 *   lender's loss at the end of the path = max(0, D - recovered), recovered = 0 when invalidated, else P rate (1 - NAV loss).
 */
export interface ForgedMintModel {
  lrtIndex: number;
  /** global market index (modelMarkets order) holding the forged collateral */
  marketIndex: number;
  probability: number;
  /** NAV dilution R / (S + R) */
  dilutionFrac: number;
  /** attacker debt D, ETH */
  debtEth: number;
  /** forged collateral at the pre-mint NAV (P rate), ETH; 0 when the forged tokens are invalidated */
  recoverableEth: number;
}

export function forgedMintModels(eco: Ecosystem, markets: ModelMarket[]): (ForgedMintModel | null)[] {
  return eco.lrts.map((l, li) => {
    const fm = l.forgedMint;
    if (!fm) return null;
    const mi = markets.findIndex((m) => m.lrtIndex === li && m.venue === fm.venue && m.mode === fm.mode);
    if (mi < 0) throw new Error(`forgedMint of ${l.id}: no market ${fm.venue}/${l.id}/${fm.mode}`);
    const postedEth = fm.postedShare * fm.forgedFracOfSupply * l.supplyTokens * l.exchangeRate;
    // claims left per unit of supply
    const r = fm.invalidated ? (1 - fm.postedShare) * fm.forgedFracOfSupply : fm.forgedFracOfSupply;
    return {
      lrtIndex: li,
      marketIndex: mi,
      probability: fm.probability,
      dilutionFrac: r / (1 + r),
      debtEth: (fm.borrowFracOfMax * postedEth * markets[mi].ltvBps) / BPS,
      recoverableEth: fm.invalidated ? 0 : postedEth,
    };
  });
}

/** Lender's loss on the forged position: max(0, D - recoverable x (1 - NAV loss)). */
export function forgedCollateralLossEth(req: { debtEth: number; recoverableEth: number; navLossFrac: number }): number {
  const loss = req.debtEth - req.recoverableEth * (1 - req.navLossFrac);
  return loss > 0 ? loss : 0;
}
