/** Queries behind the Inventory page and `/api/inventory`. */
import type { Sql } from "../db/mod.ts";

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

export interface Movement {
  eventId: string;
  at: Date;
  productId: string;
  productName: string | null;
  warehouseId: string;
  type: string;
  quantityChange: number;
  stockAfter: number | null;
  reason: string | null;
}

export interface Inventory {
  warehouses: { id: string; name: string }[];
  lowStockThreshold: number;
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

async function movements(
  sql: Sql,
  f: InventoryFilter,
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

/** Stock per product × warehouse, stock by category and recent movements. */
export async function inventory(
  sql: Sql,
  f: InventoryFilter,
  lowStockThreshold: number,
): Promise<Inventory> {
  const cat = f.category ?? null;
  const wh = f.warehouse ?? null;
  const [whs, cells, moved, refused, [count]] = await Promise.all([
    warehouses(sql),
    sql<
      {
        product_id: string;
        product_name: string;
        category: string;
        warehouse_id: string;
        current_stock: number;
      }[]
    >`
      select p.product_id, p.product_name, p.category, s.warehouse_id, s.current_stock
      from products p join inventory_state s using (product_id)
      where (${cat}::text is null or p.category = ${cat}) and (${wh}::text is null or s.warehouse_id = ${wh})
      order by p.product_id, s.warehouse_id`,
    movements(sql, f, true, 30),
    movements(sql, f, false, 20),
    sql<
      { n: number }[]
    >`select count(*)::int as n from rejected_events where kind = 'refused'`,
  ]);
  const byProduct = new Map<string, StockRow>();
  const byCategory = new Map<string, number>();
  for (const c of cells) {
    const row = byProduct.get(c.product_id) ?? {
      productId: c.product_id,
      productName: c.product_name,
      category: c.category,
      stock: {},
      total: 0,
    };
    row.stock[c.warehouse_id] = c.current_stock;
    row.total += c.current_stock;
    byProduct.set(c.product_id, row);
    byCategory.set(
      c.category,
      (byCategory.get(c.category) ?? 0) + c.current_stock,
    );
  }
  return {
    warehouses: wh ? whs.filter((w) => w.id === wh) : whs,
    lowStockThreshold,
    rows: [...byProduct.values()],
    byCategory: [...byCategory].map(([category, units]) => ({
      category,
      units,
    }))
      .sort((a, b) => b.units - a.units),
    movements: moved,
    refused,
    refusedTotal: count!.n,
  };
}
