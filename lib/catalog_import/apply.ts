/**
 * Writes a plan in the caller's transaction: new and changed products,
 * warehouses and competitors, then what every new product or warehouse
 * needs to be counted at all: a `product_metrics` row (the clickstream
 * writer only updates existing ones) and an `inventory_state` row for each
 * product × warehouse, starting at 0 units (`initial_stock` 0, so the quality
 * check that stock equals its start plus its moves holds). Our current price
 * of a new product is its list price; an existing product's current price is
 * the pricing engine's and is left alone.
 */
import type { TransactionSql } from "../db/mod.ts";
import type { ImportPlan, StoredProduct } from "./plan.ts";

async function insertProducts(
  tx: TransactionSql,
  rows: readonly StoredProduct[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx`
    insert into products (product_id, product_name, category, base_price, current_price, unit_cost,
                          map_price, min_price, max_price, currency, active)
    select id, name, cat, list, list, cost, map, lo, hi, cur, act from ${
    productRows(tx, rows)
  }`;
}

async function updateProducts(
  tx: TransactionSql,
  rows: readonly StoredProduct[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx`
    update products p set product_name = u.name, category = u.cat, base_price = u.list,
      unit_cost = u.cost, map_price = u.map, min_price = u.lo, max_price = u.hi,
      currency = u.cur, active = u.act, updated_at = now()
    from ${productRows(tx, rows)}
    where p.product_id = u.id`;
}

/** `rows` as the relation `u(id, name, cat, list, cost, map, lo, hi, cur, act)`, one array per column. */
function productRows(tx: TransactionSql, rows: readonly StoredProduct[]) {
  const col = <K extends keyof StoredProduct>(k: K) =>
    rows.map((r) => r[k] === null ? null : String(r[k]));
  return tx`unnest(
      ${col("product_id")}::text[], ${col("name")}::text[], ${
    col("category")
  }::text[],
      ${col("list_price")}::numeric[], ${col("unit_cost")}::numeric[], ${
    col("map_price")
  }::numeric[],
      ${col("min_price")}::numeric[], ${col("max_price")}::numeric[], ${
    col("currency")
  }::text[],
      ${
    col("active")
  }::text[]::bool[]) as u(id, name, cat, list, cost, map, lo, hi, cur, act)`;
}

/** What an applied import did. */
export interface Applied {
  productsAdded: number;
  productsChanged: number;
  warehousesAdded: number;
  warehousesChanged: number;
  competitorsAdded: number;
}

/** Writes `plan` (which must have no errors) in `tx`. */
export async function applyPlan(
  tx: TransactionSql,
  plan: ImportPlan,
): Promise<Applied> {
  const { products, warehouses, competitors } = plan;
  await insertProducts(tx, products.added);
  await updateProducts(tx, products.changed.map((c) => c.merged));
  const newWh = warehouses.added;
  if (newWh.length > 0) {
    await tx`
      insert into warehouses (warehouse_id, name)
      select * from unnest(${newWh.map((w) => w.warehouse_id)}::text[], ${
      newWh.map((w) => w.name)
    }::text[])`;
  }
  const renamed = warehouses.changed.map((c) => c.merged);
  if (renamed.length > 0) {
    await tx`
      update warehouses w set name = u.name
      from unnest(${renamed.map((w) => w.warehouse_id)}::text[], ${
      renamed.map((w) => w.name)
    }::text[]) as u(id, name)
      where w.warehouse_id = u.id`;
  }
  if (competitors.added.length > 0) {
    await tx`
      insert into competitors (competitor_name)
      select unnest(${
      competitors.added.map((c) => c.competitor_name)
    }::text[])`;
  }
  await addCells(
    tx,
    products.added.map((p) => p.product_id),
    newWh.map((w) => w.warehouse_id),
  );
  return {
    productsAdded: products.added.length,
    productsChanged: products.changed.length,
    warehousesAdded: newWh.length,
    warehousesChanged: renamed.length,
    competitorsAdded: competitors.added.length,
  };
}

/** Metrics rows for new products; a stock cell, at 0, for every new product × warehouse pair. */
async function addCells(
  tx: TransactionSql,
  products: string[],
  warehouses: string[],
): Promise<void> {
  if (products.length > 0) {
    await tx`
      insert into product_metrics (product_id) select unnest(${products}::text[])
      on conflict (product_id) do nothing`;
  }
  if (products.length + warehouses.length === 0) return;
  await tx`
    insert into inventory_state (product_id, warehouse_id, current_stock, initial_stock)
    select p.product_id, w.warehouse_id, 0, 0 from products p cross join warehouses w
    where p.product_id = any(${products}::text[]) or w.warehouse_id = any(${warehouses}::text[])
    order by 1, 2
    on conflict (product_id, warehouse_id) do nothing`;
}
