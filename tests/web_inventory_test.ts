/**
 * The warehouse manager's pages against a real database: each cell's days of
 * cover, stock-out risk and reorder quantity are the policy's on the stock
 * and sales written through the real sink; the settings move them; a
 * product's stock page shows its history and every move behind it.
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { ingest } from "./harness/web_seed.ts";
import { seededEvents } from "./harness/events.ts";
import { webApp } from "./harness/web_app.ts";
import type { InventoryEvent } from "../lib/events/schema.ts";
import { assess, cellPriors } from "../lib/inventory/cover.ts";
import { PRODUCTS, WAREHOUSES } from "../lib/catalog.ts";
import type { StockItem } from "../lib/dashboard/types.ts";

const HOUR = 3_600_000;
const SHOP = {
  leadTimeHours: 72,
  leadTimeSpreadHours: 18,
  safetyZ: 1.65,
  coverDays: 7,
};

/** A move of `quantity` units of P001 at `warehouse`, `hoursAgo` hours ago. */
function move(
  type: InventoryEvent["event_type"],
  warehouse: string,
  quantity: number,
  hoursAgo: number,
  seed: string,
): InventoryEvent {
  const [e] = seededEvents("inventory", 1, seed);
  return {
    ...e!,
    product_id: "P001",
    product_name: "Samsung Galaxy S24",
    product_category: "phones",
    event_type: type,
    warehouse_id: warehouse,
    quantity_change: quantity,
    timestamp: new Date(Date.now() - hoursAgo * HOUR).toISOString(),
  };
}

/** 48 units of P001 sold from Lagos over the last day: 2 an hour, leaving 52 of 100. */
async function twoAnHour(sql: Parameters<typeof ingest>[0]) {
  await ingest(sql, "inventory", [
    move("stock_sold", "WH-LAGOS", -24, 24, "sold-a"),
    move("stock_sold", "WH-LAGOS", -24, 1, "sold-b"),
  ]);
}

const close = (a: number, b: number, eps: number, what: string) =>
  ok(Math.abs(a - b) <= eps, `${what}: ${a} is not ${b}`);

const cell = (items: StockItem[], wh: string) =>
  items.find((i) => i.product_id === "P001" && i.warehouse_id === wh)!;

dbTest(
  "inventory - each item carries days of cover, stock-out risk and the reorder quantity of the policy",
  async ({ sql }) => {
    await twoAnHour(sql);
    const { app } = webApp(sql);
    const api = await (await app.request("/api/inventory")).json();
    close(api.basis.observedHours, 24, 0.01, "history so far is one day");
    const lagos = cell(api.items, "WH-LAGOS");
    // What the cell is expected to sell from the shop's sales: all 48 units
    // were P001's, all from Lagos.
    const priorPerHour = cellPriors({
      hours: 24,
      byProduct: new Map(PRODUCTS.map((p) => [p.id, p.id === "P001" ? 48 : 0])),
      byWarehouse: new Map(
        WAREHOUSES.map((w) => [w, w === "WH-LAGOS" ? 48 : 0]),
      ),
    })("P001", "WH-LAGOS");
    close(priorPerHour, 1.48, 0.01, "P001 sells, almost all from Lagos");
    const expected = assess(
      { stock: 52, unitsSold: 48, hours: 24, priorPerHour },
      SHOP,
    );
    assertEquals(lagos.stock, 52);
    // (48 + 1.48) / 25 h: pooled with an hour of the expected rate.
    close(lagos.sales_per_day, expected.salesPerDay, 0.02, "sales per day");
    close(lagos.sales_per_day, 47.5, 0.1, "about two an hour");
    close(lagos.days_of_cover!, 52 / expected.salesPerDay, 0.01, "cover");
    close(lagos.stockout_risk, expected.stockoutRisk, 0.001, "risk");
    assertEquals(
      [lagos.risk, lagos.reorder_qty],
      ["high", expected.reorderQty],
    );
    const abuja = cell(api.items, "WH-ABUJA");
    assertEquals([abuja.reorder_qty, abuja.risk], [0, "low"]);
    ok(abuja.days_of_cover! > 1000, "a cell that sold nothing lasts years");
    assertEquals(api.items[0].product_id, "P001", "the most urgent cell first");
    // A filtered page reads each cell as the whole shop does: what a cell is
    // expected to sell comes from every product's and warehouse's sales.
    const abujaOnly = await (await app.request(
      "/api/inventory?warehouse=WH-ABUJA",
    )).json();
    // (The clock moved between the two requests, so the last rounded digit
    // may differ.)
    const again = cell(abujaOnly.items, "WH-ABUJA");
    close(again.sales_per_day, abuja.sales_per_day, 0.01, "same rate");
    close(again.days_of_cover!, abuja.days_of_cover!, 0.05, "same cover");
    assertEquals(
      [again.risk, again.reorder_qty, again.stock],
      [abuja.risk, abuja.reorder_qty, abuja.stock],
    );
    assertEquals(api.summary.reorderCells, 1);
    assertEquals(api.summary.reorderUnits, expected.reorderQty);

    // The settings are the policy: a stricter service level orders more.
    const strict = webApp(sql, {
      REORDER_SAFETY_Z: "2.33",
      REORDER_COVER_DAYS: "14",
    }).app;
    const s = cell(
      (await (await strict.request("/api/inventory")).json()).items,
      "WH-LAGOS",
    );
    const stricter = assess(
      { stock: 52, unitsSold: 48, hours: 24, priorPerHour },
      { ...SHOP, safetyZ: 2.33, coverDays: 14 },
    );
    assertEquals(s.reorder_qty, stricter.reorderQty);
    ok(s.reorder_qty > lagos.reorder_qty + 300, "a second week, more safety");

    const html = await (await app.request("/inventory")).text();
    ok(html.includes('data-island="InventoryBoard"'), "the board is live");
    ok(
      html.includes('href="/inventory/P001"'),
      "products open their stock page",
    );
    match(html, /<span class="risk high">High 100\.0 %<\/span>/);
  },
);

dbTest(
  "inventory - the KPI cards count units, low and empty cells as the database holds them",
  async ({ sql }) => {
    await sql`update inventory_state set current_stock = 0 where product_id = 'P004' and warehouse_id = 'WH-PH'`;
    await sql`update inventory_state set current_stock = 9 where product_id = 'P017'`;
    const { app } = webApp(sql);
    const api = await (await app.request("/api/inventory")).json();
    const [db] = await sql<
      { units: number; low: number; zero: number; n: number }[]
    >`
      select sum(current_stock)::int as units, count(*) filter (where current_stock <= 20)::int as low,
             count(*) filter (where current_stock = 0)::int as zero, count(*)::int as n
      from inventory_state`;
    assertEquals(
      [
        api.summary.totalUnits,
        api.summary.lowCells,
        api.summary.outOfStockCells,
        api.summary.cells,
      ],
      [db!.units, db!.low, db!.zero, db!.n],
    );
    assertEquals([db!.low, db!.zero], [4, 1]);
    const html = await (await app.request("/inventory")).text();
    ok(
      html.includes(`${db!.units.toLocaleString("en-US")}`),
      "units on the page",
    );
  },
);

dbTest(
  "inventory - a product's stock page shows each warehouse's history and its applied and refused moves",
  async ({ sql }) => {
    await twoAnHour(sql);
    const refused = move("stock_damaged", "WH-PH", -500, 0.5, "refused");
    const summary = await ingest(sql, "inventory", [refused]);
    assertEquals(summary.refused, 1);
    const { app } = webApp(sql);
    const api = await (await app.request("/api/inventory/P001")).json();
    const lagos = api.history.find((h: { warehouseId: string }) =>
      h.warehouseId === "WH-LAGOS"
    );
    assertEquals(
      lagos.points.map((p: { stock: number }) => p.stock),
      [100, 76, 52, 52],
      "from the stock before the first sale to now",
    );
    assertEquals(api.moves.length, 3);
    const bad = api.moves.find((m: { eventId: string }) =>
      m.eventId === refused.event_id
    );
    match(bad.reason, /below zero/);
    const html = await (await app.request("/inventory/P001")).text();
    ok(html.includes('data-island="StockBoard"'));
    ok(html.includes("Stock history per warehouse"));
    ok(
      html.includes("refused: "),
      "the refused move is listed with its reason",
    );
    const missing = await app.request("/inventory/P999");
    assertEquals(missing.status, 404);
    assertEquals((await app.request("/api/inventory/P999")).status, 404);
  },
);
