/**
 * Market file (`markets/*.json`, `cascade-guard/market@1`): the reserves, eMode categories, price sources and DEX
 * pools of a replica, every number with its source and date. Validated with zod at the edge; errors name the file
 * and the field. `loadMarketFile` returns plain numbers (`MarketConfig`) for the deploy code.
 */
import fs from "fs";
import path from "path";
import { z } from "zod";
import { UserError } from "../../../spec/errors";
import { MARKET_SCHEMA, withSchemaKey } from "../../../spec/formats";

const sourced = <T extends z.ZodTypeAny>(value: T) =>
  z
    .object({
      value,
      source: z.string().min(1, "every number needs a source (\"ours\" for values we chose)"),
      asOf: z.string().min(1, "every number needs a date (or says it is undated)"),
      note: z.string().optional(),
    })
    .strict();

const bps = z.number().int().min(0).max(10_000);
const wadString = z.string().regex(/^[0-9]+$/, "a WAD integer as a decimal string, e.g. \"1060000000000000000\"");

const rateStrategySchema = z
  .object({
    optimalUsageRatioBps: sourced(bps.refine((v) => v > 0, "must be > 0")),
    baseVariableBorrowRateBps: sourced(z.number().int().min(0).max(100_000)),
    variableRateSlope1Bps: sourced(z.number().int().min(0).max(100_000)),
    variableRateSlope2Bps: sourced(z.number().int().min(0).max(1_000_000)),
  })
  .strict();

const dexSchema = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("constant-product"),
      feeBps: sourced(z.number().int().min(0).max(1_000)),
      depthEth: sourced(z.number().positive()),
      depthImpactBps: sourced(z.number().int().min(1).max(9_000)),
    })
    .strict(),
  z
    .object({
      kind: z.literal("stableswap"),
      amplification: sourced(z.number().int().min(1).max(10_000)),
      feeBps: sourced(z.number().int().min(0).max(1_000)),
      depthEth: sourced(z.number().positive()),
      depthImpactBps: sourced(z.number().int().min(1).max(9_000)),
    })
    .strict(),
]);

const pricingSchema = z.union([
  z.object({ regime: z.literal("eth-usd"), note: z.string().optional() }).strict(),
  z
    .object({
      initialRateWad: sourced(wadString),
      capoMaxYearlyGrowthBps: sourced(z.number().int().min(0).max(100_000)),
      rateSelector: z.literal("getRate()"),
    })
    .strict(),
]);

const reserveSchema = z
  .object({
    symbol: z.string().regex(/^[A-Za-z0-9]{2,12}$/),
    name: z.string().min(1),
    decimals: z.number().int().min(6).max(18),
    kind: z.enum(["eth", "lst", "lrt"]),
    ltvBps: sourced(bps),
    liquidationThresholdBps: sourced(bps),
    liquidationBonusBps: sourced(z.number().int().min(0).max(5_000)),
    reserveFactorBps: sourced(bps),
    supplyCap: sourced(z.number().int().min(0).max(68_719_476_735)),
    borrowCap: sourced(z.number().int().min(0).max(68_719_476_735)),
    borrowingEnabled: sourced(z.boolean()),
    frozen: sourced(z.boolean()),
    interestRateStrategy: rateStrategySchema,
    pricing: pricingSchema,
    dex: dexSchema.optional(),
  })
  .strict();

const eModeSchema = z
  .object({
    id: z.number().int().min(1).max(255),
    label: z.string().min(1),
    ltvBps: sourced(bps.refine((v) => v > 0, "eMode LTV must be > 0")),
    liquidationThresholdBps: sourced(bps.refine((v) => v > 0, "eMode LT must be > 0")),
    liquidationBonusBps: sourced(z.number().int().min(1).max(5_000)),
    assets: z.array(z.string()).min(1),
    note: z.string().optional(),
  })
  .strict();

/**
 * A v3.2+ ("liquid") eMode category: its own LTV/LT/LB, the reserves that count as collateral in it, the reserves
 * that can be borrowed in it, and the collateral whose LTV is 0 in it (ltvzero). Aave v3.6 lets a reserve sit in any
 * number of categories; mainnet gives each LRT its own.
 */
const liquidEModeSchema = z
  .object({
    id: z.number().int().min(1).max(255),
    label: z.string().min(1),
    ltvBps: sourced(bps.refine((v) => v > 0, "eMode LTV must be > 0")),
    liquidationThresholdBps: sourced(bps.refine((v) => v > 0, "eMode LT must be > 0")),
    liquidationBonusBps: sourced(z.number().int().min(1).max(5_000)),
    collateral: z.array(z.string()).min(1),
    borrowable: z.array(z.string()).min(1),
    ltvzero: z.array(z.string()),
    source: z.string().min(1, "every category needs a source (\"ours\" for categories we chose)"),
    asOf: z.string().min(1),
    note: z.string().optional(),
  })
  .strict();

export const marketFileSchema = z
  .object({
    schema: z.literal(MARKET_SCHEMA),
    name: z.string().min(1),
    description: z.string(),
    /** Aave generations this file describes: `eModeCategories` is the v3.0.2 layout, `liquidEModeCategories` v3.2+. */
    aaveVersions: z.array(z.enum(["3.0", "3.6"])).min(1),
    baseCurrency: z.string(),
    ethUsdPrice8: sourced(z.number().int().positive()),
    eModeCategories: z.array(eModeSchema),
    liquidEModeCategories: z.array(liquidEModeSchema).optional(),
    reserves: z.array(reserveSchema).min(1),
    populationNote: z.string().optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    const symbols = new Set<string>();
    m.reserves.forEach((r, i) => {
      const at = (field: string) => ["reserves", i, field, "value"];
      if (symbols.has(r.symbol)) ctx.addIssue({ code: "custom", path: ["reserves", i, "symbol"], message: `duplicate reserve ${r.symbol}` });
      symbols.add(r.symbol);
      const ltv = r.ltvBps.value;
      const lt = r.liquidationThresholdBps.value;
      const lb = r.liquidationBonusBps.value;
      // Aave v3.0.2 PoolConfigurator.configureReserveAsCollateral rules:
      if (ltv > lt) ctx.addIssue({ code: "custom", path: at("ltvBps"), message: `LTV ${ltv} must be <= LT ${lt} (${r.symbol})` });
      if (lt !== 0 && lb === 0) ctx.addIssue({ code: "custom", path: at("liquidationBonusBps"), message: `a collateral (LT ${lt}) needs a bonus > 0 (${r.symbol})` });
      if (lt === 0 && lb !== 0) ctx.addIssue({ code: "custom", path: at("liquidationBonusBps"), message: `LT 0 requires bonus 0 (${r.symbol})` });
      if (lt * (10_000 + lb) > 10_000 * 10_000) {
        ctx.addIssue({ code: "custom", path: at("liquidationThresholdBps"), message: `LT x (1 + LB) = ${(lt * (10_000 + lb)) / 1e6}% exceeds 100% (${r.symbol})` });
      }
      if (r.kind === "eth" && !("regime" in r.pricing)) ctx.addIssue({ code: "custom", path: ["reserves", i, "pricing"], message: "an eth reserve is priced by ETH/USD (regime \"eth-usd\")" });
      if (r.kind !== "eth" && "regime" in r.pricing) ctx.addIssue({ code: "custom", path: ["reserves", i, "pricing"], message: `${r.symbol} needs initialRateWad and capoMaxYearlyGrowthBps` });
    });
    const inCategory = new Map<string, number>();
    m.eModeCategories.forEach((c, i) => {
      const lt = c.liquidationThresholdBps.value;
      const ltv = c.ltvBps.value;
      if (ltv > lt) ctx.addIssue({ code: "custom", path: ["eModeCategories", i, "ltvBps", "value"], message: `eMode LTV ${ltv} must be <= LT ${lt}` });
      if (lt * (10_000 + c.liquidationBonusBps.value) > 10_000 * 10_000) {
        ctx.addIssue({ code: "custom", path: ["eModeCategories", i, "liquidationThresholdBps", "value"], message: "eMode LT x (1 + LB) exceeds 100%" });
      }
      c.assets.forEach((a, j) => {
        const reserve = m.reserves.find((r) => r.symbol === a);
        const p = ["eModeCategories", i, "assets", j];
        if (!reserve) return ctx.addIssue({ code: "custom", path: p, message: `unknown reserve ${a}` });
        const prev = inCategory.get(a);
        // Aave v3.0.2: an asset belongs to at most one eMode category.
        if (prev !== undefined) ctx.addIssue({ code: "custom", path: p, message: `${a} is already in eMode category ${prev} (v3.0.2 allows one)` });
        inCategory.set(a, c.id);
        // PoolConfigurator.setAssetEModeCategory / setEModeCategory: category LT > reserve LT, category LTV > reserve LTV.
        if (reserve.liquidationThresholdBps.value >= lt) {
          ctx.addIssue({ code: "custom", path: p, message: `${a} reserve LT ${reserve.liquidationThresholdBps.value} must be below the category LT ${lt}` });
        }
        if (reserve.ltvBps.value >= ltv) {
          ctx.addIssue({ code: "custom", path: p, message: `${a} reserve LTV ${reserve.ltvBps.value} must be below the category LTV ${ltv}` });
        }
      });
    });
    // v3.2+ liquid eMode: members are reserves; ltvzero members are collateral; every LRT/LST has its own category.
    if (m.aaveVersions.includes("3.6")) {
      const liquid = m.liquidEModeCategories ?? [];
      if (m.liquidEModeCategories === undefined) {
        ctx.addIssue({ code: "custom", path: ["liquidEModeCategories"], message: "required when aaveVersions lists 3.6 (the v3.2+ eMode layout: one category per LRT)" });
      }
      const ids = new Set<number>();
      liquid.forEach((c, i) => {
        if (ids.has(c.id)) ctx.addIssue({ code: "custom", path: ["liquidEModeCategories", i, "id"], message: `duplicate category id ${c.id}` });
        ids.add(c.id);
        if (c.ltvBps.value > c.liquidationThresholdBps.value) {
          ctx.addIssue({ code: "custom", path: ["liquidEModeCategories", i, "ltvBps", "value"], message: `eMode LTV ${c.ltvBps.value} must be <= LT ${c.liquidationThresholdBps.value}` });
        }
        if (c.liquidationThresholdBps.value * (10_000 + c.liquidationBonusBps.value) > 10_000 * 10_000) {
          ctx.addIssue({ code: "custom", path: ["liquidEModeCategories", i, "liquidationThresholdBps", "value"], message: "eMode LT x (1 + LB) exceeds 100%" });
        }
        for (const list of ["collateral", "borrowable", "ltvzero"] as const) {
          c[list].forEach((a, j) => {
            if (!m.reserves.some((r) => r.symbol === a)) ctx.addIssue({ code: "custom", path: ["liquidEModeCategories", i, list, j], message: `unknown reserve ${a}` });
            if (list === "ltvzero" && !c.collateral.includes(a)) ctx.addIssue({ code: "custom", path: ["liquidEModeCategories", i, list, j], message: `${a} is ltvzero but not collateral in category ${c.id}` });
          });
        }
      });
      m.reserves.forEach((r, i) => {
        if (r.kind === "eth") return;
        if (!liquid.some((c) => c.collateral.includes(r.symbol))) {
          ctx.addIssue({ code: "custom", path: ["reserves", i, "symbol"], message: `${r.symbol} is collateral in no liquidEModeCategories entry (Aave v3.6 layout); add its category` });
        }
      });
    }
    if (!m.reserves.some((r) => r.kind === "eth")) ctx.addIssue({ code: "custom", path: ["reserves"], message: "needs one reserve of kind \"eth\" (the borrowed asset)" });
  });

export type MarketFile = z.infer<typeof marketFileSchema>;

export type PriceRegime = "market-price" | "exchange-rate";

/** A reserve with plain values (sources stripped), as the deploy code uses it. */
export interface ReserveSpec {
  symbol: string;
  name: string;
  decimals: number;
  kind: "eth" | "lst" | "lrt";
  ltvBps: number;
  liquidationThresholdBps: number;
  liquidationBonusBps: number;
  reserveFactorBps: number;
  supplyCap: number;
  borrowCap: number;
  borrowingEnabled: boolean;
  frozen: boolean;
  /** v3.0.2 layout: the one category of the asset (0 = none). */
  eModeCategoryId: number;
  /** v3.6 layout: the asset's own liquid category (the one with the fewest collateral members; 0 = none). */
  liquidEModeCategoryId: number;
  rateStrategy: {
    optimalUsageRatioBps: number;
    baseVariableBorrowRateBps: number;
    variableRateSlope1Bps: number;
    variableRateSlope2Bps: number;
  };
  /** Undefined for the ETH reserve (priced by ETH/USD). */
  rate?: { initialRateWad: bigint; capoMaxYearlyGrowthBps: number };
  dex?:
    | { kind: "constant-product"; feeBps: number; depthEth: number; depthImpactBps: number }
    | { kind: "stableswap"; amplification: number; feeBps: number; depthEth: number; depthImpactBps: number };
}

export interface EModeSpec {
  id: number;
  label: string;
  ltvBps: number;
  liquidationThresholdBps: number;
  liquidationBonusBps: number;
  assets: string[];
}

/** A v3.2+ liquid eMode category with plain values. */
export interface LiquidEModeSpec {
  id: number;
  label: string;
  ltvBps: number;
  liquidationThresholdBps: number;
  liquidationBonusBps: number;
  collateral: string[];
  borrowable: string[];
  ltvzero: string[];
}

export interface MarketConfig {
  name: string;
  file?: string;
  aaveVersions: Array<"3.0" | "3.6">;
  ethUsdPrice8: bigint;
  reserves: ReserveSpec[];
  /** v3.0.2 layout (one category per asset). */
  eModeCategories: EModeSpec[];
  /** v3.2+ layout (one category per LRT, WETH borrowable); empty when the file lists only 3.0. */
  liquidEModeCategories: LiquidEModeSpec[];
}

/** The eMode category a position in `symbol` uses on a generation: LTV/LT/LB and id; undefined = none. */
export function eModeCategoryFor(market: MarketConfig, symbol: string, version: "3.0" | "3.6"): EModeSpec | undefined {
  if (version === "3.0") {
    const id = market.reserves.find((r) => r.symbol === symbol)?.eModeCategoryId ?? 0;
    return market.eModeCategories.find((c) => c.id === id);
  }
  const id = ownLiquidCategory(market.liquidEModeCategories, symbol);
  const c = market.liquidEModeCategories.find((x) => x.id === id);
  return c ? { id: c.id, label: c.label, ltvBps: c.ltvBps, liquidationThresholdBps: c.liquidationThresholdBps, liquidationBonusBps: c.liquidationBonusBps, assets: c.collateral } : undefined;
}

/** The asset's own liquid category: where it is collateral with the fewest collateral members (ties: lowest id). */
function ownLiquidCategory(categories: Array<{ id: number; collateral: string[] }>, symbol: string): number {
  const mine = categories.filter((c) => c.collateral.includes(symbol)).sort((a, b) => a.collateral.length - b.collateral.length || a.id - b.id);
  return mine[0]?.id ?? 0;
}

/** Error naming the market file and the offending fields. */
export class MarketFileError extends UserError {
  constructor(
    readonly file: string,
    readonly issues: Array<{ field: string; message: string }>,
  ) {
    super(`invalid market file ${file}:\n${issues.map((i) => `  - ${i.field}: ${i.message}`).join("\n")}`);
    this.name = "MarketFileError";
  }
}

/** Validates a parsed market file (e.g. from a test) and flattens it. `file` names it in errors. */
export function parseMarketFile(json: unknown, file = "<market>"): MarketConfig {
  const result = marketFileSchema.safeParse(withSchemaKey(json));
  if (!result.success) {
    throw new MarketFileError(
      file,
      result.error.issues.map((i) => ({ field: fieldPath(json, i.path), message: i.message })),
    );
  }
  const m = result.data;
  const categoryOf = new Map<string, number>();
  for (const c of m.eModeCategories) for (const a of c.assets) categoryOf.set(a, c.id);
  const liquid: LiquidEModeSpec[] = (m.liquidEModeCategories ?? []).map((c) => ({
    id: c.id,
    label: c.label,
    ltvBps: c.ltvBps.value,
    liquidationThresholdBps: c.liquidationThresholdBps.value,
    liquidationBonusBps: c.liquidationBonusBps.value,
    collateral: c.collateral,
    borrowable: c.borrowable,
    ltvzero: c.ltvzero,
  }));
  return {
    name: m.name,
    file,
    aaveVersions: m.aaveVersions,
    liquidEModeCategories: liquid,
    ethUsdPrice8: BigInt(m.ethUsdPrice8.value),
    eModeCategories: m.eModeCategories.map((c) => ({
      id: c.id,
      label: c.label,
      ltvBps: c.ltvBps.value,
      liquidationThresholdBps: c.liquidationThresholdBps.value,
      liquidationBonusBps: c.liquidationBonusBps.value,
      assets: c.assets,
    })),
    reserves: m.reserves.map((r) => ({
      symbol: r.symbol,
      name: r.name,
      decimals: r.decimals,
      kind: r.kind,
      ltvBps: r.ltvBps.value,
      liquidationThresholdBps: r.liquidationThresholdBps.value,
      liquidationBonusBps: r.liquidationBonusBps.value,
      reserveFactorBps: r.reserveFactorBps.value,
      supplyCap: r.supplyCap.value,
      borrowCap: r.borrowCap.value,
      borrowingEnabled: r.borrowingEnabled.value,
      frozen: r.frozen.value,
      eModeCategoryId: categoryOf.get(r.symbol) ?? 0,
      liquidEModeCategoryId: ownLiquidCategory(liquid, r.symbol),
      rateStrategy: {
        optimalUsageRatioBps: r.interestRateStrategy.optimalUsageRatioBps.value,
        baseVariableBorrowRateBps: r.interestRateStrategy.baseVariableBorrowRateBps.value,
        variableRateSlope1Bps: r.interestRateStrategy.variableRateSlope1Bps.value,
        variableRateSlope2Bps: r.interestRateStrategy.variableRateSlope2Bps.value,
      },
      rate:
        "regime" in r.pricing
          ? undefined
          : { initialRateWad: BigInt(r.pricing.initialRateWad.value), capoMaxYearlyGrowthBps: r.pricing.capoMaxYearlyGrowthBps.value },
      dex: r.dex
        ? r.dex.kind === "stableswap"
          ? {
              kind: "stableswap" as const,
              amplification: r.dex.amplification.value,
              feeBps: r.dex.feeBps.value,
              depthEth: r.dex.depthEth.value,
              depthImpactBps: r.dex.depthImpactBps.value,
            }
          : { kind: "constant-product" as const, feeBps: r.dex.feeBps.value, depthEth: r.dex.depthEth.value, depthImpactBps: r.dex.depthImpactBps.value }
        : undefined,
    })),
  };
}

/** `reserves[2].ltvBps.value` -> `reserves[2] (weETH).ltvBps.value`, so errors name the asset too. */
function fieldPath(json: unknown, p: Array<string | number>): string {
  let out = "";
  let node: unknown = json;
  for (const k of p) {
    out += typeof k === "number" ? `[${k}]` : out === "" ? k : `.${k}`;
    node = node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[k] : undefined;
    if (typeof k === "number" && node !== null && typeof node === "object" && "symbol" in node) {
      out += ` (${String((node as { symbol: unknown }).symbol)})`;
    }
  }
  return out === "" ? "<root>" : out;
}

/** Default market file shipped with the project. */
export const DEFAULT_MARKET_FILE = path.join(__dirname, "..", "..", "..", "markets", "aave-v3-ethereum-core.json");

/** Reads, parses and validates a market file; errors name the file and the field. */
export function loadMarketFile(file: string = DEFAULT_MARKET_FILE): MarketConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new MarketFileError(file, [{ field: "<file>", message: `cannot read: ${(err as Error).message}` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new MarketFileError(file, [{ field: "<json>", message: `malformed JSON: ${(err as Error).message}` }]);
  }
  return parseMarketFile(json, file);
}
