/**
 * The stored backtest on a real PostgreSQL: what `deno task backtest --store`
 * writes is what /analytics/backtest shows (summary, charts, price paths of
 * the chosen product, CSV), and before anything is stored the page says how
 * to make one.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { webApp } from "./harness/web_app.ts";
import { DEFAULT_START, runBacktest } from "../lib/backtest/run.ts";
import {
  KEEP_RUNS,
  lastBacktest,
  storeBacktest,
} from "../lib/backtest/store.ts";

const text = (body: string) =>
  body.replace(/<[^>]+>/g, " ").replace(/&amp;/g, "&").replace(/\s+/g, " ");

/** Two simulated days of every strategy: small, but every table gets rows. */
const result = runBacktest({
  seed: "page",
  days: 2,
  market: "default",
  strategies: ["static", "seed-rule", "engine", "optimize"],
});

dbTest(
  "backtest page - says how to make a backtest while none is stored, and the API answers 404",
  async ({ sql }) => {
    const { app } = webApp(sql);
    const res = await app.request("/analytics/backtest");
    assertEquals(res.status, 200);
    const t = text(await res.text());
    ok(t.includes("No backtest has been stored yet"), t);
    ok(t.includes("deno task backtest --store"), t);
    assertEquals((await app.request("/api/analytics/backtest")).status, 404);
    assertEquals(
      (await app.request("/api/analytics/backtest.csv")).status,
      404,
    );
  },
);

dbTest(
  "backtest page - shows the stored summary, both charts, the chosen product's price paths and its CSV",
  async ({ sql }) => {
    const id = await storeBacktest(sql, result, 1.5);
    const { app } = webApp(sql);
    const res = await app.request("/analytics/backtest?product=P026");
    assertEquals(res.status, 200);
    const body = await res.text();
    const t = text(body);
    ok(t.includes(`Run ${id}`) && t.includes("seed page"), t);
    for (const s of result.strategies) {
      const margin = Math.round(s.gross_margin).toLocaleString("en-US");
      ok(t.includes(margin), `${s.name}'s gross margin ${margin} is shown`);
    }
    ok(body.includes('aria-label="Gross margin per simulated day'));
    ok(body.includes('aria-label="Our price of P026 under each strategy"'));
    ok(body.includes('<option value="P026" selected'));
    ok(t.includes("Elasticity learned from the simulated orders"));
    const csv = await app.request(
      "/api/analytics/backtest.csv?table=prices&product=P026",
    );
    assertEquals(csv.status, 200);
    const lines = (await csv.text()).trim().split("\r\n");
    assertEquals(lines[0], "product_id,strategy,from,price");
    const staticRow = `P026,static,${
      new Date(DEFAULT_START).toISOString()
    },99.99`;
    ok(lines.includes(staticRow), lines.slice(0, 5).join("\n"));
    const daily = await (await app.request("/api/analytics/backtest.csv"))
      .text();
    assertEquals(daily.trim().split("\r\n").length, 1 + 4 * 2);
    const bad = await app.request("/analytics/backtest?product=P999");
    assertEquals(bad.status, 400);
  },
);

dbTest(
  "backtest store - keeps the newest runs only, and the page reads the newest",
  async ({ sql }) => {
    const small = runBacktest({
      seed: "keep",
      days: 1,
      market: "alt",
      strategies: ["static"],
    });
    for (let i = 0; i < KEEP_RUNS + 2; i++) await storeBacktest(sql, small, i);
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from backtest_runs`;
    assertEquals(row?.n, KEEP_RUNS);
    const last = await lastBacktest(sql);
    assertEquals(last?.seconds, KEEP_RUNS + 1);
    assertEquals(last?.params.market, "alt");
    assertEquals(last?.strategies, small.strategies);
    assertEquals(last?.daily.length, 1);
    assertEquals(last?.products.length, 30);
  },
);
