/**
 * From a `cascade-guard/params@1` file (written by `params:compute`) to push targets.
 *
 * The file has one reader, the model's `loadParamsFile` (model/params/schema.ts, the one schema of the format): it
 * validates the whole file and returns a typed `ParamsFile`. This module only maps that `ParamsFile` onto the
 * deployment's assets: per asset the symbol, the oracle's keeper-pushed `ModelParams` (names as in
 * `ICollateralRiskOracle.ModelParams`) and, with `includeHaircut`, the haircut module's `HaircutConfig` (a governance
 * call). Errors are `UserError`s naming the file, the field, the value and the fix.
 */
import { getAddress } from "ethers";
import { readJsonFile } from "../../../model/input";
import { PARAMS_SCHEMA_ID, validateParamsFile, type ParamsFile } from "../../../model/params/schema";
import { UserError } from "../../../spec/errors";
import type { AssetTarget } from "./push";

/** @deprecated the id lives in spec/formats.ts (`PARAMS_SCHEMA`); kept until the callers import it from there. */
export const PARAMS_FORMAT = PARAMS_SCHEMA_ID;

export interface PushTargetsRequest {
  params: ParamsFile;
  /** The file the params came from, for error messages. */
  file: string;
  /** The deployment's address book: symbol -> asset address. */
  symbolToAsset: Record<string, string>;
  /** Push the haircut module's configs too (a governance call). */
  includeHaircut: boolean;
}

/** Maps each asset of a params file to its on-chain asset through the address book's symbol table. */
export function pushTargets(req: PushTargetsRequest): AssetTarget[] {
  const known = Object.keys(req.symbolToAsset);
  const seen = new Set<string>();
  return req.params.assets.map((a, i) => {
    if (seen.has(a.symbol)) {
      throw new UserError({ file: req.file, field: `assets[${i}].symbol`, problem: "appears twice", value: a.symbol, fix: "keep one entry per asset" });
    }
    seen.add(a.symbol);
    const asset = req.symbolToAsset[a.symbol];
    if (!asset) {
      throw new UserError({
        file: req.file,
        field: `assets[${i}].symbol`,
        problem: `not in the deployment's address book (known: ${known.join(", ") || "none"})`,
        value: a.symbol,
        fix: `deploy Cascade Guard for ${a.symbol} or remove it from the params file`,
      });
    }
    return { symbol: a.symbol, asset: getAddress(asset), modelParams: a.modelParams, haircut: req.includeHaircut ? a.haircut : undefined };
  });
}

/**
 * A params file read by the one reader, with its per-asset entries. For `scripts/ops/replicaDeploy.ts`, which
 * reads `entries` today; it goes once that command takes a `ParamsFile` (docs/ARCHITECTURE.md, issue 12 item 2).
 */
export interface ParsedParamsFile {
  file: string;
  params: ParamsFile;
  entries: ParamsFile["assets"];
}

/** Reads through the one reader; errors name the file by the path given (replica:deploy's messages always have). */
export function readParamsFile(file: string): ParsedParamsFile {
  const params = validateParamsFile(readJsonFile(file).raw, file);
  return { file, params, entries: params.assets };
}
