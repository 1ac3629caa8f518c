import { deepStrictEqual as assertEquals } from "node:assert/strict";
import {
  analyzeDemand,
  type HourlyRow,
  isoDow,
  movingAverage,
} from "./demand.ts";

const at = (iso: string) => new Date(iso);
const row = (category: string, hour: string, purchases: number): HourlyRow => ({
  category,
  hour: at(hour),
  purchases,
});

// Monday 5 January 2026, 00:00–04:00 UTC.
const WINDOW = {
  from: at("2026-01-05T00:00:00Z"),
  to: at("2026-01-05T04:00:00Z"),
};
const ROWS = [
  row("phones", "2026-01-05T00:00:00Z", 2),
  row("phones", "2026-01-05T01:00:00Z", 4),
  row("phones", "2026-01-05T03:00:00Z", 6),
  row("phones", "2026-01-05T04:00:00Z", 50), // outside the window: ignored
  row("laptops", "2026-01-05T00:00:00Z", 1),
  row("laptops", "2026-01-05T01:00:00Z", 1),
  row("laptops", "2026-01-05T02:00:00Z", 1),
  row("laptops", "2026-01-05T03:00:00Z", 1),
];

Deno.test("demand - fills missing hours with zero and computes 1-hour and 3-hour moving averages", () => {
  const r = analyzeDemand(ROWS, WINDOW, ["tablets"]);
  assertEquals(r.categories.map((c) => c.category), [
    "laptops",
    "phones",
    "tablets",
  ]);
  const phones = r.categories[1]!;
  assertEquals(phones.points.map((p) => [p.purchases, p.ma1, p.ma3]), [
    [2, 2, null],
    [4, 4, null],
    [0, 0, 2],
    [6, 6, 3.3333],
  ]);
  assertEquals(r.categories[2]!.points.map((p) => p.purchases), [0, 0, 0, 0]);
});

Deno.test("demand - ranks categories by volume and by coefficient of variation", () => {
  const r = analyzeDemand(ROWS, WINDOW, ["tablets"]);
  // phones [2,4,0,6]: mean 3, population stdev √5 = 2.2361, CV 0.7454.
  assertEquals(r.byVolume, [
    { category: "phones", total: 12 },
    { category: "laptops", total: 4 },
    { category: "tablets", total: 0 },
  ]);
  assertEquals(r.byCv, [
    { category: "phones", cv: 0.7454 },
    { category: "laptops", cv: 0 },
    { category: "tablets", cv: null },
  ]);
});

Deno.test("demand - forecasts 6 hours after the window per category", () => {
  const r = analyzeDemand(ROWS, WINDOW);
  const [laptops, phones] = r.categories;
  assertEquals(laptops!.forecast.map((f) => f.purchases), [1, 1, 1, 1, 1, 1]);
  assertEquals(laptops!.forecast[0]!.hour, "2026-01-05T04:00:00.000Z");
  assertEquals(laptops!.forecast[5]!.hour, "2026-01-05T09:00:00.000Z");
  assertEquals(phones!.forecast.map((f) => f.purchases), [
    5.342,
    6.2848,
    7.2275,
    8.1703,
    9.113,
    10.0558,
  ]);
});

Deno.test("demand - heatmap averages each weekday-hour slot over its occurrences in the window", () => {
  // Two Mondays at 00:00 (2 and 4 purchases) average to 3.
  const r = analyzeDemand(
    [
      row("phones", "2026-01-05T00:00:00Z", 2),
      row("phones", "2026-01-12T00:00:00Z", 3),
      row("laptops", "2026-01-12T00:00:00Z", 1),
      row("phones", "2026-01-11T23:00:00Z", 5),
    ],
    { from: at("2026-01-05T00:00:00Z"), to: at("2026-01-12T01:00:00Z") },
  );
  const cell = (dow: number, hour: number) =>
    r.heatmap.find((c) => c.dow === dow && c.hour === hour)!.avgPurchases;
  assertEquals(r.heatmap.length, 168);
  assertEquals(cell(1, 0), 3);
  assertEquals(cell(7, 23), 5);
  assertEquals(cell(1, 1), 0);
});

Deno.test("demand - a window shorter than a week leaves unseen slots null and an empty window is empty", () => {
  const r = analyzeDemand(ROWS, WINDOW);
  assertEquals(
    r.heatmap.filter((c) => c.avgPurchases !== null).map((
      c,
    ) => [c.dow, c.hour, c.avgPurchases]),
    [
      [1, 0, 3],
      [1, 1, 5],
      [1, 2, 1],
      [1, 3, 7],
    ],
  );
  const empty = analyzeDemand([], { from: WINDOW.from, to: WINDOW.from });
  assertEquals(empty.hours, []);
  assertEquals(empty.categories, []);
});

Deno.test("demand - moving average and weekday helpers", () => {
  assertEquals(movingAverage([3, 6, 9, 0], 3), [null, null, 6, 5]);
  assertEquals(movingAverage([3, 6], 1), [3, 6]);
  assertEquals(isoDow(at("2026-01-05T12:00:00Z")), 1);
  assertEquals(isoDow(at("2026-01-11T12:00:00Z")), 7);
});

Deno.test("demand - a live window adds the current hour, its purchases scaled to a full hour", () => {
  const current = [row("phones", "2026-01-05T04:00:00Z", 3)];
  // 30 minutes into 04:00: 3 purchases so far count as 6 an hour.
  const r = analyzeDemand(ROWS, WINDOW, [], {
    now: at("2026-01-05T04:30:00Z"),
    rows: current,
  });
  const phones = r.categories.find((c) => c.category === "phones")!;
  assertEquals(phones.points.map((p) => [p.purchases, p.ma1]), [
    [2, 2],
    [4, 4],
    [0, 0],
    [6, 6],
    [3, 6],
  ]);
  assertEquals(phones.points[4]!.partial, true);
  assertEquals(phones.total, 15, "totals count the real purchases");
  assertEquals(r.current, {
    hour: "2026-01-05T04:00:00.000Z",
    minutes: 30,
    purchases: 3,
  });
  assertEquals(
    r.heatmap.filter((c) => c.avgPurchases !== null).length,
    4,
    "the heatmap keeps full hours only",
  );
  assertEquals(r.all.points.map((p) => p.ma1), [3, 5, 1, 7, 6]);
  // Five minutes into the hour says too little: it is left out.
  const early = analyzeDemand(ROWS, WINDOW, [], {
    now: at("2026-01-05T04:05:00Z"),
    rows: current,
  });
  assertEquals([early.current, early.hours.length], [null, 4]);
});
