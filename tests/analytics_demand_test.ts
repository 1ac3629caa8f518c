import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { fillDemand } from "./analytics_data.ts";
import { dbTest } from "./harness/db.ts";
import { analyticsApp, getJson, withModels } from "./analytics_fixtures.ts";
import { demandReport } from "../lib/analytics/mod.ts";
import { parseWindow } from "../lib/analytics/window.ts";

// Until 04:30 on Monday 5 January 2026; whole hours only, so the window is 00:00–04:00.
const QUERY = "hours=4&until=2026-01-05T04:30:00Z";

type Report = Awaited<ReturnType<typeof demandReport>>;

function checkDemand(r: Report): void {
  assertEquals(r.window, {
    from: "2026-01-05T00:00:00.000Z",
    to: "2026-01-05T04:00:00.000Z",
    hours: 4,
  });
  const phones = r.categories.find((c) => c.category === "phones")!;
  assertEquals(phones.points.map((p) => [p.purchases, p.ma3]), [
    [2, null],
    [4, null],
    [0, 2],
    [6, 3.3333],
  ]);
  assertEquals(phones.forecast.map((f) => f.purchases), [
    5.342,
    6.2848,
    7.2275,
    8.1703,
    9.113,
    10.0558,
  ]);
  assertEquals(r.byVolume.map((v) => [v.category, v.total]), [
    ["phones", 12],
    ["laptops", 4],
    ["accessories", 0],
    ["headphones", 0],
    ["tablets", 0],
  ]);
  assertEquals(r.byCv.slice(0, 2), [{ category: "phones", cv: 0.7454 }, {
    category: "laptops",
    cv: 0,
  }]);
  assertEquals(
    r.heatmap.filter((c) => c.avgPurchases !== null).map((
      c,
    ) => [c.dow, c.hour, c.avgPurchases]),
    [[1, 0, 3], [1, 1, 5], [1, 2, 1], [1, 3, 7]],
  );
  // P001: 30 units at the mean forecast 7.6989/h → 3.9 h; P007: 60 units at 1/h → 60 h.
  assertEquals(
    r.stockOut.slice(0, 3).map((
      s,
    ) => [s.productId, s.stock, s.ratePerHour, s.hoursUntilStockOut, s.status]),
    [
      ["P001", 30, 7.6989, 3.9, "Critical"],
      ["P007", 60, 1, 60, "Warning"],
      ["P002", 300, 0, null, "OK"],
    ],
  );
  assertEquals(r.stockOut.length, 30);
}

dbTest(
  "analytics demand - hourly series, heatmap, rankings and stock-out come from the mart and live stock",
  async ({ sql }) => {
    await withModels(sql, () => fillDemand(sql));
    checkDemand(
      await demandReport(
        sql,
        parseWindow(
          { hours: "4", until: "2026-01-05T04:30:00Z" },
          168,
          new Date(),
          true,
        ),
      ),
    );
  },
  ["postgres", "pglite"],
);

dbTest(
  "analytics demand - the JSON API and both CSV tables answer the same forecast",
  async ({ sql }) => {
    await withModels(sql, () => fillDemand(sql));
    const app = analyticsApp(sql);
    checkDemand(await getJson<Report>(app, `/api/analytics/demand?${QUERY}`));
    const hourly =
      (await (await app.request(`/api/analytics/demand.csv?${QUERY}`)).text())
        .split("\r\n");
    assertEquals(hourly[0], "category,hour_utc,kind,purchases,ma_1h,ma_3h");
    assertEquals(hourly.filter((l) => l.startsWith("phones,")).slice(2, 5), [
      "phones,2026-01-05T02:00:00.000Z,actual,0,0,2",
      "phones,2026-01-05T03:00:00.000Z,actual,6,6,3.3333",
      "phones,2026-01-05T04:00:00.000Z,forecast,5.342,,",
    ]);
    const stock = await app.request(
      `/api/analytics/demand.csv?${QUERY}&table=stockout`,
    );
    match(stock.headers.get("content-disposition") ?? "", /stock_out\.csv/);
    assertEquals(
      (await stock.text()).split("\r\n")[1],
      "P001,Samsung Galaxy S24,phones,30,7.6989,3.9,Critical",
    );
    const bad = await app.request(`/api/analytics/demand.csv?table=weekly`);
    assertEquals(bad.status, 400);
    assertEquals(await bad.json(), {
      error: 'Parameter "table" is "weekly": expected "hourly" or "stockout"',
      status: 400,
    });
    // ?category= picks one category's rows; empty means every category.
    const phones = (await (await app.request(
      `/api/analytics/demand.csv?${QUERY}&category=phones`,
    )).text()).split("\r\n").slice(1).filter(Boolean);
    assertEquals(phones.length, 4 + 6);
    assertEquals(phones.every((l) => l.startsWith("phones,")), true);
    const every = (await (await app.request(
      `/api/analytics/demand.csv?${QUERY}&category=`,
    )).text()).split("\r\n").slice(1).filter(Boolean);
    assertEquals(every.length, 5 * (4 + 6));
    const stockPhones = (await (await app.request(
      `/api/analytics/demand.csv?${QUERY}&table=stockout&category=laptops`,
    )).text()).split("\r\n").slice(1).filter(Boolean);
    assertEquals(stockPhones.every((l) => l.includes(",laptops,")), true);
    assertEquals(
      (await app.request(`/api/analytics/demand.csv?category=shoes`)).status,
      400,
    );
  },
);
