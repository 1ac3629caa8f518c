/** Inventory: stock per product × warehouse, stock by category, movements. */
import { Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import { inventory, type Movement } from "../lib/dashboard/inventory.ts";
import { filterOptions } from "../lib/dashboard/filters.ts";
import { oneOf, page, sortOf } from "../lib/web/page.ts";
import { clock, count } from "../lib/web/format.ts";
import { Empty, Layout, Panel } from "../components/Layout.tsx";
import { BarChart } from "../components/charts.tsx";
import { FilterBar } from "../components/FilterBar.tsx";
import SortableTable, { type Column } from "../islands/SortableTable.tsx";

function Movements({ rows, refused }: { rows: Movement[]; refused?: boolean }) {
  if (rows.length === 0) {
    return (
      <Empty>
        {refused
          ? "No refused movements: stock never went below zero."
          : "No stock movements yet."}
      </Empty>
    );
  }
  return (
    <div class="table-wrap">
      <table class="data">
        <thead>
          <tr>
            <th>Time (UTC)</th>
            <th>Product</th>
            <th>Warehouse</th>
            <th>Type</th>
            <th class="num">Change</th>
            <th class="num">{refused ? "Stock" : "Stock after"}</th>
            {refused && <th>Reason</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr>
              <td class="mono">{clock(m.at)}</td>
              <td>{m.productName ?? m.productId}</td>
              <td>{m.warehouseId}</td>
              <td>{m.type.replaceAll("_", " ")}</td>
              <td class={`num ${m.quantityChange < 0 ? "neg" : "pos"}`}>
                {`${m.quantityChange > 0 ? "+" : ""}${
                  count(m.quantityChange)
                } units`}
              </td>
              <td class="num">
                {m.stockAfter === null ? "—" : `${count(m.stockAfter)} units`}
              </td>
              {refused && <td class="reason">{m.reason}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function inventoryRoutes(ctx: AppContext): Hono {
  const threshold = ctx.config.lowStockThreshold;
  const read = async (c: Parameters<typeof oneOf>[0]) => {
    const opts = await filterOptions(ctx.sql);
    const filter = {
      category: oneOf(c, "category", opts.categories),
      warehouse: oneOf(c, "warehouse", opts.warehouses.map((w) => w.id)),
    };
    return { opts, filter, data: await inventory(ctx.sql, filter, threshold) };
  };
  return new Hono()
    .get("/api/inventory", async (c) => {
      const { filter, data } = await read(c);
      return c.json({ filter, ...data });
    })
    .get("/inventory", async (c) => {
      const { opts, filter, data } = await read(c);
      const keys = [
        "productName",
        "category",
        "total",
        ...data.warehouses.map((w) => w.id),
      ];
      const sort = sortOf(c, keys, { sort: "total", dir: "asc" });
      const columns: Column[] = [
        { key: "productName", label: "Product", kind: "product" },
        { key: "category", label: "Category", kind: "text" },
        ...data.warehouses.map((w): Column => ({
          key: w.id,
          label: `${w.name} (units)`,
          kind: "stock",
        })),
        { key: "total", label: "Total (units)", kind: "count" },
      ];
      const rows = data.rows.map((r) => ({
        productId: r.productId,
        productName: r.productName,
        category: r.category,
        total: r.total,
        ...r.stock,
      }));
      return page(
        c,
        <Layout title="Inventory" active="inventory">
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
                options: opts.warehouses.map((w) => ({
                  value: w.id,
                  label: w.name,
                })),
              },
            ]}
          />
          <Panel
            title="Stock per product and warehouse"
            note={`low ≤ ${threshold} units · zero highlighted`}
            wide
          >
            <SortableTable
              columns={columns}
              rows={rows}
              sort={sort.sort}
              dir={sort.dir}
              lowStock={threshold}
              empty="No products match these filters."
            />
          </Panel>
          <div class="grid-2">
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
        </Layout>,
      );
    });
}
