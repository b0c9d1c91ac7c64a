/**
 * Seeded borrower population of a scenario: collateral sizes log-normal around the mean (sigma 0.8, rescaled so
 * they sum to `totalCollateral`), target health factors triangular(min, mode, max). Pure and reproducible: the
 * same `positions` block always gives the same plan.
 */
import { Scenario } from "./types";
import { mulberry32, normal, triangular } from "./random";

export interface PositionPlan {
  index: number;
  /** Collateral supplied, tokens. */
  collateralTokens: number;
  /** Target health factor at the start prices. */
  healthFactor: number;
}

export const SIZE_SIGMA = 0.8;

export function planPositions(positions: Scenario["positions"]): PositionPlan[] {
  const rand = mulberry32(positions.seed);
  const raw: number[] = [];
  const hfs: number[] = [];
  for (let i = 0; i < positions.count; i++) {
    raw.push(Math.exp(SIZE_SIGMA * normal(rand)));
    hfs.push(triangular(rand(), positions.healthFactor.min, positions.healthFactor.mode, positions.healthFactor.max));
  }
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((r, index) => ({
    index,
    collateralTokens: (r / sum) * positions.totalCollateral,
    healthFactor: hfs[index],
  }));
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
