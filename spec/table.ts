/**
 * The one terminal-table printer: plain tables (no colours, so logs and CI output stay readable), used by every
 * command that prints a table (cascade:simulate, params:compute, params:push, risk:status, cascade:deploy, the demo,
 * the benchmarks). cli-table3 draws the borders; it is pure string formatting (no I/O).
 */
import Table from "cli-table3";

export type ColumnAlign = "left" | "right" | "center";
export type Cell = string | number;

export interface TableSpec {
  head: readonly string[];
  /** Alignment per column (missing columns align left). */
  align?: readonly ColumnAlign[];
}

/** A table filled row by row: `const t = new TextTable({ head }); t.push(row); console.log(t.toString())`. */
export class TextTable {
  private readonly rows: string[][] = [];
  constructor(private readonly spec: TableSpec) {}
  push(...rows: readonly (readonly Cell[])[]): this {
    for (const row of rows) this.rows.push(row.map((cell) => String(cell)));
    return this;
  }
  toString(): string {
    const table = new Table({
      head: [...this.spec.head],
      style: { head: [], border: [], compact: true },
      ...(this.spec.align ? { colAligns: [...this.spec.align] } : {}),
    });
    for (const row of this.rows) table.push(row);
    return table.toString();
  }
}

/** Renders `rows` under `head` in one call. */
export function renderTable(head: readonly string[], rows: readonly (readonly Cell[])[], align?: readonly ColumnAlign[]): string {
  return new TextTable({ head, align }).push(...rows).toString();
}
