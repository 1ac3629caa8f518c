/**
 * The catalog import as a retailer uses it: `deno task catalog:import` in a
 * real subprocess and `POST /api/catalog`, against a real database. A bad
 * line applies nothing and is named; a good file adds products with what
 * they need to be counted; importing twice changes nothing.
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { runCli } from "./harness/cli.ts";
import { webApp } from "./harness/web_app.ts";
import type { Sql } from "../lib/db/mod.ts";

const HEADER =
  "product_id,name,category,list_price,unit_cost,map_price,currency,active";
const GOOD = [
  HEADER,
  "P031,Pixel 9 Pro,phones,999.00,780.00,,USD,true",
  'P032,"Sony WF-1000XM5, black",headphones,299.99,185.5,279.99,USD,yes',
  // An existing product: a new list price and MAP, the rest as stored.
  "P001,Samsung Galaxy S24,phones,879.99,701.99,850,USD,true",
].join("\n") + "\n";

async function snapshot(sql: Sql) {
  const [r] = await sql<
    {
      products: number;
      cells: number;
      metrics: number;
      version: string;
      p001: string;
    }[]
  >`
    select (select count(*)::int from products) as products,
           (select count(*)::int from inventory_state) as cells,
           (select count(*)::int from product_metrics) as metrics,
           (select version::text from catalog_version) as version,
           (select base_price::text from products where product_id = 'P001') as p001`;
  return r!;
}

async function file(text: string, name = "products.csv"): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "catalog_" });
  await Deno.writeTextFile(`${dir}/${name}`, text);
  return `${dir}/${name}`;
}

dbTest(
  "catalog import - a file with bad lines applies nothing and names each line, column, value and why",
  async ({ sql, url }) => {
    const before = await snapshot(sql);
    const bad = GOOD.replace("299.99", "29.999").replace(
      "P031,Pixel 9 Pro,phones,999.00,780.00,,USD,true",
      "P031,Pixel 9 Pro,phones,999.00,780.00,,EUR,true",
    ) + "P033,No cost,phones,10.00,,,USD,true\n";
    const path = await file(bad);
    const r = await runCli("catalog_import.ts", [path], { DATABASE_URL: url });
    assertEquals(r.code, 1, r.stderr);
    match(r.stderr, /3 lines are bad, so nothing was applied/);
    match(
      r.stderr,
      /products\.csv:2: column "currency" = "EUR": the shop prices in USD/,
    );
    // The quoted name with a comma is one cell, so the bad price is in its own column.
    match(
      r.stderr,
      /products\.csv:3: column "list_price" = "29\.999": expected a price/,
    );
    match(
      r.stderr,
      /products\.csv:5: column "unit_cost" = "": a product needs its unit cost/,
    );
    assertEquals(await snapshot(sql), before);
  },
);

dbTest(
  "catalog import - the good file adds products with metrics and stock rows, changes one, and a second run changes nothing",
  async ({ sql, url }) => {
    const before = await snapshot(sql);
    const path = await file(GOOD);
    const dry = await runCli("catalog_import.ts", [path, "--dry-run"], {
      DATABASE_URL: url,
    });
    assertEquals(dry.code, 0, dry.stderr);
    match(dry.stdout, /products: 2 would add, 1 would change, 0 unchanged/);
    match(
      dry.stdout,
      /\+ P032 "Sony WF-1000XM5, black" \(headphones\) list 299\.99, cost 185\.50 USD/,
    );
    match(
      dry.stdout,
      /~ P001 list_price 899\.99 -> 879\.99; map_price \(none\) -> 850\.00/,
    );
    assertEquals(await snapshot(sql), before, "a dry run changes nothing");

    const r = await runCli("catalog_import.ts", [path], { DATABASE_URL: url });
    assertEquals(r.code, 0, r.stderr);
    const after = await snapshot(sql);
    assertEquals(
      [after.products, after.cells, after.metrics, after.p001],
      [32, 96, 32, "879.99"],
    );
    ok(Number(after.version) > Number(before.version));
    const [p] = await sql<
      {
        current_price: string;
        unit_cost: string;
        map_price: string;
        stock: number;
        initial: number;
      }[]
    >`
      select p.current_price::text, p.unit_cost::text, p.map_price::text,
             sum(s.current_stock)::int as stock, sum(s.initial_stock)::int as initial
      from products p join inventory_state s using (product_id)
      where product_id = 'P032' group by 1, 2, 3`;
    assertEquals(p, {
      current_price: "299.99",
      unit_cost: "185.50",
      map_price: "279.99",
      stock: 0,
      initial: 0,
    });

    const again = await runCli("catalog_import.ts", [path], {
      DATABASE_URL: url,
    });
    assertEquals(again.code, 0, again.stderr);
    match(again.stdout, /products: 0 add, 0 change, 3 unchanged/);
    assertEquals(await snapshot(sql), after);
  },
);

dbTest(
  "catalog import - warehouses and competitors files add stock rows for every product and names the events may use",
  async ({ sql, url }) => {
    const wh = await file(
      "warehouse_id,name\nWH-KANO,Kano\nWH-LAGOS,Lagos\n",
      "wh.csv",
    );
    const comp = await file(
      "competitor_name\nShopRite Tech\nTechMart\n",
      "comp.csv",
    );
    const r = await runCli("catalog_import.ts", [wh, comp], {
      DATABASE_URL: url,
    });
    assertEquals(r.code, 0, r.stderr);
    match(r.stdout, /warehouses: 1 add, 0 change, 1 unchanged/);
    match(r.stdout, /competitors: 1 add, 1 unchanged/);
    const [n] = await sql<{ cells: number; kano: number }[]>`
      select count(*)::int as cells,
             count(*) filter (where warehouse_id = 'WH-KANO')::int as kano from inventory_state`;
    assertEquals(n, { cells: 120, kano: 30 });
  },
);

dbTest(
  "catalog API - JSON and CSV bodies, a dry run, 400 listing every bad item with nothing applied, 401 without the token",
  async ({ sql }) => {
    const { app } = webApp(sql, { API_TOKEN: "catalog-test-token" });
    const post = (
      body: string,
      type: string,
      query = "",
      token = "catalog-test-token",
    ) =>
      app.request(`/api/catalog${query}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": type },
        body,
      });
    assertEquals((await post(GOOD, "text/csv", "", "wrong")).status, 401);

    const bad = await post(
      JSON.stringify({
        products: [
          {
            product_id: "P040",
            name: "Ok",
            category: "phones",
            list_price: 10,
            unit_cost: 5,
          },
          {
            product_id: "bad id!",
            name: "X",
            category: "phones",
            list_price: 10,
            unit_cost: 5,
          },
        ],
        competitors: [{ competitor_name: "" }],
      }),
      "application/json",
    );
    assertEquals(bad.status, 400);
    const answer = await bad.json();
    assertEquals(answer.status, 400);
    assertEquals(
      answer.errors.map((e: { file: string; line: number; column: string }) =>
        `${e.file}:${e.line}:${e.column}`
      ),
      ["products:2:product_id", "competitors:1:competitor_name"],
    );
    const [none] = await sql<{ n: number }[]>`
      select count(*)::int as n from products where product_id = 'P040'`;
    assertEquals(none!.n, 0);

    const dry = await post(GOOD, "text/csv", "?dry_run=true");
    assertEquals(dry.status, 200);
    const d = await dry.json();
    assertEquals([d.dry_run, d.products.added], [true, ["P031", "P032"]]);
    assertEquals(d.products.changed[0].changes[0], {
      field: "list_price",
      from: "899.99",
      to: "879.99",
    });
    const applied = await (await post(GOOD, "text/csv")).json();
    assertEquals([applied.applied, applied.products.added.length], [true, 2]);
    const [m] = await sql<{ n: number }[]>`
      select count(*)::int as n from product_metrics where product_id in ('P031', 'P032')`;
    assertEquals(m!.n, 2);
  },
);
