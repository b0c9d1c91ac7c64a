/**
 * Reader for impact files (`cascade-guard/impact@1`, written by `params:push --impact-out` / `--json`): the effect
 * of a parameter change on real positions, measured on a fork (scripts/ops/impact/). The report draws the health-factor
 * histogram before and after and lists the accounts newly liquidatable and newly at risk.
 */
import { z } from "zod";
import { fromZod } from "./errors";
import { fmtEth } from "./format";
import type { ImpactView, SummaryTable } from "./views";
import { IMPACT_SCHEMA } from "../spec/formats";


const account = z.object({
  account: z.string(),
  hfBefore: z.number().nullable(),
  hfAfter: z.number().nullable(),
  debtEth: z.number(),
  collateralEth: z.number(),
});

export const ImpactFileSchema = z.object({
  schema: z.literal(IMPACT_SCHEMA),
  network: z.string(),
  chainId: z.number(),
  forkBlock: z.number().int(),
  generatedAt: z.string(),
  horizonHours: z.number(),
  accountsChecked: z.number().int(),
  summary: z.object({
    liquidatableBefore: z.number().int(),
    liquidatableAfter: z.number().int(),
    newlyLiquidatable: z.number().int(),
    newlyLiquidatableDebtEth: z.number(),
    newlyAtRisk: z.number().int(),
  }),
  hfHistogram: z.array(z.object({ label: z.string(), before: z.number().int().nonnegative(), after: z.number().int().nonnegative() })).min(1),
  newlyLiquidatable: z.array(account),
  newlyAtRisk: z.array(account),
  prices: z.array(
    z.object({
      symbol: z.string(),
      aavePriceEthBefore: z.number(),
      aavePriceEthAfter: z.number(),
      aavePriceChangeBps: z.number(),
      exchangeRateBefore: z.number().nullable(),
      exchangeRateAfter: z.number().nullable(),
    }),
  ),
  refusals: z.array(z.string()),
  refused: z.boolean(),
  accepted: z.object({ reason: z.string() }).optional(),
});
export type ImpactFile = z.infer<typeof ImpactFileSchema>;

const hf = (v: number | null) => (v === null ? "no debt" : v.toFixed(4));

/** Validates an impact file (errors name the file and the field) and turns it into the report's view. */
export function impactView(file: string, data: unknown): ImpactView {
  const parsed = ImpactFileSchema.safeParse(data);
  if (!parsed.success) throw fromZod(file, parsed.error);
  const r = parsed.data;
  const accountsTable = (title: string, rows: ImpactFile["newlyLiquidatable"]): SummaryTable => ({
    className: "left",
    title,
    columns: ["account", "HF before", "HF after", "debt (ETH)", "collateral (ETH)"],
    rows: rows.map((a) => [a.account, hf(a.hfBefore), hf(a.hfAfter), fmtEth(a.debtEth), fmtEth(a.collateralEth)]),
  });
  const tables: SummaryTable[] = [
    {
      title: "Impact summary",
      columns: ["", "without the change", "with the change"],
      rows: [
        ["accounts checked", String(r.accountsChecked), String(r.accountsChecked)],
        ["liquidatable (HF < 1)", String(r.summary.liquidatableBefore), String(r.summary.liquidatableAfter)],
        ["newly liquidatable", "", `${r.summary.newlyLiquidatable} (${fmtEth(r.summary.newlyLiquidatableDebtEth)} debt)`],
        ["newly at risk (HF < 1.05)", "", String(r.summary.newlyAtRisk)],
      ],
      note: `fork of ${r.network} (chain ${r.chainId}) at block ${r.forkBlock}; keeper projected ${r.horizonHours} h; ${r.refused ? (r.accepted ? `REFUSED by the policy, accepted by the operator: ${r.accepted.reason}` : "REFUSED by the policy") : "within policy"}`,
    },
  ];
  if (r.prices.length) {
    tables.push({
      title: "Market oracle price and exchange rate",
      columns: ["asset", "price before (ETH)", "price after (ETH)", "change (bp)", "rate before", "rate after"],
      rows: r.prices.map((p) => [p.symbol, p.aavePriceEthBefore.toFixed(6), p.aavePriceEthAfter.toFixed(6), String(p.aavePriceChangeBps), p.exchangeRateBefore?.toFixed(6) ?? "n/a", p.exchangeRateAfter?.toFixed(6) ?? "n/a"]),
    });
  }
  tables.push(accountsTable(`Accounts newly liquidatable (${r.newlyLiquidatable.length})`, r.newlyLiquidatable));
  if (r.newlyAtRisk.length) tables.push(accountsTable(`Accounts newly at risk, HF in [1, 1.05) (${r.newlyAtRisk.length})`, r.newlyAtRisk));
  if (r.refusals.length) tables.push({ className: "left", title: "Refusal policy", columns: ["reason"], rows: r.refusals.map((x) => [x]) });
  return {
    sourceFile: file,
    title: `Impact of a parameter change on ${r.network} (block ${r.forkBlock})`,
    bins: r.hfHistogram.map((b) => ({ label: b.label, before: b.before, after: b.after })),
    tables,
    provenance: { network: r.network, chainId: String(r.chainId), forkBlock: String(r.forkBlock), generatedAt: r.generatedAt, horizonHours: String(r.horizonHours) },
  };
}
