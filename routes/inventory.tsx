/** Inventory: stock per product × warehouse, stock by category, movements. */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import {
  type Inventory,
  inventory,
  type InventoryFilter,
} from "../lib/dashboard/inventory.ts";
import { type FilterOptions, filterOptions } from "../lib/dashboard/filters.ts";
import { oneOf, page, sortOf } from "../lib/web/page.ts";
import { count } from "../lib/web/format.ts";
import { Empty, Layout, Panel } from "../components/Layout.tsx";
import { BarChart } from "../components/BarChart.tsx";
import { FilterBar } from "../components/FilterBar.tsx";
import { Movements } from "../components/Movements.tsx";
import SortableTable, { type Column } from "../islands/SortableTable.tsx";

/** The filters from the URL (each checked against what exists) and the stock they select. */
async function read(ctx: AppContext, c: Context) {
  const opts = await filterOptions(ctx.sql);
  const filter: InventoryFilter = {
    category: oneOf(c, "category", opts.categories),
    warehouse: oneOf(c, "warehouse", opts.warehouses.map((w) => w.id)),
  };
  const data = await inventory(ctx.sql, filter, ctx.config.lowStockThreshold);
  return { opts, filter, data };
}

/** The table's columns: the product, one per warehouse, the total. */
function columnsOf(warehouses: Inventory["warehouses"]): Column[] {
  return [
    { key: "productName", label: "Product", kind: "product" },
    { key: "category", label: "Category", kind: "text" },
    ...warehouses.map((w): Column => ({
      key: w.id,
      label: `${w.name} (units)`,
      kind: "stock",
    })),
    { key: "total", label: "Total (units)", kind: "count" },
  ];
}

/** One flat row per product, warehouses' stock as columns. */
function rowsOf(data: Inventory) {
  return data.rows.map((r) => ({
    productId: r.productId,
    productName: r.productName,
    category: r.category,
    total: r.total,
    ...r.stock,
  }));
}

function InventoryFilters(
  { opts, filter, sort }: {
    opts: FilterOptions;
    filter: InventoryFilter;
    sort: { sort: string; dir: string };
  },
) {
  return (
    <FilterBar
      action="/inventory"
      sort={sort}
      filters={[
        {
          name: "category",
          label: "Category",
          value: filter.category,
          options: opts.categories.map((v) => ({ value: v, label: v })),
        },
        {
          name: "warehouse",
          label: "Warehouse",
          value: filter.warehouse,
          options: opts.warehouses.map((w) => ({ value: w.id, label: w.name })),
        },
      ]}
    />
  );
}

function StockByCategory({ data }: { data: Inventory }) {
  return (
    <Panel title="Stock by category" note="units">
      {data.byCategory.length === 0
        ? <Empty>No stock recorded.</Empty>
        : (
          <BarChart
            title="Units in stock by category"
            format={(n) => `${count(n)} units`}
            bars={data.byCategory.map((b) => ({
              label: b.category,
              value: b.units,
            }))}
          />
        )}
    </Panel>
  );
}

function InventoryPage(
  { opts, filter, data, sort }: {
    opts: FilterOptions;
    filter: InventoryFilter;
    data: Inventory;
    sort: { sort: string; dir: "asc" | "desc" };
  },
) {
  const threshold = data.lowStockThreshold;
  return (
    <Layout title="Inventory" active="inventory">
      <InventoryFilters opts={opts} filter={filter} sort={sort} />
      <Panel
        title="Stock per product and warehouse"
        note={`low ≤ ${threshold} units · zero highlighted`}
        wide
      >
        <SortableTable
          columns={columnsOf(data.warehouses)}
          rows={rowsOf(data)}
          sort={sort.sort}
          dir={sort.dir}
          lowStock={threshold}
          empty="No products match these filters."
        />
      </Panel>
      <div class="grid-2">
        <StockByCategory data={data} />
        <Panel
          title="Refused movements"
          note={`${
            count(data.refusedTotal)
          } in all · would have gone below zero`}
        >
          <Movements rows={data.refused} refused />
        </Panel>
      </div>
      <Panel title="Recent stock movements" note="newest first" wide>
        <Movements rows={data.movements} />
      </Panel>
    </Layout>
  );
}

/** GET /inventory: the stock table (sorted as the URL says), stock by category, movements. */
async function inventoryPage(ctx: AppContext, c: Context) {
  const { opts, filter, data } = await read(ctx, c);
  const keys = [
    "productName",
    "category",
    "total",
    ...data.warehouses.map((w) => w.id),
  ];
  const sort = sortOf(c, keys, { sort: "total", dir: "asc" });
  return page(
    c,
    <InventoryPage opts={opts} filter={filter} data={data} sort={sort} />,
  );
}

export function inventoryRoutes(ctx: AppContext): Hono {
  return new Hono()
    .get("/api/inventory", async (c) => {
      const { filter, data } = await read(ctx, c);
      return c.json({ filter, ...data });
    })
    .get("/inventory", (c) => inventoryPage(ctx, c));
}
