/**
 * The Morpho market file (`markets/morpho-blue-ethereum-lrt.json`, `cascade-guard/morpho-markets@1`): which LRT/WETH
 * markets the Morpho replica creates, at which LLTV and with which oracle regime, each value with its source. Token
 * specs (decimals, starting exchange rate, CAPO growth, DEX fee) come from the Aave market file it names, so one
 * token has one spec in the project.
 */
import fs from "fs";
import path from "path";
import { z } from "zod";
import type { PriceRegime } from "../replica/marketFile";
import { MORPHO_MARKETS_SCHEMA } from "../../../spec/formats";

export const DEFAULT_MORPHO_MARKET_FILE = path.join(__dirname, "..", "..", "..", "markets", "morpho-blue-ethereum-lrt.json");

const sourced = <T extends z.ZodTypeAny>(value: T) =>
  z.object({ value, source: z.string().min(1), asOf: z.string().min(1), note: z.string().optional() }).strict();

const fileSchema = z
  .object({
    schema: z.literal(MORPHO_MARKETS_SCHEMA),
    name: z.string().min(1),
    tokenSpecsFrom: z.string().min(1),
    loan: z.literal("WETH"),
    irm: z
      .object({
        kind: z.literal("replica-adaptive-curve-fixed"),
        targetUtilizationBps: sourced(z.number().int().min(1).max(9_999)),
        curveSteepnessBps: sourced(z.number().int().min(10_000).max(1_000_000)),
        rateAtTargetAprBps: sourced(z.number().int().min(0).max(100_000)),
      })
      .strict(),
    markets: z
      .array(
        z
          .object({
            collateral: z.string().min(1),
            lltvBps: sourced(z.number().int().min(1).max(9_999)),
            oracle: sourced(z.enum(["market-price", "exchange-rate"])),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export interface MorphoMarketSpec {
  collateral: string;
  /** LLTV, bps (Morpho stores it as a WAD: lltvBps x 1e14). */
  lltvBps: number;
  regime: PriceRegime;
}

export interface MorphoMarketFile {
  name: string;
  file: string;
  tokenSpecsFrom: string;
  irm: { targetUtilizationBps: number; curveSteepnessBps: number; rateAtTargetAprBps: number };
  markets: MorphoMarketSpec[];
}

/** Reads and validates a Morpho market file; errors name the file, the field (JSON pointer), expected and found. */
export function loadMorphoMarketFile(file: string = DEFAULT_MORPHO_MARKET_FILE): MorphoMarketFile {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: expected a readable JSON Morpho market file; found ${(err as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`${file}: /${i.path.join("/")}: ${i.message}`);
  }
  const d = parsed.data;
  const seen = new Set<string>();
  d.markets.forEach((m, i) => {
    if (seen.has(m.collateral)) throw new Error(`${file}: /markets/${i}/collateral: expected a collateral listed once; found ${m.collateral} twice`);
    seen.add(m.collateral);
  });
  return {
    name: d.name,
    file,
    tokenSpecsFrom: path.resolve(path.dirname(file), "..", d.tokenSpecsFrom),
    irm: {
      targetUtilizationBps: d.irm.targetUtilizationBps.value,
      curveSteepnessBps: d.irm.curveSteepnessBps.value,
      rateAtTargetAprBps: d.irm.rateAtTargetAprBps.value,
    },
    markets: d.markets.map((m) => ({ collateral: m.collateral, lltvBps: m.lltvBps.value, regime: m.oracle.value })),
  };
}

/** LLTV as Morpho stores it (WAD). */
export function lltvWad(lltvBps: number): bigint {
  return BigInt(lltvBps) * 10n ** 14n;
}

/**
 * Morpho's liquidation incentive factor: min(1.15, 1 / (0.3 x LLTV + 0.7)) (Morpho Blue `ConstantsLib`:
 * MAX_LIQUIDATION_INCENTIVE_FACTOR = 1.15, LIQUIDATION_CURSOR = 0.3).
 */
export function morphoLiquidationIncentiveFactor(lltv: number): number {
  return Math.min(1.15, 1 / (0.3 * lltv + 0.7));
}
