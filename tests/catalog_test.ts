import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { PRODUCTS } from "../lib/catalog.ts";

dbTest(
  "catalog - the seed migration holds the reference catalog: 30 products, 90 stock rows",
  async (db) => {
    const products = await db.sql<
      {
        product_id: string;
        product_name: string;
        category: string;
        base_price: string;
      }[]
    >`
    select product_id, product_name, category, base_price::text from products order by product_id`;
    assertEquals(
      products.map((
        p,
      ) => [p.product_id, p.product_name, p.category, Number(p.base_price)]),
      PRODUCTS.map((p) => [p.id, p.name, p.category, p.basePrice]),
    );
    const [s] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from inventory_state`;
    assertEquals(s!.n, 90);
    const byId = new Map(products.map((p) => [p.product_id, p]));
    assertEquals(byId.get("P001")!.product_name, "Samsung Galaxy S24");
    assertEquals(byId.get("P007")!.base_price, "1999.99");
    assertEquals(byId.get("P018")!.product_name, "Anker Soundcore Q45");
    assertEquals(byId.get("P025")!.base_price, "49.99");
  },
);

dbTest(
  "catalog - the seed costs are lib/catalog.ts's, and MAP stays below list",
  async (db) => {
    const rows = await db.sql<
      {
        product_id: string;
        unit_cost: string;
        map_price: string | null;
        base_price: string;
      }[]
    >`select product_id, unit_cost::text, map_price::text, base_price::text from products order by product_id`;
    assertEquals(
      rows.map((r) => [r.product_id, Number(r.unit_cost)]),
      PRODUCTS.map((p) => [p.id, p.unitCost]),
    );
    for (const r of rows) {
      if (r.map_price !== null) {
        assertEquals(
          Number(r.map_price) < Number(r.base_price),
          true,
          r.product_id,
        );
      }
    }
  },
);
