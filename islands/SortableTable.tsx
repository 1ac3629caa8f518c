/**
 * A table sortable by clicking its headers, with the sort kept in the URL
 * (`?sort=key&dir=desc`) so a view can be shared. Cells are formatted by the
 * column's kind, so rows travel to the browser as plain data. On a phone the
 * rows become cards (style.css): the first column is the card's title and
 * the others follow in priority order, each with its label.
 */
import { useState } from "preact/hooks";
import { island } from "../lib/islands/island.ts";
import { count, money, percent, rate, signedPct } from "../lib/format.ts";
import type { Recommendation } from "../lib/dashboard/types.ts";
import { Badge } from "../components/Badge.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { TableWrap } from "../components/Table.tsx";

export type Kind =
  | "text"
  | "product"
  | "money"
  | "count"
  | "percent"
  | "signedPct"
  | "velocity"
  | "perDay"
  | "days"
  | "riskPct"
  | "badge"
  | "status"
  | "time"
  | "stock";

export interface Column {
  key: string;
  label: string;
  kind: Kind;
  /** Order on a phone card, 1 first; by default from the kind. */
  priority?: 1 | 2 | 3 | 4;
  /** A row field holding "high", "medium", "low" or "none": tints the cell in three colours. */
  tone?: string;
}

type Row = Record<string, string | number | null>;

export interface SortableTableProps {
  columns: Column[];
  rows: Row[];
  sort?: string;
  dir?: "asc" | "desc";
  /** Stock at or below this is "low" (for kind "stock"). */
  lowStock?: number;
  empty?: string;
  /** Where a product name links: this plus the row's productId (default "/pricing/"). */
  productHref?: string;
  /** What the table holds, for screen readers. */
  label?: string;
}

const NUMERIC = new Set<Kind>([
  "money",
  "count",
  "percent",
  "signedPct",
  "velocity",
  "perDay",
  "days",
  "riskPct",
  "stock",
]);

/** Phone-card order when a column does not say: the verdict first, context last. */
const PRIORITY: Record<Kind, 1 | 2 | 3 | 4> = {
  status: 1,
  time: 3,
  badge: 1,
  riskPct: 1,
  days: 1,
  stock: 2,
  money: 2,
  signedPct: 2,
  count: 2,
  perDay: 2,
  velocity: 3,
  percent: 3,
  product: 4,
  text: 4,
};

const RISK_WORD: Record<string, string> = {
  high: "High",
  medium: "Medium",
  low: "Low",
  none: "None",
};

/** ISO timestamps sort as text; shown as "MM-DD HH:MM" UTC. */
function timeCell(v: string | number | null) {
  return typeof v === "string"
    ? <time datetime={v}>{v.slice(5, 16).replace("T", " ")}</time>
    : "—";
}

function stockCell(n: number | null, low: number) {
  if (n === null) return "—";
  const cls = n === 0 ? "stock zero" : n <= low ? "stock low" : "stock";
  return <span class={cls}>{count(n)}</span>;
}

function format(c: Column, row: Row, props: SortableTableProps) {
  const v = row[c.key] ?? null;
  const n = typeof v === "number" ? v : null;
  switch (c.kind) {
    case "product":
      return (
        <a href={`${props.productHref ?? "/pricing/"}${row.productId}`}>{v}</a>
      );
    case "money":
      return money(n);
    case "count":
      return count(n);
    case "percent":
      return percent(n);
    case "signedPct":
      return signedPct(n);
    case "velocity":
      return rate(n, "/h");
    case "perDay":
      return rate(n, "/day");
    case "days":
      return n === null ? "no sales" : rate(n, "days");
    case "riskPct":
      return `${RISK_WORD[String(row[c.tone ?? ""])] ?? ""} ${percent(n)}`;
    case "badge":
      return <Badge rec={v as Recommendation | null} />;
    case "status":
      return <StatusBadge status={v as string | null} />;
    case "time":
      return timeCell(v);
    case "stock":
      return stockCell(n, props.lowStock ?? 0);
    default:
      return v ?? "—";
  }
}

function cell(c: Column, row: Row, props: SortableTableProps) {
  const body = format(c, row, props);
  const tone = c.tone ? row[c.tone] : undefined;
  return tone ? <span class={`risk ${tone}`}>{body}</span> : body;
}

function compare(a: Row, b: Row, key: string): number {
  const x = a[key] ?? null, y = b[key] ?? null;
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  return typeof x === "number" && typeof y === "number"
    ? x - y
    : String(x).localeCompare(String(y));
}

function Head(
  { columns, sort, by }: {
    columns: Column[];
    sort: { key: string; dir: string };
    by: (key: string) => void;
  },
) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th
            class={NUMERIC.has(c.kind) ? "num" : undefined}
            aria-sort={sort.key === c.key
              ? (sort.dir === "asc" ? "ascending" : "descending")
              : undefined}
          >
            <button
              type="button"
              onClick={() => by(c.key)}
              data-sort-key={c.key}
            >
              {c.label}
              <span class="arrow" aria-hidden="true">
                {sort.key === c.key ? (sort.dir === "asc" ? "▲" : "▼") : "↕"}
              </span>
            </button>
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** The cell classes: number alignment, the card title (first column) or the card order. */
function cellClass(c: Column, i: number): string {
  const num = NUMERIC.has(c.kind) ? "num " : "";
  return i === 0
    ? `${num}card-title`
    : `${num}p${c.priority ?? PRIORITY[c.kind]}`;
}

function SortableTable(p: SortableTableProps) {
  const [sort, setSort] = useState({ key: p.sort ?? "", dir: p.dir ?? "asc" });
  const rows = sort.key
    ? [...p.rows].sort((a, b) =>
      compare(a, b, sort.key) * (sort.dir === "asc" ? 1 : -1)
    )
    : p.rows;
  const by = (key: string) => {
    const dir = sort.key === key && sort.dir === "asc" ? "desc" : "asc";
    setSort({ key, dir });
    const url = new URL(location.href);
    url.searchParams.set("sort", key);
    url.searchParams.set("dir", dir);
    history.replaceState(null, "", url);
  };
  if (p.rows.length === 0) {
    return <p class="empty">{p.empty ?? "No rows yet."}</p>;
  }
  return (
    <TableWrap label={p.label ?? "Table"} columns={p.columns.length} cards>
      <table class="data sortable">
        <Head columns={p.columns} sort={sort} by={by} />
        <tbody>
          {rows.map((r) => (
            <tr>
              {p.columns.map((c, i) => (
                <td class={cellClass(c, i)} data-label={c.label}>
                  {cell(c, r, p)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export default island("SortableTable", SortableTable);
