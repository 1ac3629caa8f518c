/** Queries behind the Inventory page and `/api/inventory`. */
import type { Sql } from "../db/mod.ts";
import type {
  InventorySummary,
  Movement,
  StockBasis,
  StockItem,
} from "./types.ts";
import { stockItems, type StockSettings, summarize } from "./stock_items.ts";

export type { Movement, StockItem } from "./types.ts";

export interface InventoryFilter {
  category?: string;
  warehouse?: string;
}

export interface StockRow {
  productId: string;
  productName: string;
  category: string;
  /** Units per warehouse id. */
  stock: Record<string, number>;
  total: number;
}

export interface Inventory {
  warehouses: { id: string; name: string }[];
  lowStockThreshold: number;
  summary: InventorySummary;
  basis: StockBasis;
  /** Every product × warehouse cell, most urgent first. */
  items: StockItem[];
  /** One row per product with its warehouses' stock (the earlier shape of this API). */
  rows: StockRow[];
  byCategory: { category: string; units: number }[];
  movements: Movement[];
  refused: Movement[];
  refusedTotal: number;
}

/** Warehouses in id order. */
export async function warehouses(
  sql: Sql,
): Promise<{ id: string; name: string }[]> {
  return await sql<{ id: string; name: string }[]>`
    select warehouse_id as id, name from warehouses order by warehouse_id`;
}

/** The newest applied (or refused) moves matching `f`. */
export async function movements(
  sql: Sql,
  f: InventoryFilter & { product?: string },
  applied: boolean,
  limit: number,
) {
  const rows = await sql<
    {
      event_id: string;
      timestamp: Date;
      product_id: string;
      product_name: string | null;
      warehouse_id: string;
      event_type: string;
      quantity_change: number;
      stock_after: number | null;
      refusal_reason: string | null;
    }[]
  >`
    select e.event_id::text, e."timestamp", e.product_id, p.product_name, e.warehouse_id, e.event_type,
           e.quantity_change, e.stock_after, e.refusal_reason
    from inventory_events e left join products p using (product_id)
    where (${f.category ?? null}::text is null or p.category = ${
    f.category ?? null
  })
      and (${f.warehouse ?? null}::text is null or e.warehouse_id = ${
    f.warehouse ?? null
  })
      and (${f.product ?? null}::text is null or e.product_id = ${
    f.product ?? null
  })
      and ${
    applied
      ? sql`e.applied`
      // Refused moves are rare: find them through rejected_events (small, indexed by time)
      // rather than scanning every inventory event for applied = false.
      : sql`not e.applied and e.event_id in (
          select case when r.kind = 'refused' then r.event_id::uuid end from rejected_events r
          where r.kind = 'refused' order by r.rejected_at desc limit 1000)`
  }
    order by e."timestamp" desc, e.event_id
    limit ${limit}`;
  return rows.map((r): Movement => ({
    eventId: r.event_id,
    at: r.timestamp,
    productId: r.product_id,
    productName: r.product_name,
    warehouseId: r.warehouse_id,
    type: r.event_type,
    quantityChange: r.quantity_change,
    stockAfter: r.stock_after,
    reason: r.refusal_reason,
  }));
}

/** Stock per product × warehouse with cover and suggestions, stock by category, recent movements. */
export async function inventory(
  sql: Sql,
  f: InventoryFilter,
  settings: StockSettings,
): Promise<Inventory> {
  const [whs, { items, basis }, moved, refused, [count]] = await Promise.all([
    warehouses(sql),
    stockItems(sql, f, settings),
    movements(sql, f, true, 30),
    movements(sql, f, false, 20),
    sql<
      { n: number }[]
    >`select count(*)::int as n from rejected_events where kind = 'refused'`,
  ]);
  return {
    warehouses: f.warehouse ? whs.filter((w) => w.id === f.warehouse) : whs,
    lowStockThreshold: settings.lowStockThreshold,
    summary: summarize(items, settings.lowStockThreshold),
    basis,
    items,
    rows: byProduct(items),
    byCategory: byCategory(items),
    movements: moved,
    refused,
    refusedTotal: count!.n,
  };
}

/** One row per product, its warehouses' stock side by side. */
function byProduct(items: readonly StockItem[]): StockRow[] {
  const rows = new Map<string, StockRow>();
  for (const i of items) {
    const row = rows.get(i.product_id) ?? {
      productId: i.product_id,
      productName: i.product_name,
      category: i.category,
      stock: {},
      total: 0,
    };
    row.stock[i.warehouse_id] = i.stock;
    row.total += i.stock;
    rows.set(i.product_id, row);
  }
  return [...rows.values()].sort((a, b) =>
    a.productId.localeCompare(b.productId)
  );
}

/** Units per category, largest first. */
function byCategory(items: readonly StockItem[]) {
  const units = new Map<string, number>();
  for (const i of items) {
    units.set(i.category, (units.get(i.category) ?? 0) + i.stock);
  }
  return [...units].map(([category, units]) => ({ category, units }))
    .sort((a, b) => b.units - a.units);
}
