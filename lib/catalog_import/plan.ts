/**
 * What an import would change, compared with the database: rows to add,
 * rows whose fields differ (each change with its old and new value) and rows
 * already as given. The same plan drives a dry run and the real thing, so a
 * dry run shows exactly what applying would do.
 */
import type { Sql, TransactionSql } from "../db/mod.ts";
import { bigger, SHOP_CURRENCY } from "./validate.ts";
import type {
  CatalogInput,
  CompetitorRow,
  LineError,
  ProductRow,
  WarehouseRow,
} from "./types.ts";

/** A product as stored (prices as text with two decimals, null when unset). */
export interface StoredProduct {
  product_id: string;
  name: string;
  category: string;
  list_price: string;
  unit_cost: string;
  map_price: string | null;
  min_price: string | null;
  max_price: string | null;
  currency: string;
  active: boolean;
}

export interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

export interface Changed<R, S> {
  row: R;
  /** The stored row with the import's values over it. */
  merged: S;
  changes: FieldChange[];
}

export interface ImportPlan {
  products: {
    added: StoredProduct[];
    changed: Changed<ProductRow, StoredProduct>[];
    unchanged: number;
  };
  warehouses: {
    added: WarehouseRow[];
    changed: Changed<WarehouseRow, { warehouse_id: string; name: string }>[];
    unchanged: number;
  };
  competitors: { added: CompetitorRow[]; unchanged: number };
  /** Problems only the database can show (a new product without a cost, bounds that cross). */
  errors: LineError[];
}

const FIELDS = [
  "name",
  "category",
  "list_price",
  "unit_cost",
  "map_price",
  "min_price",
  "max_price",
  "currency",
  "active",
] as const;

function show(v: string | boolean | null): string | null {
  return v === null ? null : String(v);
}

/** The stored row with every field the import gives laid over it. */
function merge(stored: StoredProduct, row: ProductRow): StoredProduct {
  const out = { ...stored };
  for (const f of FIELDS) {
    const v = row[f];
    if (v === undefined) continue;
    // An empty currency or active cell means the default, not "none".
    if (f === "currency") out.currency = (v as string | null) ?? SHOP_CURRENCY;
    else if (f === "active") out.active = (v as boolean | null) ?? true;
    else (out as Record<string, unknown>)[f] = v;
  }
  return out;
}

function fresh(row: ProductRow): StoredProduct {
  return merge({
    product_id: row.product_id,
    name: row.name,
    category: row.category,
    list_price: row.list_price,
    unit_cost: "",
    map_price: null,
    min_price: null,
    max_price: null,
    currency: SHOP_CURRENCY,
    active: true,
  }, row);
}

function productProblem(p: StoredProduct, row: ProductRow): LineError | null {
  const at = { file: row.file, line: row.line };
  if (p.unit_cost === "") {
    return {
      ...at,
      column: "unit_cost",
      value: null,
      reason: "a new product needs its unit cost (the column is missing)",
    };
  }
  if (p.min_price && p.max_price && bigger(p.min_price, p.max_price)) {
    return {
      ...at,
      column: row.min_price ? "min_price" : "max_price",
      value: row.min_price ? p.min_price : p.max_price,
      reason:
        `min_price ${p.min_price} would be above max_price ${p.max_price}`,
    };
  }
  return null;
}

async function storedProducts(
  tx: Sql | TransactionSql,
  ids: string[],
  lock: boolean,
): Promise<Map<string, StoredProduct>> {
  const rows = lock
    ? await tx<StoredProduct[]>`
      select product_id, product_name as name, category, base_price::text as list_price,
             unit_cost::text, map_price::text, min_price::text, max_price::text, currency, active
      from products where product_id = any(${ids}::text[]) order by product_id for update`
    : await tx<StoredProduct[]>`
      select product_id, product_name as name, category, base_price::text as list_price,
             unit_cost::text, map_price::text, min_price::text, max_price::text, currency, active
      from products where product_id = any(${ids}::text[])`;
  return new Map(rows.map((r) => [r.product_id, r]));
}

async function planProducts(
  tx: Sql | TransactionSql,
  rows: readonly ProductRow[],
  lock: boolean,
  plan: ImportPlan,
): Promise<void> {
  const stored = await storedProducts(tx, rows.map((r) => r.product_id), lock);
  for (const row of rows) {
    const old = stored.get(row.product_id);
    const merged = old ? merge(old, row) : fresh(row);
    const problem = productProblem(merged, row);
    if (problem) {
      plan.errors.push(problem);
      continue;
    }
    if (!old) {
      plan.products.added.push(merged);
      continue;
    }
    const changes = FIELDS.filter((f) => old[f] !== merged[f]).map((f) => ({
      field: f,
      from: show(old[f]),
      to: show(merged[f]),
    }));
    if (changes.length === 0) plan.products.unchanged++;
    else plan.products.changed.push({ row, merged, changes });
  }
}

async function planWarehouses(
  tx: Sql | TransactionSql,
  rows: readonly WarehouseRow[],
  plan: ImportPlan,
): Promise<void> {
  const ids = rows.map((r) => r.warehouse_id);
  const stored = new Map(
    (await tx<{ id: string; name: string }[]>`
      select warehouse_id as id, name from warehouses where warehouse_id = any(${ids}::text[])`)
      .map((r) => [r.id, r.name]),
  );
  for (const row of rows) {
    const old = stored.get(row.warehouse_id);
    if (old === undefined) plan.warehouses.added.push(row);
    else if (old === row.name) plan.warehouses.unchanged++;
    else {
      plan.warehouses.changed.push({
        row,
        merged: { warehouse_id: row.warehouse_id, name: row.name },
        changes: [{ field: "name", from: old, to: row.name }],
      });
    }
  }
}

/**
 * Compares `input` with the database. With `lock`, the products it names
 * stay locked until the transaction `tx` ends (the import applies the plan
 * in the same transaction).
 */
export async function planImport(
  tx: Sql | TransactionSql,
  input: CatalogInput,
  lock = false,
): Promise<ImportPlan> {
  const plan: ImportPlan = {
    products: { added: [], changed: [], unchanged: 0 },
    warehouses: { added: [], changed: [], unchanged: 0 },
    competitors: { added: [], unchanged: 0 },
    errors: [],
  };
  await planProducts(tx, input.products, lock, plan);
  await planWarehouses(tx, input.warehouses, plan);
  const names = input.competitors.map((c) => c.competitor_name);
  const known = new Set(
    (await tx<{ n: string }[]>`
      select competitor_name as n from competitors where competitor_name = any(${names}::text[])`)
      .map((r) => r.n),
  );
  for (const c of input.competitors) {
    if (known.has(c.competitor_name)) plan.competitors.unchanged++;
    else plan.competitors.added.push(c);
  }
  plan.errors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return plan;
}
