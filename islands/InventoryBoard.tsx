/**
 * The warehouse manager's board: KPI cards, every product × warehouse with
 * its sales rate, days of cover, stock-out risk and reorder suggestion, stock
 * by category and the latest moves. It follows commits: after each live
 * snapshot it reloads the page's JSON twin (`/api/inventory?…`).
 */
import { island } from "../lib/islands/island.ts";
import type { Inventory } from "../lib/dashboard/inventory.ts";
import type { StockBasis, StockItem } from "../lib/dashboard/types.ts";
import { clock, count, rate } from "../lib/format.ts";
import { Kpi } from "../components/Kpi.tsx";
import { Empty, Panel } from "../components/Panel.tsx";
import { BarChart } from "../components/BarChart.tsx";
import { Movements } from "../components/Movements.tsx";
import SortableTable, { type Column } from "./SortableTable.tsx";
import { useLiveJson } from "./use_live.ts";

/** What the board shows: the inventory report without its filter echo. */
export type BoardData = Omit<Inventory, "rows" | "warehouses">;

const COLUMNS: Column[] = [
  { key: "productName", label: "Product", kind: "product" },
  { key: "warehouse", label: "Warehouse", kind: "text", priority: 1 },
  { key: "stock", label: "Stock (units)", kind: "stock", priority: 2 },
  { key: "salesPerDay", label: "Sales", kind: "perDay", priority: 2 },
  {
    key: "daysOfCover",
    label: "Days of cover",
    kind: "days",
    tone: "risk",
    priority: 1,
  },
  {
    key: "riskPct",
    label: "Stock-out risk",
    kind: "riskPct",
    tone: "risk",
    priority: 1,
  },
  { key: "reorderQty", label: "Reorder (units)", kind: "count", priority: 1 },
  { key: "category", label: "Category", kind: "text", priority: 4 },
];

/** The sort keys the table (and the URL) accept. */
export const SORT_KEYS = COLUMNS.map((c) => c.key);

function rowOf(i: StockItem) {
  return {
    productId: i.product_id,
    productName: i.product_name,
    warehouse: i.warehouse_name,
    stock: i.stock,
    salesPerDay: i.sales_per_day,
    daysOfCover: i.days_of_cover,
    riskPct: i.stockout_risk,
    risk: i.risk,
    reorderQty: i.reorder_qty,
    category: i.category,
  };
}

/** How the figures were computed, in one line. */
export function basisNote(b: StockBasis): string {
  const measured = b.observedHours === 0
    ? "no sales recorded yet"
    : b.observedHours < b.salesRateHours
    ? `sales over the ${hours(b.observedHours)} recorded so far`
    : `sales over the last ${hours(b.salesRateHours)}`;
  const pooled = b.observedHours > 0 && b.observedHours < 24
    ? " (pooled with what each product sells across the shop, split by the warehouses' shares of sales)"
    : "";
  return `${measured}${pooled} · lead time ${b.leadTimeHours} ± ${b.leadTimeSpreadHours} h · safety z ${b.safetyZ} · an order covers ${b.coverDays} days`;
}

function hours(h: number): string {
  return h < 1 ? `${Math.max(1, Math.round(h * 60))} min` : rate(h, "h");
}

function BoardKpis({ d }: { d: BoardData }) {
  const s = d.summary;
  return (
    <div class="kpis">
      <Kpi
        label="Units in stock"
        value={count(s.totalUnits)}
        sub={`${count(s.cells)} product × warehouse cells`}
      />
      <Kpi
        label="Low stock"
        value={`${count(s.lowCells)} cells`}
        sub={`≤ ${count(d.lowStockThreshold)} units`}
        tone={s.lowCells > 0 ? "warn" : undefined}
      />
      <Kpi
        label="Out of stock"
        value={`${count(s.outOfStockCells)} cells`}
        sub="0 units on the shelf"
        tone={s.outOfStockCells > 0 ? "warn" : undefined}
      />
      <Kpi
        label="High risk"
        value={`${count(s.highRiskCells)} cells`}
        sub="run dry before a delivery could arrive"
        tone={s.highRiskCells > 0 ? "warn" : undefined}
      />
      <Kpi
        label="Reorder now"
        value={`${count(s.reorderUnits)} units`}
        sub={`for ${
          count(s.reorderCells)
        } cells at or below their reorder point`}
      />
    </div>
  );
}

function InventoryBoard(
  { initial, url, sort, dir }: {
    initial: BoardData;
    url: string;
    sort: string;
    dir: "asc" | "desc";
  },
) {
  const { data: d, at, failed } = useLiveJson(url, initial);
  return (
    <>
      <BoardKpis d={d} />
      <Panel
        title="Stock, cover and reorder suggestions"
        note={`${basisNote(d.basis)}${at ? ` · updated ${clock(at)} UTC` : ""}${
          failed ? " · update failed, retrying" : ""
        }`}
        wide
      >
        <SortableTable
          label="Stock per product and warehouse"
          columns={COLUMNS}
          rows={d.items.map(rowOf)}
          sort={sort}
          dir={dir}
          lowStock={d.lowStockThreshold}
          productHref="/inventory/"
          empty="No products match these filters."
        />
      </Panel>
      <Panel
        title="Refused movements"
        note={`${count(d.refusedTotal)} in all · would have gone below zero`}
        wide
      >
        <Movements rows={d.refused} refused />
      </Panel>
      <Panel title="Recent stock movements" note="newest first" wide>
        <Movements rows={d.movements} />
      </Panel>
      <Panel title="Stock by category" note="units" wide>
        {d.byCategory.length === 0
          ? <Empty>No stock recorded.</Empty>
          : (
            <BarChart
              title="Units in stock by category"
              format={(n) => `${count(n)} units`}
              bars={d.byCategory.map((b) => ({
                label: b.category,
                value: b.units,
              }))}
            />
          )}
      </Panel>
    </>
  );
}

export default island("InventoryBoard", InventoryBoard);
