/**
 * TypeScript mirror of `contracts/libraries/RiskMath.sol` (bigint, integer-exact) plus the haircut-target
 * composition of `WideningHaircutModule`. Checked against the Solidity harness on shared vectors
 * (test/contracts/riskMath.test.ts). Units: WAD = 1e18, BPS = 1e4, seconds.
 * Rounding is against the borrower: discount, drop, shortfall and haircut round up; the LT-ramp step rounds down.
 */

import { WAD, BPS_BIGINT as BPS } from "./units";
export { WAD, BPS };
export const LN2_WAD = 693_147_180_559_945_309n;

export const RiskLevel = { NORMAL: 0, ELEVATED: 1, STRESSED: 2, IMPAIRED: 3 } as const;
export type RiskLevelValue = (typeof RiskLevel)[keyof typeof RiskLevel];

/** Four knots as [x0, y0, x1, y1, x2, y2, x3, y3]: x = discount bps, y = haircut bps. */
export type Knots = readonly [number, number, number, number, number, number, number, number];

/** ceil((ref - low) * 1e4 / ref), 0 when low >= ref. */
export function shortfallBps(req: { lowWad: bigint; refWad: bigint }): bigint {
  const { lowWad, refWad } = req;
  if (lowWad >= refWad) return 0n;
  const num = (refWad - lowWad) * BPS;
  return (num + refWad - 1n) / refWad;
}

/** Market discount 1 - market/rate in bps (rounded up, floored at 0). */
export function discountBps(req: { marketPriceWad: bigint; exchangeRateWad: bigint }): bigint {
  return shortfallBps({ lowWad: req.marketPriceWad, refWad: req.exchangeRateWad });
}

/** 2^(-elapsed/halfLife) in WAD, same series and truncation as the Solidity library. */
export function decayFactorWad(req: { elapsedSeconds: bigint; halfLifeSeconds: bigint }): bigint {
  const { elapsedSeconds, halfLifeSeconds } = req;
  if (halfLifeSeconds === 0n) return 0n;
  const halvings = elapsedSeconds / halfLifeSeconds;
  if (halvings >= 64n) return 0n;
  const fracWad = ((elapsedSeconds % halfLifeSeconds) * WAD) / halfLifeSeconds;
  const y = (fracWad * LN2_WAD) / WAD;
  // Horner form of the 6th-order Taylor series of e^-y, same truncations as the Solidity library.
  let t = WAD - y / 6n;
  t = WAD - (y * t) / WAD / 5n;
  t = WAD - (y * t) / WAD / 4n;
  t = WAD - (y * t) / WAD / 3n;
  t = WAD - (y * t) / WAD / 2n;
  t = WAD - (y * t) / WAD;
  return t >> halvings;
}

/** ema' = sample + (prev - sample) * 2^(-elapsed/halfLife), rounded to nearest bp. */
export function emaBps(req: {
  prevEmaBps: bigint;
  sampleBps: bigint;
  elapsedSeconds: bigint;
  halfLifeSeconds: bigint;
}): bigint {
  const f = decayFactorWad(req);
  const { prevEmaBps: prev, sampleBps: s } = req;
  if (prev >= s) return s + ((prev - s) * f + WAD / 2n) / WAD;
  return s - ((s - prev) * f + WAD / 2n) / WAD;
}

/**
 * The oracle's EMA step (CollateralRiskOracle._update): the previous observation `prevSampleBps` held from the last
 * poke until `changeAtSeconds` (the market feed's updatedAt, clamped to [last poke, now]), the new one from then to
 * now; each leg skipped when it has no length or would not move the EMA. `lastPokeAtSeconds` 0 = first poke.
 */
export function emaHeldBps(req: {
  prevEmaBps: bigint;
  prevSampleBps: bigint;
  sampleBps: bigint;
  lastPokeAtSeconds: bigint;
  changeAtSeconds: bigint;
  nowSeconds: bigint;
  halfLifeSeconds: bigint;
}): bigint {
  const { prevSampleBps, sampleBps: s, lastPokeAtSeconds: last, nowSeconds: now, halfLifeSeconds } = req;
  if (last === 0n) return s;
  let changeAt = req.changeAtSeconds < last ? last : req.changeAtSeconds;
  if (changeAt > now) changeAt = now;
  let ema = req.prevEmaBps;
  if (changeAt > last && ema !== prevSampleBps) {
    ema = emaBps({ prevEmaBps: ema, sampleBps: prevSampleBps, elapsedSeconds: changeAt - last, halfLifeSeconds });
  }
  if (now > changeAt && ema !== s) ema = emaBps({ prevEmaBps: ema, sampleBps: s, elapsedSeconds: now - changeAt, halfLifeSeconds });
  return ema;
}

/** Piecewise-linear haircut curve (flat outside the knots), rounded up. */
export function curveHaircutBps(req: { discountBps: bigint; knots: Knots }): bigint {
  const k = req.knots.map(BigInt);
  const d = req.discountBps;
  if (d <= k[0]) return k[1];
  for (let i = 2; i < 8; i += 2) {
    const x1 = k[i];
    if (d <= x1) {
      const x0 = k[i - 2];
      const y0 = k[i - 1];
      const y1 = k[i + 1];
      const num = (y1 - y0) * (d - x0);
      const den = x1 - x0;
      return y0 + (num + den - 1n) / den;
    }
  }
  return k[7];
}

/** One broken rule of a haircut curve: which knot, which coordinate, and the value it had to respect. */
export interface CurveProblem {
  knot: number;
  coordinate: "discount" | "haircut";
  rule: "increasing" | "nonDecreasing" | "atMostBps";
  /** The neighbour's value (increasing, nonDecreasing) or 1e4 (atMostBps). */
  boundBps: number;
}

/**
 * The haircut-curve rule (RiskMath.isValidCurve), written once on the TypeScript side: discounts x strictly
 * increasing, haircuts y non-decreasing, every haircut <= 1e4. Returns every broken rule, knot by knot.
 */
export function curveProblems(knots: Knots): CurveProblem[] {
  const out: CurveProblem[] = [];
  for (let k = 1; k < 4; k++) {
    const [x0, y0, x1, y1] = [knots[2 * k - 2], knots[2 * k - 1], knots[2 * k], knots[2 * k + 1]];
    if (!(x1 > x0)) out.push({ knot: k, coordinate: "discount", rule: "increasing", boundBps: x0 });
    if (y1 < y0) out.push({ knot: k, coordinate: "haircut", rule: "nonDecreasing", boundBps: y0 });
  }
  for (let k = 0; k < 4; k++) if (knots[2 * k + 1] > 10_000) out.push({ knot: k, coordinate: "haircut", rule: "atMostBps", boundBps: 10_000 });
  return out;
}

/** x strictly increasing, y non-decreasing, y3 <= 1e4 (with y non-decreasing, the same as every y <= 1e4). */
export function isValidCurve(knots: Knots): boolean {
  return curveProblems(knots).length === 0;
}

/** curve(discount) + ceil(navDrop * multiplier / 1e4), capped at 1e4. */
export function totalHaircutBps(req: {
  discountBps: bigint;
  navDropBps: bigint;
  navDropHaircutMultiplierBps: bigint;
  knots: Knots;
}): bigint {
  const h =
    curveHaircutBps(req) + (req.navDropBps * req.navDropHaircutMultiplierBps + BPS - 1n) / BPS;
  return h > BPS ? BPS : h;
}

/** max(floor, base - haircut). */
export function applyHaircut(req: { baseBps: bigint; haircutBps: bigint; floorBps: bigint }): bigint {
  const v = req.haircutBps >= req.baseBps ? 0n : req.baseBps - req.haircutBps;
  return v < req.floorBps ? req.floorBps : v;
}

/** floor(rate * elapsed / 3600) and the seconds that step consumes. */
export function rampStep(req: { elapsedSeconds: bigint; rateBpsPerHour: bigint }): {
  stepBps: bigint;
  consumedSeconds: bigint;
} {
  const { elapsedSeconds, rateBpsPerHour } = req;
  if (rateBpsPerHour === 0n) return { stepBps: 0n, consumedSeconds: 0n };
  const stepBps = (rateBpsPerHour * elapsedSeconds) / 3600n;
  const consumedSeconds = (stepBps * 3600n + rateBpsPerHour - 1n) / rateBpsPerHour;
  return { stepBps, consumedSeconds };
}

/** Move current toward target by at most maxStep. */
export function moveToward(req: { current: bigint; target: bigint; maxStep: bigint }): bigint {
  const { current, target, maxStep } = req;
  if (target < current) return current - target > maxStep ? current - maxStep : target;
  return target - current > maxStep ? current + maxStep : target;
}

/** Risk level with hysteresis (see RiskMath.nextLevel). */
export function nextLevel(req: {
  currentLevel: number;
  discountBps: bigint;
  elevatedBps: bigint;
  stressBps: bigint;
  hysteresisBps: bigint;
  impaired: boolean;
}): number {
  const { discountBps: d, elevatedBps: e, stressBps: s, hysteresisBps: h } = req;
  if (req.impaired) return RiskLevel.IMPAIRED;
  const raw = d >= s ? RiskLevel.STRESSED : d >= e ? RiskLevel.ELEVATED : RiskLevel.NORMAL;
  let cur: number = req.currentLevel === RiskLevel.IMPAIRED ? RiskLevel.STRESSED : req.currentLevel;
  if (raw >= cur) return raw;
  if (cur === RiskLevel.STRESSED) {
    if (d + h >= s) return RiskLevel.STRESSED;
    cur = RiskLevel.ELEVATED;
  }
  if (cur === RiskLevel.ELEVATED && d + h >= e) return RiskLevel.ELEVATED;
  return raw;
}

/** Haircut targets of one asset, as `WideningHaircutModule.previewTarget` computes them. */
export interface HaircutTargetRequest {
  discountBps: bigint;
  emaDiscountBps: bigint;
  navDropBps: bigint;
  impaired: boolean;
  navDropHaircutMultiplierBps: bigint;
  knots: Knots;
  baseLtvBps: bigint;
  baseLtBps: bigint;
  floorLtvBps: bigint;
  floorLtBps: bigint;
  /** The module's ceilings (HaircutState.ltvCeilingBps / ltCeilingBps); default: the bases. */
  ltvCeilingBps?: bigint;
  ltCeilingBps?: bigint;
}

export interface HaircutTarget {
  ltvHaircutBps: bigint;
  ltHaircutBps: bigint;
  targetLtvBps: bigint;
  targetLtBps: bigint;
}

/**
 * LTV haircut from max(spot, EMA) discount, LT haircut from the EMA discount, both plus the NAV-drop term.
 * IMPAIRED sends the LTV to its floor. Each target is capped by its ceiling (the base, or a lower value governance
 * set on-chain). LTV <= LT is kept by capping the LTV at the LT target.
 */
export function haircutTarget(req: HaircutTargetRequest): HaircutTarget {
  const spotOrEma = req.discountBps > req.emaDiscountBps ? req.discountBps : req.emaDiscountBps;
  const common = {
    navDropBps: req.navDropBps,
    navDropHaircutMultiplierBps: req.navDropHaircutMultiplierBps,
    knots: req.knots,
  };
  const ltvHaircutBps = totalHaircutBps({ ...common, discountBps: spotOrEma });
  const ltHaircutBps = totalHaircutBps({ ...common, discountBps: req.emaDiscountBps });
  const min = (a: bigint, b: bigint) => (a < b ? a : b);
  const targetLtBps = min(
    applyHaircut({ baseBps: req.baseLtBps, haircutBps: ltHaircutBps, floorBps: req.floorLtBps }),
    req.ltCeilingBps ?? req.baseLtBps,
  );
  let targetLtvBps = min(
    req.impaired
      ? req.floorLtvBps
      : applyHaircut({ baseBps: req.baseLtvBps, haircutBps: ltvHaircutBps, floorBps: req.floorLtvBps }),
    req.ltvCeilingBps ?? req.baseLtvBps,
  );
  if (targetLtvBps > targetLtBps) targetLtvBps = targetLtBps;
  return { ltvHaircutBps, ltHaircutBps, targetLtvBps, targetLtBps };
}
