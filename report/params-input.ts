/**
 * The report's view of a params file (`cascade-guard/params@1`, written by `params:compute`). The file is read by
 * the one reader of the format, `validateParamsFile` (model/params/schema.ts), the same one params:push and the
 * replay use: a file it refuses is refused here with the same one line (as a `ReportInputError`), and the view works
 * on the typed `ParamsFile`, never guessing where the per-asset list sits.
 */
import { type ParamsFile, validateParamsFile } from "../model/params/schema";
import { PARAMS_SCHEMA } from "../spec/formats";
import { ReportInputError } from "./errors";
import { fmtBps, fmtByFieldName, fmtEth, fmtPct } from "./format";
import type { ParamsView, SummaryTable } from "./views";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObject = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

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
  const flat = entries.map((e) => flatten(e.fields));
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

/** Markets with current vs recommended values, ModelParams, HaircutConfig and the evidence, per asset. */
function modelParamsFileView(file: string, data: ParamsFile): ParamsView {
  const threshold = fmtEth(data.policy.badDebtThresholdEth);
  const marketRows: string[][] = data.assets.flatMap((a) =>
    a.markets.map((m) => [
      `${a.symbol} @ ${m.venue} (${m.mode})`,
      arrow(m.current.ltvBps, m.recommended.ltvBps),
      arrow(m.current.liquidationThresholdBps, m.recommended.liquidationThresholdBps),
      arrow(m.current.liquidationBonusBps, m.recommended.liquidationBonusBps),
      `${prob(m.pExceedCurrent)} → ${prob(m.pExceedRecommended)}`,
      m.policyHolds ? "yes" : "NO",
      m.note ?? "",
    ]),
  );
  const knots = (p: ParamsFile["assets"][number]["modelParams"]) =>
    [
      [p.knot0DiscountBps, p.knot0HaircutBps],
      [p.knot1DiscountBps, p.knot1HaircutBps],
      [p.knot2DiscountBps, p.knot2HaircutBps],
      [p.knot3DiscountBps, p.knot3HaircutBps],
    ] as const;
  const tables: SummaryTable[] = [
    {
      title: "Recommended lending parameters per market (current → recommended)",
      columns: ["market", "LTV", "liquidation threshold", "liquidation bonus", `P(bad debt > ${threshold})`, "policy holds", "note"],
      rows: marketRows,
      note: "Probabilities are over the same random paths for the current and the recommended parameters. Liquidation bonus in bps above 100% (Aave stores 10,000 + bonus).",
    },
  ];
  if (data.assets.length) {
    tables.push({
      title: "Keeper-pushed model parameters (CollateralRiskOracle ModelParams)",
      columns: ["asset", "guard trip discount", "stress discount", "NAV-drop haircut multiplier", "haircut curve knots (discount → haircut)"],
      rows: data.assets.map((a) => {
        const p = a.modelParams;
        return [
          a.symbol,
          pct(p.tripDiscountBps),
          pct(p.stressDiscountBps),
          `${(p.navDropHaircutMultiplierBps / 1e4).toFixed(2)}×`,
          knots(p)
            .map(([d, h]) => `${pct(d)} → ${pct(h)}`)
            .join(";  "),
        ];
      }),
    });
    tables.push(fieldTable(file, "Haircut module configuration (WideningHaircutModule HaircutConfig)", data.assets.map((a) => ({ label: a.symbol, fields: a.haircut as unknown as Record<string, Json> })), UNIT_NOTE));
    tables.push({
      title: "Evidence behind the curves",
      columns: ["asset", "stressed paths (NAV loss > 0)", "NAV loss p99", "market discount on stressed paths (quantile: discount)"],
      rows: data.assets.map((a) => {
        const e = a.evidence;
        const qs = e.depegQuantilesBps.map((q) => `${fmtPct(q.q * 100)}: ${pct(q.discountBps)}`).join(", ");
        return [a.symbol, prob(e.stressedPathShare), pct(e.navLossP99Bps), qs];
      }),
    });
  }
  const curves = data.assets.map((a) => ({
    asset: a.symbol,
    knotsPct: knots(a.modelParams).map(([d, h]) => [d / 100, h / 100] as [number, number]),
    tripPct: a.modelParams.tripDiscountBps / 100,
    stressPct: a.modelParams.stressDiscountBps / 100,
  }));
  const policy = data.policy as unknown as Record<string, Json>;
  return {
    sourceFile: file,
    tables,
    provenance: provenanceOf(data),
    policy: Object.fromEntries(Object.entries(flatten(policy)).map(([k, v]) => [k, formatLeaf(k, v)])),
    curves,
  };
}

/** The report's view of a params file; refuses (naming the file and the field) what the one reader refuses. */
export function paramsView(file: string, raw: unknown): ParamsView {
  const data = validateParamsFile(raw, file, (f, field, detail) => new ReportInputError(f, field, detail));
  return modelParamsFileView(file, data);
}
