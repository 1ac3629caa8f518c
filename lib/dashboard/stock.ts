/**
 * One product's stock page: its cells (per warehouse, with cover and
 * suggestions), the stock history per warehouse, and the moves behind it,
 * applied and refused. `GET /api/inventory/:id` publishes it as it is.
 */
import type { Sql } from "../db/mod.ts";
import type {
  InventorySummary,
  Movement,
  StockBasis,
  StockItem,
} from "./types.ts";
import { stockItems, type StockSettings, summarize } from "./stock_items.ts";
import { movements } from "./inventory.ts";

/** Stock of one warehouse over time: each applied move's stock after it. */
export interface StockHistory {
  warehouseId: string;
  warehouseName: string;
  points: { at: Date; stock: number }[];
}

export interface ProductStock {
  product: {
    productId: string;
    productName: string;
    category: string;
    currentPrice: number;
  };
  items: StockItem[];
  summary: InventorySummary;
  basis: StockBasis;
  /** Hours of history the chart covers. */
  historyHours: number;
  history: StockHistory[];
  /** The newest moves, applied and refused, newest first. */
  moves: Movement[];
}

/** Most moves the chart draws; older ones fall off the left edge. */
const MAX_POINTS = 3000;

async function product(sql: Sql, id: string) {
  const [p] = await sql<
    {
      product_id: string;
      product_name: string;
      category: string;
      current_price: number;
    }[]
  >`
    select product_id, product_name, category, current_price::float8 as current_price
    from products where product_id = ${id}`;
  return p && {
    productId: p.product_id,
    productName: p.product_name,
    category: p.category,
    currentPrice: p.current_price,
  };
}

async function history(
  sql: Sql,
  id: string,
  hours: number,
  items: StockItem[],
): Promise<StockHistory[]> {
  const rows = await sql<
    { warehouse_id: string; at: Date; stock_after: number; change: number }[]
  >`
    select warehouse_id, "timestamp" as at, stock_after, quantity_change as change
    from inventory_events
    where product_id = ${id} and applied and stock_after is not null
      and "timestamp" > now() - make_interval(secs => ${hours * 3600})
    order by "timestamp" desc, event_id desc
    limit ${MAX_POINTS}`;
  rows.reverse();
  const now = new Date();
  const start = rows[0]?.at ?? new Date(now.getTime() - 60_000);
  return items.map((i) => {
    const mine = rows.filter((r) => r.warehouse_id === i.warehouse_id);
    const first = mine[0];
    // Where the line starts: the stock before the first move shown, or today's if none moved.
    const before = first ? first.stock_after - first.change : i.stock;
    return {
      warehouseId: i.warehouse_id,
      warehouseName: i.warehouse_name,
      points: [
        { at: start, stock: before },
        ...mine.map((r) => ({ at: r.at, stock: r.stock_after })),
        { at: now, stock: i.stock },
      ],
    };
  });
}

/** The stock page of product `id`, or null when there is no such product. */
export async function productStock(
  sql: Sql,
  id: string,
  settings: StockSettings,
): Promise<ProductStock | null> {
  const p = await product(sql, id);
  if (!p) return null;
  const { items, basis } = await stockItems(sql, { product: id }, settings);
  items.sort((a, b) => a.warehouse_id.localeCompare(b.warehouse_id));
  const hours = settings.salesRateHours;
  const [hist, applied, refused] = await Promise.all([
    history(sql, id, hours, items),
    movements(sql, { product: id }, true, 40),
    movements(sql, { product: id }, false, 20),
  ]);
  return {
    product: p,
    items,
    summary: summarize(items, settings.lowStockThreshold),
    basis,
    historyHours: hours,
    history: hist,
    moves: [...applied, ...refused].sort((a, b) =>
      b.at.getTime() - a.at.getTime() || a.eventId.localeCompare(b.eventId)
    ),
  };
}
