/**
 * Value formatters, written once: the HTML report's (numbers, ETH, percentages, bps, durations, WAD ratios, a value by
 * its field name's unit suffix) and the terminal tables' (exact bps with the percentage, WAD decimals, durations,
 * timestamps). Pure; the table printer is spec/table.ts.
 */

/** Thousands-separated number with a fixed number of decimals; "n/a" for missing values. */
export function fmtNumber(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "n/a";
  return value.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Compact ETH amount: 1,234.5 ETH / 12.3k ETH / 1.23M ETH. */
export function fmtEth(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "n/a";
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M ETH`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(1)}k ETH`;
  if (abs >= 100) return `${fmtNumber(value, 0)} ETH`;
  if (abs >= 1) return `${fmtNumber(value, 2)} ETH`;
  if (abs === 0) return "0 ETH";
  return `${value.toPrecision(2)} ETH`;
}

/** Percentage with a sensible number of decimals (input already in %). */
export function fmtPct(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "n/a";
  const abs = Math.abs(value);
  if (abs === 0) return "0%";
  if (abs < 0.01) return `${value.toPrecision(2)}%`;
  if (abs < 10) return `${value.toFixed(2)}%`;
  return `${value.toFixed(1)}%`;
}

/** Basis points shown as a percentage: 9300 -> "93.00%". */
export function fmtBps(valueBps: number | null | undefined): string {
  if (valueBps === null || valueBps === undefined || !Number.isFinite(valueBps)) return "n/a";
  return `${(valueBps / 100).toFixed(2)}%`;
}

/** Duration in seconds as "45 s", "12 min", "3.5 h", "14.0 d". */
export function fmtSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "n/a";
  if (seconds < 120) return `${fmtNumber(seconds, 0)} s`;
  if (seconds < 7200) return `${fmtNumber(seconds / 60, 0)} min`;
  if (seconds < 172800) return `${fmtNumber(seconds / 3600, 1)} h`;
  return `${fmtNumber(seconds / 86400, 1)} d`;
}

/** A WAD integer string or bigint (1e18 = 1) as a decimal ratio. */
export function wadToNumber(value: string | number | bigint): number {
  if (typeof value === "number") return value / 1e18;
  const big = BigInt(value);
  const whole = big / 10n ** 18n;
  const frac = big % 10n ** 18n;
  return Number(whole) + Number(frac) / 1e18;
}

/**
 * Formats a scalar whose unit is given by the suffix of its field name, following the project's
 * naming convention (`...Bps`, `...Wad`, `...Seconds`, `...Eth`, `...Pct`).
 */
export function fmtByFieldName(name: string, value: unknown): string {
  if (value === null || value === undefined) return "n/a";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.map((v) => fmtByFieldName(name.replace(/s$/, ""), v)).join(", ");
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${fmtByFieldName(k, v)}`)
      .join("; ");
  }
  const lower = name.toLowerCase();
  const asNumber = typeof value === "number" ? value : typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (Number.isFinite(asNumber)) {
    if (lower.endsWith("bps")) return `${fmtBps(asNumber)} (${fmtNumber(asNumber, 0)} bps)`;
    if (lower.endsWith("bpsperhour")) return `${fmtBps(asNumber)}/h (${fmtNumber(asNumber, 0)} bps/h)`;
    if (lower.endsWith("wad")) return fmtNumber(wadToNumber(value as string | number), 4);
    if (lower.endsWith("seconds")) return fmtSeconds(asNumber);
    if (lower.endsWith("eth")) return fmtEth(asNumber);
    if (lower.endsWith("pct")) return fmtPct(asNumber);
    return Number.isInteger(asNumber) ? String(asNumber) : fmtNumber(asNumber, 4);
  }
  return String(value);
}

/** Basis points with the percentage: 300 -> "300 (3.00%)" (terminal tables, where the raw value matters). */
export function fmtBpsWithPercent(bps: bigint | number): string {
  const n = Number(bps);
  return `${n} (${(n / 100).toFixed(2)}%)`;
}

/** WAD (1e18) as a decimal with `digits` places. */
export function fmtWad(wad: bigint, digits = 6): string {
  const neg = wad < 0n;
  const abs = neg ? -wad : wad;
  const scale = 10n ** 18n;
  const intPart = abs / scale;
  const frac = (abs % scale).toString().padStart(18, "0").slice(0, digits);
  return `${neg ? "-" : ""}${intPart}.${frac}`;
}

/** Seconds as "1d 2h 3m 4s" ("0s" for none). */
export function fmtDuration(seconds: bigint | number): string {
  let s = Number(seconds);
  if (s <= 0) return "0s";
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return [d ? `${d}d` : "", h ? `${h}h` : "", m ? `${m}m` : "", s ? `${s}s` : ""].filter(Boolean).join(" ");
}

/** Unix seconds as an ISO date ("never" for 0). */
export function fmtTimestamp(seconds: bigint | number): string {
  const n = Number(seconds);
  if (n === 0) return "never";
  // Date covers +-8.64e15 ms; contracts use uint40 sentinels (e.g. "never again") far beyond it.
  if (!Number.isFinite(n) || Math.abs(n) * 1000 > 8.64e15) return `t=${seconds.toString()} (beyond year 275760)`;
  return new Date(n * 1000).toISOString().replace(".000Z", "Z");
}
