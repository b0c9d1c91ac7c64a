/**
 * Reading a `cascade-guard/params@1` file (written by `params:compute`, model area) into push targets.
 *
 * What params:push needs from it, per asset: the symbol (or the asset address), the oracle's keeper-pushed
 * `ModelParams` (11 fields, names as in `ICollateralRiskOracle.ModelParams`), and optionally the haircut module's
 * `HaircutConfig` (base/floor LTV, LT, LB, eMode, ramp and recovery; a governance call). The model area's
 * `validateParamsFile` (model/params/schema.ts, the one schema of the format) validates the whole file first; then
 * this module extracts the fields it pushes.
 * Errors name the file and the field.
 */
import fs from "fs";
import { z } from "zod";
import { isAddress, getAddress } from "ethers";
import { MODEL_PARAM_FIELDS, ModelParams } from "./modelParams";
import { HAIRCUT_CONFIG_FIELDS, HaircutConfig } from "./haircutConfig";
import { AssetTarget } from "./push";

export const PARAMS_FORMAT = "cascade-guard/params@1";

const int = z.number().int();
const modelParamsShape = Object.fromEntries(MODEL_PARAM_FIELDS.map((f) => [f, int])) as Record<(typeof MODEL_PARAM_FIELDS)[number], typeof int>;
const haircutShape = Object.fromEntries(HAIRCUT_CONFIG_FIELDS.map((f) => [f, f === "freezeOnImpaired" ? z.boolean() : int])) as Record<string, z.ZodTypeAny>;

/** The part of an asset entry params:push reads (other fields, e.g. provenance or model outputs, are ignored). */
const assetEntrySchema = z
  .object({
    symbol: z.string().min(1),
    asset: z.string().optional(),
    modelParams: z.object(modelParamsShape).strict(),
    haircut: z.object(haircutShape).strict().nullable().optional(),
  })
  .passthrough();

const paramsFileSchema = z
  .object({
    format: z.literal(PARAMS_FORMAT),
    assets: z.union([z.array(assetEntrySchema), z.record(z.string(), assetEntrySchema.omit({ symbol: true }).extend({ symbol: z.string().optional() }))]),
  })
  .passthrough();

export interface ParsedParamsFile {
  file: string;
  raw: unknown;
  entries: { symbol: string; asset?: string; modelParams: ModelParams; haircut?: HaircutConfig }[];
}

type ModelValidator = (raw: unknown, file: string) => void;

/** The model area's validator (`validateParamsFile` from model/params), if present; undefined otherwise. */
function modelAreaValidator(): ModelValidator | undefined {
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    mod = require("../../model/params") as Record<string, unknown>;
  } catch {
    return undefined; // model area's schema not present in this build
  }
  const validate = mod.validateParamsFile as ((raw: unknown, file: string) => unknown) | undefined;
  if (typeof validate === "function") return (raw, file) => void validate(raw, file);
  const schema = mod.paramsFileSchema as z.ZodTypeAny | undefined;
  if (schema && typeof schema.safeParse === "function") {
    return (raw, file) => {
      const r = schema.safeParse(raw);
      if (!r.success) {
        const i = r.error.issues[0];
        throw new Error(`${file}: field ${i.path.join(".") || "(root)"}: ${i.message}`);
      }
    };
  }
  return undefined;
}

export function parseParamsFile(raw: unknown, file: string): ParsedParamsFile {
  modelAreaValidator()?.(raw, file);
  const r = paramsFileSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`${file}: field ${i.path.join(".") || "(root)"}: ${i.message}`);
  }
  const list = Array.isArray(r.data.assets)
    ? r.data.assets
    : Object.entries(r.data.assets).map(([symbol, e]) => ({ ...e, symbol: e.symbol ?? symbol }));
  const seen = new Set<string>();
  const entries = list.map((e, i) => {
    const symbol = e.symbol as string;
    if (seen.has(symbol)) throw new Error(`${file}: field assets.${i}.symbol: duplicate ${symbol}`);
    seen.add(symbol);
    if (e.asset !== undefined && !isAddress(e.asset)) throw new Error(`${file}: field assets.${i}.asset: expected an address, found ${e.asset}`);
    return {
      symbol,
      asset: e.asset ? getAddress(e.asset) : undefined,
      modelParams: e.modelParams as ModelParams,
      haircut: (e.haircut ?? undefined) as HaircutConfig | undefined,
    };
  });
  return { file, raw, entries };
}

export function readParamsFile(file: string): ParsedParamsFile {
  if (!fs.existsSync(file)) throw new Error(`${file}: no such params file`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return parseParamsFile(raw, file);
}

/** Maps params entries to on-chain assets through the address book's symbol table. */
export function toTargets(parsed: ParsedParamsFile, symbolToAsset: Record<string, string>, opts: { includeHaircut: boolean }): AssetTarget[] {
  return parsed.entries.map((e, i) => {
    const fromBook = symbolToAsset[e.symbol];
    const asset = e.asset ?? fromBook;
    if (!asset) throw new Error(`${parsed.file}: field assets.${i}.symbol: ${e.symbol} is not in the deployment's address book (known: ${Object.keys(symbolToAsset).join(", ") || "none"})`);
    if (e.asset && fromBook && getAddress(fromBook) !== e.asset) {
      throw new Error(`${parsed.file}: field assets.${i}.asset: ${e.asset} differs from the address book's ${e.symbol} = ${fromBook}`);
    }
    return { symbol: e.symbol, asset: getAddress(asset), modelParams: e.modelParams, haircut: opts.includeHaircut ? e.haircut : undefined };
  });
}
