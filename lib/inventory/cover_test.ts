import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import {
  assess,
  cellPriors,
  daysOfCover,
  normalCdf,
  PRODUCT_PRIOR_WEIGHT,
  productPriorWeight,
  type ReorderPolicy,
  reorderPolicyOf,
  stockoutRisk,
} from "./cover.ts";
import { loadConfig } from "../config.ts";
import {
  LEAD_TIME_HOURS,
  LEAD_TIME_JITTER_HOURS,
  ORDER_COVER_DAYS,
  orderQuantity,
  SERVICE_Z,
  SHOP_POLICY,
  WAREHOUSE_SHARE,
} from "../market/stock.ts";
import { DemandModel } from "../market/demand.ts";
import { poisson } from "../market/sample.ts";
import { Rng } from "../rng.ts";
import { WAREHOUSES } from "../catalog.ts";

/**
 * The shop's own policy. With 2 units an hour the numbers come out round:
 * σ_L = 36/√12, so σ_D = √(144 + (2·36/√12)²) = √(144 + 432) = 24 units;
 * D = 144 units over 72 h, s = 144 + 1.65·24 = 183.6, Q = 48·7 = 336.
 */
const SHOP: ReorderPolicy = {
  leadTimeHours: 72,
  leadTimeSpreadHours: 18,
  safetyZ: 1.65,
  coverDays: 7,
};
const TWO_AN_HOUR = { unitsSold: 48, hours: 24 };

const close = (a: number, b: number, eps = 1e-6) =>
  ok(Math.abs(a - b) < eps, `${a} is not ${b}`);

Deno.test("cover - the standard normal CDF matches tabulated values", () => {
  close(normalCdf(0), 0.5);
  close(normalCdf(1.65), 0.9505285);
  close(normalCdf(-1.8333333), 0.0333765);
  close(normalCdf(6.5), 1);
});

Deno.test("cover - days of cover is stock over daily sales, none while nothing sells", () => {
  assertEquals(daysOfCover(100, 48), 100 / 48);
  assertEquals(daysOfCover(0, 48), 0);
  assertEquals(daysOfCover(0, 0), 0);
  assertEquals(daysOfCover(50, 0), null);
});

Deno.test("cover - below the lead-time demand is high risk: it runs dry before a delivery", () => {
  const a = assess({ stock: 100, ...TWO_AN_HOUR }, SHOP);
  assertEquals(a.salesPerDay, 48);
  close(a.daysOfCover!, 2.0833333);
  assertEquals(a.leadTimeDemand, 144);
  close(a.reorderPoint, 183.6);
  // 1 − Φ((100 − 144) / 24) = 1 − Φ(−1.8333)
  close(a.stockoutRisk, 0.9666235);
  assertEquals(a.risk, "high");
  // (183.6 − 100) + 336 = 419.6, rounded up
  assertEquals(a.reorderQty, 420);
});

Deno.test("cover - between lead-time demand and the reorder point is medium risk", () => {
  const a = assess({ stock: 170, ...TWO_AN_HOUR }, SHOP);
  close(a.stockoutRisk, 0.1393302);
  assertEquals(a.risk, "medium");
  assertEquals(a.reorderQty, 350); // ⌈183.6 − 170 + 336⌉
});

Deno.test("cover - above the reorder point is low risk and nothing to order", () => {
  const a = assess({ stock: 300, ...TWO_AN_HOUR }, SHOP);
  assertEquals(a.daysOfCover, 6.25);
  ok(a.stockoutRisk < 1e-9);
  assertEquals([a.risk, a.reorderQty], ["low", 0]);
});

Deno.test("cover - out of stock is certain risk and orders the reorder point plus a week", () => {
  const a = assess({ stock: 0, ...TWO_AN_HOUR }, SHOP);
  assertEquals([a.daysOfCover, a.stockoutRisk, a.risk], [0, 1, "high"]);
  assertEquals(a.reorderQty, 520); // ⌈183.6 + 336⌉
});

Deno.test("cover - a cell that does not sell has no cover limit, no risk and no order", () => {
  for (
    const sales of [{ unitsSold: 0, hours: 24 }, { unitsSold: 0, hours: 0 }]
  ) {
    const a = assess({ stock: 50, ...sales }, SHOP);
    assertEquals(
      [a.salesPerDay, a.daysOfCover, a.stockoutRisk, a.risk, a.reorderQty],
      [0, null, 0, "low", 0],
    );
  }
  assertEquals(stockoutRisk(0, 0, SHOP), 1, "an empty shelf is out of stock");
});

Deno.test("cover - a higher safety factor raises the reorder point and the order", () => {
  const strict = assess({ stock: 170, ...TWO_AN_HOUR }, {
    ...SHOP,
    safetyZ: 2.33,
  });
  close(strict.reorderPoint, 144 + 2.33 * 24);
  assertEquals(strict.reorderQty, Math.ceil(144 + 2.33 * 24 - 170 + 336));
});

Deno.test("cover - the default settings are the simulated shop's own reorder policy", () => {
  assertEquals(reorderPolicyOf(loadConfig({})), {
    leadTimeHours: LEAD_TIME_HOURS,
    leadTimeSpreadHours: LEAD_TIME_JITTER_HOURS,
    safetyZ: SERVICE_Z,
    coverDays: ORDER_COVER_DAYS,
  });
});

Deno.test("cover - a short history is pooled with the cell's expected rate, a long one hardly", () => {
  // 1 unit in 6 minutes alone reads as 240 a day; pooled with an expected
  // 3/h for one hour: (1 + 3) / (0.1 + 1) = 3.64/h.
  const young = assess(
    { stock: 100, unitsSold: 1, hours: 0.1, priorPerHour: 3 },
    SHOP,
  );
  close(young.salesPerDay, 24 * 4 / 1.1, 1e-9);
  // Three days at 2/h with the same expectation: (144 + 3) / 73 = 2.01/h.
  const old = assess(
    { stock: 100, unitsSold: 144, hours: 72, priorPerHour: 3 },
    SHOP,
  );
  close(old.salesPerDay, 24 * 147 / 73, 1e-9);
  // No history at all: nothing to pool, no rate.
  assertEquals(
    assess({ stock: 5, unitsSold: 0, hours: 0, priorPerHour: 3 }, SHOP)
      .salesPerDay,
    0,
  );
});

Deno.test("cover - the products' pooling weight is the method-of-moments gamma shape, held in bounds", () => {
  // Mean 15, sample variance 500/3: CV² = (166.67 − 15) / 225, α = 1 / CV².
  close(productPriorWeight([0, 10, 20, 30]), 225 / (500 / 3 - 15), 1e-9);
  // Counts no more spread than Poisson noise: the mean is worth the most.
  assertEquals(productPriorWeight([10, 10, 10]), PRODUCT_PRIOR_WEIGHT.max);
  assertEquals(productPriorWeight([0, 0, 0]), PRODUCT_PRIOR_WEIGHT.max);
  // One product sold everything: the mean is worth the least.
  assertEquals(productPriorWeight([900, 0, 0, 0]), PRODUCT_PRIOR_WEIGHT.min);
});

Deno.test("cover - a cell's expected rate is its product's rate times its warehouse's share", () => {
  // Three days of history: each product's own rate dominates the pooling.
  const prior = cellPriors({
    hours: 72,
    byProduct: new Map([["A", 7200], ["B", 720], ["C", 0]]),
    byWarehouse: new Map([["W1", 6336], ["W2", 1584]]),
  });
  const alpha = productPriorWeight([7200, 720, 0]);
  const meanRate = 7920 / 3 / 72;
  const rateA = (7200 + alpha) / (72 + alpha / meanRate);
  close(prior("A", "W1"), rateA * 6337 / 7922, 1e-9);
  close(prior("A", "W1") / prior("A", "W2"), 6337 / 1585, 1e-9);
  ok(
    Math.abs(prior("B", "W2") / (10 * 0.2) - 1) < 0.01,
    "B sells 10/h, 20 % of it from W2",
  );
  ok(
    prior("C", "W1") > 0 && prior("C", "W1") < 0.01,
    "what never sold is expected to sell little",
  );
  // Nothing sold yet: nothing to expect.
  const none = cellPriors({
    hours: 1,
    byProduct: new Map([["A", 0]]),
    byWarehouse: new Map([["W1", 0]]),
  });
  assertEquals(none("A", "W1"), 0);
});

/**
 * The simulated shop at rate 50, `minutes` after it opened: every cell's true
 * rate (the demand model's purchases at list price × the warehouse's share),
 * and what it sold so far, drawn from that rate.
 */
function openingShop(seed: string, minutes: number) {
  const model = new DemandModel({ seed: "shop" });
  const rng = new Rng(seed);
  const hours = minutes / 60;
  const cells = model.all().flatMap((d) =>
    WAREHOUSES.map((w) => {
      const perHour = 50 * d.viewsPerHour * d.conversion * WAREHOUSE_SHARE[w];
      return {
        product: d.productId,
        warehouse: w,
        perHour,
        sold: poisson(rng, perHour * hours),
      };
    })
  );
  const byProduct = new Map<string, number>();
  const byWarehouse = new Map<string, number>();
  for (const c of cells) {
    byProduct.set(c.product, (byProduct.get(c.product) ?? 0) + c.sold);
    byWarehouse.set(c.warehouse, (byWarehouse.get(c.warehouse) ?? 0) + c.sold);
  }
  return { cells, shop: { hours, byProduct, byWarehouse } };
}

Deno.test("cover - in a fresh shop's first hour the risk of a cell is read right, where the shop-wide mean misread over a tenth", () => {
  // 50 shops × 90 cells at each age. A cell holding a week of its demand (what
  // the shop orders) is not at risk; one holding two days against a three-day
  // lead time is. Counted: cells read the wrong way, with each cell pooled
  // with its expected rate, and with the shop's mean per cell (the pooling
  // before, which called slow cells fast and fast ones slow).
  for (const minutes of [5, 15, 60]) {
    const wrong = { expected: 0, shopMean: 0 };
    let cells = 0;
    for (let i = 0; i < 50; i++) {
      const { cells: all, shop } = openingShop(`open-${i}`, minutes);
      const prior = cellPriors(shop);
      const shopMean = all.reduce((n, c) => n + c.sold, 0) / all.length /
        shop.hours;
      for (const c of all) {
        const risk = (stock: number, priorPerHour: number) =>
          assess(
            { stock, unitsSold: c.sold, hours: shop.hours, priorPerHour },
            SHOP_POLICY,
          ).risk;
        const week = orderQuantity(c.perHour);
        const twoDays = Math.floor(c.perHour * 48);
        const expected = prior(c.product, c.warehouse);
        cells += 2;
        if (risk(week, expected) !== "low") wrong.expected++;
        if (risk(twoDays, expected) === "low") wrong.expected++;
        if (risk(week, shopMean) !== "low") wrong.shopMean++;
        if (risk(twoDays, shopMean) === "low") wrong.shopMean++;
      }
    }
    ok(
      wrong.expected <= 0.005 * cells,
      `${minutes} min: ${wrong.expected} of ${cells} read wrong`,
    );
    if (minutes < 60) {
      ok(
        wrong.shopMean >= 0.1 * cells,
        `${minutes} min: the shop-wide mean misread only ${wrong.shopMean} of ${cells}`,
      );
    }
  }
});
