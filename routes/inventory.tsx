/**
 * Inventory: KPI cards, stock per product × warehouse with sales rate, days
 * of cover, stock-out risk and reorder suggestions, stock by category and
 * movements; live. `GET /api/inventory` is its JSON twin.
 */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import {
  type Inventory,
  inventory,
  type InventoryFilter,
} from "../lib/dashboard/inventory.ts";
import { stockSettingsOf } from "../lib/dashboard/stock_items.ts";
import { type FilterOptions, filterOptions } from "../lib/dashboard/filters.ts";
import { oneOf, page, sortOf } from "../lib/web/page.ts";
import { Layout } from "../components/Layout.tsx";
import { FilterBar } from "../components/FilterBar.tsx";
import InventoryBoard, { SORT_KEYS } from "../islands/InventoryBoard.tsx";

type Sort = { sort: string; dir: "asc" | "desc" };

/** The filters from the URL (each checked against what exists) and the stock they select. */
async function read(ctx: AppContext, c: Context) {
  const opts = await filterOptions(ctx.sql);
  const filter: InventoryFilter = {
    category: oneOf(c, "category", opts.categories),
    warehouse: oneOf(c, "warehouse", opts.warehouses.map((w) => w.id)),
  };
  return {
    opts,
    filter,
    data: await inventory(ctx.sql, filter, stockSettingsOf(ctx.config)),
  };
}

/** The JSON twin of this page with the same filters, for the live board to reload. */
function apiUrl(filter: InventoryFilter): string {
  const q = new URLSearchParams();
  if (filter.category) q.set("category", filter.category);
  if (filter.warehouse) q.set("warehouse", filter.warehouse);
  return `/api/inventory${q.size ? `?${q}` : ""}`;
}

function InventoryFilters(
  { opts, filter, sort }: {
    opts: FilterOptions;
    filter: InventoryFilter;
    sort: Sort;
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

function InventoryPage(
  { opts, filter, data, sort }: {
    opts: FilterOptions;
    filter: InventoryFilter;
    data: Inventory;
    sort: Sort;
  },
) {
  const { rows: _, warehouses: __, ...board } = data;
  return (
    <Layout title="Inventory" active="inventory">
      <InventoryFilters opts={opts} filter={filter} sort={sort} />
      <InventoryBoard
        initial={board}
        url={apiUrl(filter)}
        sort={sort.sort}
        dir={sort.dir}
      />
    </Layout>
  );
}

/** GET /inventory: the board, sorted as the URL says (most at risk first by default). */
async function inventoryPage(ctx: AppContext, c: Context) {
  const { opts, filter, data } = await read(ctx, c);
  const sort = sortOf(c, SORT_KEYS, { sort: "riskPct", dir: "desc" });
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
