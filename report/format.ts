/** HTML helpers of the report; the value formatters are spec/format.ts (re-exported here for the report's modules). */

export { fmtBps, fmtByFieldName, fmtEth, fmtNumber, fmtPct, fmtSeconds, wadToNumber } from "../spec/format";

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** File-name-safe slug. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "chart";
}
