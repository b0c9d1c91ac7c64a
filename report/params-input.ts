/**
 * Reader for params files (`cascade-guard/params@1`, written by `params:compute`). The report does
 * not interpret the parameters: it shows every per-asset field, formatted by the unit suffix of its
 * name (`...Bps`, `...Wad`, `...Seconds`, `...Eth`), next to the file's provenance.
 */
import { ReportInputError } from "./errors";
import { fmtBps, fmtByFieldName, fmtEth, fmtPct } from "./format";
import type { ParamsView, SummaryTable } from "./views";

export const PARAMS_SCHEMA_TAG = "cascade-guard/params@1";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObject = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

const ID_KEYS = ["symbol", "asset", "lrt", "token", "name"];
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

/** Generic table: one row per (flattened) field, one column per asset. */
function fieldTable(file: string, title: string, entries: Array<{ label: string; fields: Record<string, Json> }>, note?: string): SummaryTable {
  const flat = entries.map((e) => {
    const f = flatten(e.fields);
    for (const k of [...ID_KEYS, ...VENUE_KEYS]) if (typeof f[k] === "string") delete f[k];
    return f;
  });
  const fields: string[] = [];
  for (const f of flat) for (const k of Object.keys(f)) if (!fields.includes(k)) fields.push(k);
  return {
    title: `${title} (${file})`,
    columns: ["parameter", ...entries.map((e) => e.label)],
    rows: fields.map((k) => [k, ...flat.map((f) => (f[k] === undefined ? "n/a" : formatLeaf(k, f[k])))]),
    note,
  };
}

const UNIT_NOTE = "Units follow the field-name suffix: Bps shown as % (and bps), Wad as a ratio (1 = 1e18), Seconds as a duration, Eth in ETH.";

const pct = (bps: unknown) => (typeof bps === "number" ? fmtBps(bps) : "n/a");
const arrow = (a: unknown, b: unknown) => (a === b ? pct(b) : `${pct(a)} → ${pct(b)}`);
const prob = (p: unknown) => (typeof p === "number" ? fmtPct(p * 100) : "n/a");

/** The model's params file (model/params/schema.ts): markets with current vs recommended values, ModelParams, HaircutConfig. */
function modelParamsFileView(file: string, data: Record<string, Json>, assets: Array<Record<string, Json>>): ParamsView {
  const label = (a: Record<string, Json>) => String(a.symbol ?? a.lrt ?? "?");
  const policy = isObject(data.policy) ? data.policy : {};
  const threshold = typeof policy.badDebtThresholdEth === "number" ? fmtEth(policy.badDebtThresholdEth) : "K";
  const marketRows: string[][] = [];
  for (const a of assets) {
    const markets = Array.isArray(a.markets) ? a.markets : [];
    for (const m of markets) {
      if (!isObject(m)) continue;
      const cur = isObject(m.current) ? m.current : {};
      const rec = isObject(m.recommended) ? m.recommended : {};
      marketRows.push([
        `${label(a)} @ ${String(m.venue)} (${String(m.mode)})`,
        arrow(cur.ltvBps, rec.ltvBps),
        arrow(cur.liquidationThresholdBps, rec.liquidationThresholdBps),
        arrow(cur.liquidationBonusBps, rec.liquidationBonusBps),
        `${prob(m.pExceedCurrent)} → ${prob(m.pExceedRecommended)}`,
        m.policyHolds === true ? "yes" : m.policyHolds === false ? "NO" : "n/a",
        typeof m.note === "string" ? m.note : "",
      ]);
    }
  }
  const tables: SummaryTable[] = [
    {
      title: "Recommended lending parameters per market (current → recommended)",
      columns: ["market", "LTV", "liquidation threshold", "liquidation bonus", `P(bad debt > ${threshold})`, "policy holds", "note"],
      rows: marketRows,
      note: "Probabilities are over the same random paths for the current and the recommended parameters. Liquidation bonus in bps above 100% (Aave stores 10,000 + bonus).",
    },
  ];
  const mp = assets.filter((a) => isObject(a.modelParams));
  if (mp.length) {
    tables.push({
      title: "Keeper-pushed model parameters (CollateralRiskOracle ModelParams)",
      columns: ["asset", "guard trip discount", "stress discount", "NAV-drop haircut multiplier", "haircut curve knots (discount → haircut)"],
      rows: mp.map((a) => {
        const p = a.modelParams as Record<string, Json>;
        const knots = [0, 1, 2, 3]
          .filter((i) => typeof p[`knot${i}DiscountBps`] === "number")
          .map((i) => `${pct(p[`knot${i}DiscountBps`])} → ${pct(p[`knot${i}HaircutBps`])}`)
          .join(";  ");
        return [label(a), pct(p.tripDiscountBps), pct(p.stressDiscountBps), typeof p.navDropHaircutMultiplierBps === "number" ? `${(p.navDropHaircutMultiplierBps / 1e4).toFixed(2)}×` : "n/a", knots];
      }),
    });
  }
  const hc = assets.filter((a) => isObject(a.haircut));
  if (hc.length) tables.push(fieldTable(file, "Haircut module configuration (WideningHaircutModule HaircutConfig)", hc.map((a) => ({ label: label(a), fields: a.haircut as Record<string, Json> })), UNIT_NOTE));
  const ev = assets.filter((a) => isObject(a.evidence));
  if (ev.length) {
    tables.push({
      title: "Evidence behind the curves",
      columns: ["asset", "stressed paths (NAV loss > 0)", "NAV loss p99", "market discount on stressed paths (quantile: discount)"],
      rows: ev.map((a) => {
        const e = a.evidence as Record<string, Json>;
        const qs = Array.isArray(e.depegQuantilesBps) ? e.depegQuantilesBps.filter(isObject).map((q) => `${fmtPct(Number(q.q) * 100)}: ${pct(q.discountBps)}`).join(", ") : "";
        return [label(a), prob(e.stressedPathShare), pct(e.navLossP99Bps), qs];
      }),
    });
  }
  const curves = mp.map((a) => {
    const p = a.modelParams as Record<string, Json>;
    const knotsPct = [0, 1, 2, 3]
      .filter((i) => typeof p[`knot${i}DiscountBps`] === "number" && typeof p[`knot${i}HaircutBps`] === "number")
      .map((i) => [Number(p[`knot${i}DiscountBps`]) / 100, Number(p[`knot${i}HaircutBps`]) / 100] as [number, number]);
    return {
      asset: label(a),
      knotsPct,
      tripPct: typeof p.tripDiscountBps === "number" ? p.tripDiscountBps / 100 : undefined,
      stressPct: typeof p.stressDiscountBps === "number" ? p.stressDiscountBps / 100 : undefined,
    };
  });
  return {
    sourceFile: file,
    tables,
    provenance: provenanceOf(data),
    policy: Object.fromEntries(Object.entries(flatten(policy)).map(([k, v]) => [k, formatLeaf(k, v)])),
    curves,
  };
}

export function paramsView(file: string, raw: unknown): ParamsView {
  if (!isObject(raw)) throw new ReportInputError(file, undefined, "expected a JSON object");
  const data = raw;
  const entries = assetEntries(file, data);
  if (Array.isArray(data.assets) && data.assets.every((a) => isObject(a) && Array.isArray(a.markets))) {
    return modelParamsFileView(file, data, data.assets as Array<Record<string, Json>>);
  }
  const policy = isObject(data.policy) ? Object.fromEntries(Object.entries(flatten(data.policy)).map(([k, v]) => [k, formatLeaf(k, v)])) : {};
  return {
    sourceFile: file,
    tables: [fieldTable(file, "Recommended parameters", entries, UNIT_NOTE)],
    provenance: provenanceOf(data),
    policy,
    curves: [],
  };
}
