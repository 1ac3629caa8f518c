/**
 * Every data table's frame says how many columns its table has ("Swipe or
 * scroll sideways for all N columns"), so a phone user knows what is off
 * screen: on every page, N must be the table's real column count.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { seedShop } from "./harness/web_seed.ts";
import { webApp } from "./harness/web_app.ts";
import { ensureModels } from "../lib/models/build.ts";

const PAGES = [
  "/",
  "/pricing",
  "/pricing/P001",
  "/pricing/strategies",
  "/inventory",
  "/inventory/P001",
  "/activity",
  "/analytics",
  "/analytics/customers",
  "/analytics/demand",
  "/analytics/funnel",
  "/analytics/price",
  "/analytics/backtest",
  "/pipeline",
  "/alerts",
];

/** Columns of a header row: its cells, each counted by its colspan. */
function width(row: string): number {
  let n = 0;
  for (const cell of row.matchAll(/<t[hd]\b([^>]*)>/g)) {
    n += Number(/colspan="(\d+)"/.exec(cell[1]!)?.[1] ?? 1);
  }
  return n;
}

/** Each table frame of `html`: its label, the count its hint names, and the table's real width. */
function frames(html: string) {
  return html.split('class="table-wrap').slice(1).map((chunk) => {
    const label = /aria-label="([^"]*)"/.exec(chunk)?.[1] ?? "?";
    const said = Number(/for all (\d+) columns/.exec(chunk)?.[1]);
    const table = chunk.slice(chunk.indexOf("<table"));
    const head = /<thead>([\s\S]*?)<\/thead>/.exec(table)?.[1] ?? table;
    const rows = [...head.matchAll(/<tr\b[\s\S]*?<\/tr>/g)].map((m) => m[0]);
    return { label, said, real: width(rows.at(-1) ?? "") };
  });
}

dbTest(
  "tables - every frame's sideways-scroll hint names its table's real number of columns",
  async ({ sql }) => {
    await seedShop(sql);
    await ensureModels(sql); // as every process does when it opens the database
    const { app } = webApp(sql);
    let seen = 0;
    for (const path of PAGES) {
      const res = await app.request(path);
      const body = await res.text();
      assertEquals(res.status, 200, `${path}: ${body.slice(0, 400)}`);
      for (const f of frames(body)) {
        seen++;
        assertEquals(f.said, f.real, `${path}, "${f.label}"`);
      }
    }
    ok(seen >= 20, `${seen} tables checked`);
  },
);
