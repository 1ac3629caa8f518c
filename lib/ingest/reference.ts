/** Loads the reference sets events are validated against from the database. */
import type { Sql } from "../db/mod.ts";
import type { Reference } from "../events/schema.ts";

/** Products, warehouses and competitors as they are in the database now. */
export async function loadReference(sql: Sql): Promise<Reference> {
  const [products, warehouses, competitors] = await Promise.all([
    sql<{ id: string }[]>`select product_id as id from products`,
    sql<{ id: string }[]>`select warehouse_id as id from warehouses`,
    sql<{ id: string }[]>`select competitor_name as id from competitors`,
  ]);
  return {
    products: new Set(products.map((r) => r.id)),
    warehouses: new Set(warehouses.map((r) => r.id)),
    competitors: new Set(competitors.map((r) => r.id)),
  };
}
