/**
 * Venue rules: how a venue's liquidations work, one function used by both engines (the reference engine and the
 * fast kernel read the rules through `modelMarkets` in core.ts, which calls `venueRules`).
 *
 *   aave-v3      close factor 50%, 100% at or below HF 0.95; the market's own liquidation bonus.
 *   full         any amount may be repaid in one go; the market's own liquidation bonus (e.g. Gearbox).
 *   morpho-blue  Morpho Blue: no close factor (full close) and the liquidation incentive fixed by the LLTV,
 *                LIF = min(1.15, 1 / (0.3 LLTV + 0.7)) (Morpho `ConstantsLib`: MAX_LIQUIDATION_INCENTIVE_FACTOR,
 *                LIQUIDATION_CURSOR); the market's liquidationThresholdBps is its LLTV. A bonus given in the file must
 *                agree with the formula within 1 bp (the schema checks it).
 */

/** Rules as the engines apply them. */
export interface VenueRules {
  /** "full" = the whole debt may be repaid at once; "aave-v3" = Aave's close factor. */
  closeRule: "aave-v3" | "full";
  /** Liquidation bonus (seized = repaid x (1 + bonus) / price), bps; may be fractional for Morpho. */
  liquidationBonusBps: number;
}

export type LiquidationRule = "aave-v3" | "full" | "morpho-blue";

/** Morpho's maximum liquidation incentive factor and liquidation cursor. */
export const MORPHO_MAX_LIF = 1.15;
export const MORPHO_LIQUIDATION_CURSOR = 0.3;

/** Morpho Blue's liquidation incentive factor for an LLTV (fraction): min(1.15, 1 / (0.3 LLTV + 0.7)). */
export function morphoLif(lltv: number): number {
  return Math.min(MORPHO_MAX_LIF, 1 / (MORPHO_LIQUIDATION_CURSOR * lltv + (1 - MORPHO_LIQUIDATION_CURSOR)));
}

/** The rules of one market of a venue. */
export function venueRules(req: { liquidationRule: LiquidationRule; liquidationThresholdBps: number; liquidationBonusBps: number }): VenueRules {
  if (req.liquidationRule === "morpho-blue") {
    return { closeRule: "full", liquidationBonusBps: (morphoLif(req.liquidationThresholdBps / 10_000) - 1) * 10_000 };
  }
  return { closeRule: req.liquidationRule, liquidationBonusBps: req.liquidationBonusBps };
}
