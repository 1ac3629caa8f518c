/**
 * Stock per product × warehouse with its sales rate, days of cover, risk and
 * reorder suggestion (`StockItem`), for the inventory page, the product stock
 * page and `GET /api/inventory`. The SQL fetches stock and units sold; the
 * judgement is lib/inventory/cover.ts's.
 */
import type { Sql } from "../db/mod.ts";
import { round } from "../round.ts";
import type { Config } from "../config.ts";
import {
  assess,
  cellPriors,
  type ReorderPolicy,
  reorderPolicyOf,
  RISK_ORDER,
  type ShopSales,
} from "../inventory/cover.ts";
import type { InventorySummary, StockBasis, StockItem } from "./types.ts";

/** Which cells to read; absent fields do not filter. */
export interface StockFilter {
  category?: string;
  warehouse?: string;
  product?: string;
}

/** What the figures depend on besides the data. */
export interface StockSettings {
  policy: ReorderPolicy;
  salesRateHours: number;
  lowStockThreshold: number;
}

/** The policy and windows the settings give. */
export function stockSettingsOf(config: Config): StockSettings {
  return {
    policy: reorderPolicyOf(config),
    salesRateHours: config.salesRateHours,
    lowStockThreshold: config.lowStockThreshold,
  };
}

/** A rate over a few seconds of history says nothing; measure over at least this. */
const MIN_OBSERVED_HOURS = 5 / 60;

/**
 * The sales window: the last `windowHours`, or from the first recorded sale
 * when that is more recent (dividing a fresh shop's first hour of sales by
 * three days would call every product slow). `hours` is what sales are
 * divided by (0 while nothing was ever sold).
 */
async function salesWindow(
  sql: Sql,
  windowHours: number,
): Promise<{ since: Date; hours: number }> {
  const [r] = await sql<{ first: Date | null; now: Date }[]>`
    select (select min("timestamp") from inventory_events where event_type = 'stock_sold' and applied) as first,
           now() as now`;
  const now = r!.now.getTime();
  const windowStart = now - windowHours * 3_600_000;
  const first = r!.first?.getTime();
  if (first === undefined) return { since: new Date(windowStart), hours: 0 };
  const since = new Date(Math.max(windowStart, first));
  const hours = Math.max(
    MIN_OBSERVED_HOURS,
    (now - since.getTime()) / 3_600_000,
  );
  return { since, hours };
}

/** A cell as read: the item's identity and stock, and the units it sold in the window. */
type CellRow =
  & Pick<
    StockItem,
    | "product_id"
    | "product_name"
    | "category"
    | "warehouse_id"
    | "warehouse_name"
    | "stock"
  >
  & { sold: number };

/**
 * The cells `f` selects with what each sold since `since`, and what the whole
 * shop sold by product and by warehouse (every one that has stock cells, 0
 * where nothing sold): what each cell's expected rate is drawn from, whatever
 * the page filters. One statement, so the window's sales are read once.
 */
async function cellsAndShop(
  sql: Sql,
  f: StockFilter,
  since: Date,
  hours: number,
): Promise<{ rows: CellRow[]; shop: ShopSales }> {
  const cat = f.category ?? null, wh = f.warehouse ?? null;
  const id = f.product ?? null;
  const all = await sql<(CellRow & { kind: "c" | "p" | "w" })[]>`
    with sold as (
      select product_id, warehouse_id, -sum(quantity_change)::int as sold
      from inventory_events
      where event_type = 'stock_sold' and applied and "timestamp" >= ${since}
      group by product_id, warehouse_id
    ),
    cell as (
      select s.product_id, s.warehouse_id, s.current_stock, coalesce(x.sold, 0) as sold
      from inventory_state s left join sold x using (product_id, warehouse_id)
    )
    select 'c' as kind, p.product_id, p.product_name, p.category, c.warehouse_id,
           w.name as warehouse_name, c.current_stock as stock, c.sold
    from cell c
    join products p using (product_id)
    join warehouses w using (warehouse_id)
    where (${cat}::text is null or p.category = ${cat})
      and (${wh}::text is null or c.warehouse_id = ${wh})
      and (${id}::text is null or c.product_id = ${id})
    union all
    select 'p', product_id, null, null, null, null, null, sum(sold)::int from cell group by product_id
    union all
    select 'w', null, null, null, warehouse_id, null, null, sum(sold)::int from cell group by warehouse_id`;
  const rows: CellRow[] = [];
  const byProduct = new Map<string, number>();
  const byWarehouse = new Map<string, number>();
  for (const { kind, ...r } of all) {
    if (kind === "c") rows.push(r);
    else if (kind === "p") byProduct.set(r.product_id, r.sold);
    else byWarehouse.set(r.warehouse_id, r.sold);
  }
  return { rows, shop: { hours, byProduct, byWarehouse } };
}

/** Most urgent first: risk level, then the higher stock-out probability, then fewer days. */
export function byUrgency(a: StockItem, b: StockItem): number {
  return RISK_ORDER[a.risk] - RISK_ORDER[b.risk] ||
    b.stockout_risk - a.stockout_risk ||
    (a.days_of_cover ?? Infinity) - (b.days_of_cover ?? Infinity) ||
    a.product_id.localeCompare(b.product_id) ||
    a.warehouse_id.localeCompare(b.warehouse_id);
}

/** Every selected cell with its assessment (most urgent first), and how it was measured. */
export async function stockItems(
  sql: Sql,
  f: StockFilter,
  s: StockSettings,
): Promise<{ items: StockItem[]; basis: StockBasis }> {
  const { since, hours } = await salesWindow(sql, s.salesRateHours);
  const { rows, shop } = await cellsAndShop(sql, f, since, hours);
  const prior = cellPriors(shop);
  const items = rows.map(({ sold, ...r }): StockItem => {
    const a = assess(
      {
        stock: r.stock,
        unitsSold: sold,
        hours,
        priorPerHour: prior(r.product_id, r.warehouse_id),
      },
      s.policy,
    );
    return {
      ...r,
      sales_per_day: round(a.salesPerDay, 2),
      days_of_cover: a.daysOfCover === null ? null : round(a.daysOfCover, 2),
      stockout_risk: round(a.stockoutRisk, 4),
      risk: a.risk,
      reorder_point: round(a.reorderPoint, 1),
      reorder_qty: a.reorderQty,
    };
  }).sort(byUrgency);
  return {
    items,
    basis: {
      observedHours: round(hours, 3),
      salesRateHours: s.salesRateHours,
      leadTimeHours: s.policy.leadTimeHours,
      leadTimeSpreadHours: s.policy.leadTimeSpreadHours,
      safetyZ: s.policy.safetyZ,
      coverDays: s.policy.coverDays,
      lowStockThreshold: s.lowStockThreshold,
    },
  };
}

/** The KPI cards' figures over `items`. */
export function summarize(
  items: readonly StockItem[],
  lowStockThreshold: number,
): InventorySummary {
  const reorder = items.filter((i) => i.reorder_qty > 0);
  return {
    totalUnits: items.reduce((n, i) => n + i.stock, 0),
    lowCells: items.filter((i) => i.stock <= lowStockThreshold).length,
    outOfStockCells: items.filter((i) => i.stock === 0).length,
    highRiskCells: items.filter((i) => i.risk === "high").length,
    reorderCells: reorder.length,
    reorderUnits: reorder.reduce((n, i) => n + i.reorder_qty, 0),
    cells: items.length,
  };
}
