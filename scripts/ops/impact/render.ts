/** The impact section of `params:push` / `keeper:run` output, as markdown (tables people read on a terminal). */
import { AT_RISK_HF, type ImpactResult, fmtEth } from "./check";

function mdTable(head: string[], rows: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, "\\|");
  return [`| ${head.map(esc).join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`)].join("\n");
}

const hf = (v: number | null) => (v === null ? "no debt" : v >= 1e6 ? "inf" : v.toFixed(4));

/** Markdown impact section; lists every newly liquidatable account (up to `maxRows`). */
export function renderImpact(r: ImpactResult, opts: { maxRows?: number } = {}): string {
  const maxRows = opts.maxRows ?? 50;
  const src = r.accountsSource.kind === "file" ? `list file ${r.accountsSource.file}` : `Pool Supply/Borrow events, blocks ${r.accountsSource.fromBlock}-${r.accountsSource.toBlock}`;
  const out: string[] = [];
  out.push(`## Impact (fork of ${r.network} at block ${r.forkBlock}, keeper projected ${r.horizonHours} h)`);
  out.push("");
  out.push(`Accounts: ${r.accountsChecked} from ${src} (${r.accountsWithDebt} with debt). Checked in ${(r.elapsedMs / 1000).toFixed(1)} s.`);
  out.push("");
  out.push(
    mdTable(
      ["", "without the change", "with the change"],
      [
        ["liquidatable (HF < 1)", String(r.summary.liquidatableBefore), String(r.summary.liquidatableAfter)],
        ["newly liquidatable", "", `${r.summary.newlyLiquidatable} (${fmtEth(r.summary.newlyLiquidatableDebtEth)} ETH debt)`],
        [`newly below HF ${AT_RISK_HF}`, "", String(r.summary.newlyAtRisk)],
      ],
    ),
  );
  out.push("");
  out.push("HF distribution (accounts):");
  out.push("");
  out.push(mdTable(["HF", "before", "after"], r.hfHistogram.map((b) => [b.label, String(b.before), String(b.after)])));
  if (r.prices.length) {
    out.push("");
    out.push(
      mdTable(
        ["asset", "Aave price before (ETH)", "after", "change (bp)", "exchange rate before", "after", "market price", "level"],
        r.prices.map((p) => [
          p.symbol,
          p.aavePriceEthBefore.toFixed(6),
          p.aavePriceEthAfter.toFixed(6),
          String(p.aavePriceChangeBps),
          p.exchangeRateBefore?.toFixed(6) ?? "n/a",
          p.exchangeRateAfter?.toFixed(6) ?? "n/a",
          p.marketPriceAfter?.toFixed(6) ?? "n/a",
          p.levelAfter ?? "n/a",
        ]),
      ),
    );
  }
  if (r.module.length) {
    out.push("");
    out.push("Haircut module values in Aave (LTV / LT / eMode LTV / eMode LT, bps):");
    out.push("");
    const v = (m: { ltvBps: number; ltBps: number; eModeLtvBps: number; eModeLtBps: number }) => `${m.ltvBps} / ${m.ltBps} / ${m.eModeLtvBps} / ${m.eModeLtBps}`;
    out.push(mdTable(["asset", "without the change", "with the change", "next target with the change"], r.module.map((m) => [m.symbol, v(m.before), v(m.after), v(m.nextTargetAfter)])));
  }
  if (r.newlyLiquidatable.length) {
    out.push("");
    out.push(`Accounts newly liquidatable (${r.newlyLiquidatable.length}${r.newlyLiquidatable.length > maxRows ? `, first ${maxRows} by debt; all in --impact-out/--json` : ""}):`);
    out.push("");
    out.push(
      mdTable(
        ["account", "HF before", "HF after", "debt (ETH)", "collateral (ETH)"],
        r.newlyLiquidatable.slice(0, maxRows).map((a) => [a.account, hf(a.hfBefore), hf(a.hfAfter), fmtEth(a.debtEth), fmtEth(a.collateralEth)]),
      ),
    );
  }
  if (r.consistency.introduced.length || r.consistency.existing.length) {
    out.push("");
    out.push("Linked values:");
    for (const i of r.consistency.introduced) out.push(`- INTRODUCED ${i.rule}: ${i.message}`);
    for (const i of r.consistency.existing) out.push(`- already on-chain ${i.rule}: ${i.message}`);
  } else {
    out.push("");
    out.push("Linked values: consistent (LTV < LT, LT x LB <= 100%, eMode above members, trip above ELEVATED, curve cuts at the trip).");
  }
  for (const n of r.keeperNotes) out.push(`note: ${n}`);
  out.push("");
  if (r.refused) {
    out.push(`IMPACT ${r.accepted ? "ACCEPTED by the operator" : "REFUSED"}:`);
    for (const x of r.refusals) out.push(`- ${x}`);
    if (r.accepted) out.push(`- reason given: ${r.accepted.reason}`);
  } else {
    out.push(`Impact within policy (at most ${r.policy.maxNewLiquidatableAccounts} account(s) and ${fmtEth(r.policy.maxNewLiquidatableDebtEth)} ETH newly liquidatable; no price cut without a rate fall; linked values consistent).`);
  }
  return out.join("\n");
}
