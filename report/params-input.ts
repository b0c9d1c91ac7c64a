/**
 * Reader for params files (`cascade-guard/params@1`, written by `params:compute`). The report does
 * not interpret the parameters: it shows every per-asset field, formatted by the unit suffix of its
 * name (`...Bps`, `...Wad`, `...Seconds`, `...Eth`), next to the file's provenance.
 */
import { ReportInputError } from "./errors";
import { fmtByFieldName } from "./format";
import type { ParamsView } from "./views";

export const PARAMS_SCHEMA_TAG = "cascade-guard/params@1";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObject = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

const ID_KEYS = ["asset", "symbol", "lrt", "token", "name"];
const VENUE_KEYS = ["venue", "market", "emodeCategory"];

/** Flattens nested objects into dotted keys; arrays and scalars are leaves. */
export function flatten(obj: Record<string, Json>, prefix = ""): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isObject(v)) Object.assign(out, flatten(v, key));
    else out[key] = v;
  }
  return out;
}

function formatLeaf(key: string, value: Json): string {
  const last = key.split(".").pop() ?? key;
  if (Array.isArray(value) && value.every(isObject)) {
    return value
      .map((item) => `(${Object.entries(item as Record<string, Json>).map(([k, v]) => fmtByFieldName(k, v).replace(/ \(\d+ bps\)$/, "")).join(", ")})`)
      .join(" → ");
  }
  return fmtByFieldName(last, value);
}

function assetEntries(file: string, data: Record<string, Json>): Array<{ label: string; fields: Record<string, Json> }> {
  const container = data.assets ?? data.params ?? data.parameters ?? data.perAsset;
  const entries: Array<{ label: string; fields: Record<string, Json> }> = [];
  const labelOf = (item: Record<string, Json>, fallback: string) => {
    const id = ID_KEYS.map((k) => item[k]).find((v) => typeof v === "string") as string | undefined;
    const venue = VENUE_KEYS.map((k) => item[k]).find((v) => typeof v === "string" || typeof v === "number");
    return `${id ?? fallback}${venue !== undefined ? ` @ ${venue}` : ""}`;
  };
  if (Array.isArray(container)) {
    container.forEach((item, i) => {
      if (!isObject(item)) throw new ReportInputError(file, `assets[${i}]`, `expected an object, found ${JSON.stringify(item)}`);
      entries.push({ label: labelOf(item, `#${i}`), fields: item });
    });
  } else if (isObject(container)) {
    for (const [k, item] of Object.entries(container)) {
      if (!isObject(item)) throw new ReportInputError(file, `assets.${k}`, `expected an object, found ${JSON.stringify(item)}`);
      entries.push({ label: labelOf(item, k), fields: item });
    }
  } else {
    throw new ReportInputError(file, "assets", "expected the per-asset parameters as an array or an object keyed by asset, found none");
  }
  if (entries.length === 0) throw new ReportInputError(file, "assets", "expected at least one asset, found an empty list");
  return entries;
}

const PROVENANCE_KEYS = ["modelVersion", "seed", "paths", "inputHash", "ecosystemHash", "policyHash", "generatedAt", "horizonDays", "horizonSeconds"];

/** Provenance fields of any output file: its `provenance` object, else well-known top-level keys. */
export function provenanceOf(raw: unknown): Record<string, string> {
  if (!isObject(raw)) return {};
  const data = raw;
  const src: Record<string, Json> = isObject(data.provenance) ? flatten(data.provenance) : {};
  for (const k of PROVENANCE_KEYS) if (src[k] === undefined && data[k] !== undefined && !isObject(data[k])) src[k] = data[k];
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(src)) out[k] = Array.isArray(v) ? v.join(", ") : String(v);
  return out;
}

export function paramsView(file: string, raw: unknown): ParamsView {
  if (!isObject(raw)) throw new ReportInputError(file, undefined, "expected a JSON object");
  const data = raw;
  const entries = assetEntries(file, data);
  const flat = entries.map((e) => {
    const f = flatten(e.fields);
    for (const k of [...ID_KEYS, ...VENUE_KEYS]) if (typeof f[k] === "string") delete f[k];
    return f;
  });
  const fields: string[] = [];
  for (const f of flat) for (const k of Object.keys(f)) if (!fields.includes(k)) fields.push(k);
  const provenance = provenanceOf(data);
  const policy = isObject(data.policy)
    ? Object.fromEntries(Object.entries(flatten(data.policy)).map(([k, v]) => [k, formatLeaf(k, v)]))
    : {};
  return {
    sourceFile: file,
    table: {
      title: `Recommended parameters (${file})`,
      columns: ["parameter", ...entries.map((e) => e.label)],
      rows: fields.map((k) => [k, ...flat.map((f) => (f[k] === undefined ? "n/a" : formatLeaf(k, f[k])))]),
      note: "Units follow the field-name suffix: Bps shown as % (and bps), Wad as a ratio (1 = 1e18), Seconds as a duration, Eth in ETH.",
    },
    provenance,
    policy,
  };
}
