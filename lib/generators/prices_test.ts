import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { PRODUCT_BY_ID, WAREHOUSES } from "../catalog.ts";
import type { ClickEvent, InventoryEvent } from "../events/schema.ts";
import { type PriceBook, type ShopOptions, ShopSimulator } from "./mod.ts";
import { steadyStock } from "../market/market.ts";

const T0 = Date.parse("2026-11-25T00:00:00Z");
const HOUR = 3_600_000;

function simulate(opts: ShopOptions, hours: number) {
  const sim = new ShopSimulator({ start: T0, ...opts });
  const clicks: ClickEvent[] = [];
  const moves: InventoryEvent[] = [];
  for (let t = T0; t <= T0 + hours * HOUR; t += 500) {
    for (const e of sim.due(t)) {
      if (e.stream === "clickstream") clicks.push(e.event);
      if (e.stream === "inventory") moves.push(e.event);
    }
  }
  const count = (type: string) =>
    clicks.filter((e) => e.event_type === type).length;
  return { sim, clicks, moves, count };
}

const scaled = (k: number): PriceBook => ({
  priceOf: (id) => Math.round(PRODUCT_BY_ID.get(id)!.basePrice * k * 100) / 100,
});

Deno.test("generators - a session's chance to buy falls with our price against the competitors'", () => {
  const list = simulate({ seed: "price" }, 2);
  const dear = simulate({ seed: "price", prices: scaled(1.2) }, 2);
  // Purchases per product view; at +20% the demand model's elasticities
  // (-1.2 to -2.5, view-weighted about -1.9) give about 1.2^-1.9 = 0.71.
  const rate = (r: typeof list) =>
    r.count("purchase") / r.count("product_view");
  const ratio = rate(dear) / rate(list);
  const se = Math.sqrt(1 / list.count("purchase") + 1 / dear.count("purchase"));
  ok(
    Math.abs(Math.log(ratio / 0.71)) < 3 * se,
    `ratio ${ratio.toFixed(3)} (se of log ${se.toFixed(3)})`,
  );
  // The click events carry our price.
  const p = dear.clicks.find((e) => e.product_id === "P001")!;
  assertEquals(p.product_price, 1079.99);
});

Deno.test("generators - with no stock purchases become removals and are counted as lost sales", () => {
  const r = simulate({ seed: "empty", stock: () => 0 }, 1);
  // Only units that customers returned during the hour can be sold.
  const returned = r.moves.filter((m) => m.quantity_change > 0)
    .reduce((n, m) => n + m.quantity_change, 0);
  const sold = r.moves.filter((m) => m.event_type === "stock_sold");
  assertEquals(r.count("purchase"), sold.length);
  assertEquals(r.sim.stats.sold, sold.length);
  ok(sold.length <= returned, `${sold.length} sold of ${returned} returned`);
  ok(r.sim.stats.lostSales > 150, `${r.sim.stats.lostSales} lost`);
  ok(r.count("remove_from_cart") >= r.sim.stats.lostSales);
});

Deno.test("generators - replenishment orders land as stock_received events after the lead time", () => {
  const sim = new ShopSimulator({ seed: "restock", start: T0 });
  const first = sim.due(T0);
  ok(
    first.every((e) =>
      e.stream !== "inventory" || e.event.event_type !== "stock_received"
    ),
  );
  const later = sim.due(T0 + 4 * 24 * HOUR); // a 3 ± 0.75 day lead time has passed
  const received = later.filter((e) =>
    e.stream === "inventory" && e.event.event_type === "stock_received"
  );
  ok(received.length >= 30, `${received.length} deliveries`);
  assertEquals(
    received.reduce(
      (n, e) => n + (e.event as InventoryEvent).quantity_change,
      0,
    ),
    sim.stats.received,
  );
});

Deno.test("generators - a shop that never moved stock opens with deliveries up to its steady stock, and only then", () => {
  const opened = new ShopSimulator({
    seed: "open",
    start: T0,
    rate: 2,
    openingStock: true,
  });
  const first = opened.due(T0).filter((e) => e.stream === "inventory")
    .map((e) => e.event as InventoryEvent);
  const deliveries = first.filter((e) => e.event_type === "stock_received");
  const market = opened.market;
  for (const p of market.products) {
    const perHour = market.stock.forecastPerHour(p.id);
    for (const w of WAREHOUSES) {
      const steady = steadyStock(perHour, w);
      const d = deliveries.find((e) =>
        e.product_id === p.id && e.warehouse_id === w
      );
      // Seed stock is 100 a cell; every cell's steady stock is above it here.
      assertEquals(d?.quantity_change, steady - 100, `${p.id} ${w}`);
      assertEquals(d?.timestamp, new Date(T0).toISOString());
    }
  }
  assertEquals(
    deliveries.reduce((n, e) => n + e.quantity_change, 0),
    opened.stats.received,
  );
  // The deliveries are events like any other: the stock on hand is the seed
  // plus every move that went out (deliveries, sales, returns, damage).
  const moved = first.reduce((n, e) => n + e.quantity_change, 0);
  const onHand = market.products.reduce(
    (n, p) => n + market.stock.onHand(p.id),
    0,
  );
  assertEquals(onHand, 100 * 3 * market.products.length + moved);

  const plain = new ShopSimulator({ seed: "open", start: T0, rate: 2 });
  ok(
    plain.due(T0).every((e) =>
      e.stream !== "inventory" || e.event.event_type !== "stock_received"
    ),
    "without openingStock the shop keeps the stock it was given",
  );
});
