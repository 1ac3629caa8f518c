/**
 * A table sortable by clicking its headers, with the sort kept in the URL
 * (`?sort=key&dir=desc`) so a view can be shared. Cells are formatted by the
 * column's kind, so rows travel to the browser as plain data.
 */
import { useState } from "preact/hooks";
import { island } from "../lib/islands/island.ts";
import { count, money, percent, rate, signedPct } from "../lib/web/format.ts";
import type { Recommendation } from "../lib/dashboard/types.ts";
import { Badge } from "../components/Badge.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";

export type Kind =
  | "text"
  | "product"
  | "money"
  | "count"
  | "percent"
  | "signedPct"
  | "velocity"
  | "badge"
  | "status"
  | "time"
  | "stock";

export interface Column {
  key: string;
  label: string;
  kind: Kind;
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
}

const NUMERIC = new Set<Kind>([
  "money",
  "count",
  "percent",
  "signedPct",
  "velocity",
  "stock",
]);

function cell(c: Column, row: Row, lowStock: number) {
  const v = row[c.key] ?? null;
  const n = typeof v === "number" ? v : null;
  switch (c.kind) {
    case "product":
      return <a href={`/pricing/${row.productId}`}>{v}</a>;
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
    case "badge":
      return <Badge rec={v as Recommendation | null} />;
    case "status":
      return <StatusBadge status={v as string | null} />;
    case "time":
      // ISO timestamps sort as text; shown as "MM-DD HH:MM" UTC.
      return typeof v === "string"
        ? <time datetime={v}>{v.slice(5, 16).replace("T", " ")}</time>
        : "—";
    case "stock":
      return n === null ? "—" : (
        <span
          class={n === 0 ? "stock zero" : n <= lowStock ? "stock low" : "stock"}
        >
          {count(n)}
        </span>
      );
    default:
      return v ?? "—";
  }
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
    <div class="table-wrap">
      <table class="data sortable">
        <thead>
          <tr>
            {p.columns.map((c) => (
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
                    {sort.key === c.key
                      ? (sort.dir === "asc" ? "▲" : "▼")
                      : "↕"}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              {p.columns.map((c) => (
                <td class={NUMERIC.has(c.kind) ? "num" : undefined}>
                  {cell(c, r, p.lowStock ?? 0)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default island("SortableTable", SortableTable);
