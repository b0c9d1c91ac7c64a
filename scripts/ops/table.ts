/** Value formatters for terminal output; the table printer is the project's one (spec/table.ts). */
export { renderTable } from "../../spec/table";

export function fmtBps(bps: bigint | number): string {
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

export function fmtTimestamp(seconds: bigint | number): string {
  const n = Number(seconds);
  if (n === 0) return "never";
  // Date covers +-8.64e15 ms; contracts use uint40 sentinels (e.g. "never again") far beyond it.
  if (!Number.isFinite(n) || Math.abs(n) * 1000 > 8.64e15) return `t=${seconds.toString()} (beyond year 275760)`;
  return new Date(n * 1000).toISOString().replace(".000Z", "Z");
}
