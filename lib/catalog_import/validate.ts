/**
 * Checks every record of an import on its own, before the database is
 * asked anything: ids, names, prices as exact decimals with at most two
 * places, the shop's currency, yes/no flags, and no id given twice. The
 * first problem of a line is its one error.
 */
import type {
  CatalogInput,
  CompetitorRow,
  Field,
  LineError,
  ProductRow,
  RawRecord,
  RawSection,
  WarehouseRow,
} from "./types.ts";

/** The currency the shop prices in; the dashboard shows money in it (lib/format.ts). */
export const SHOP_CURRENCY = "USD";

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PRICE = /^[0-9]{1,10}(?:\.[0-9]{1,2})?$/;
// deno-lint-ignore no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const YES = ["true", "yes", "y", "1"];
const NO = ["false", "no", "n", "0"];

/** A cell refused, with the column it is in and why. */
class Bad extends Error {
  constructor(
    readonly column: string,
    readonly value: string | null,
    reason: string,
  ) {
    super(reason);
  }
}

function cell(r: RawRecord, column: string): string | undefined {
  return r.values.get(column)?.trim();
}

function id(r: RawRecord, column: string): string {
  const v = cell(r, column) ?? "";
  if (!ID.test(v)) {
    throw new Bad(
      column,
      v,
      "expected 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
    );
  }
  return v;
}

function text(r: RawRecord, column: string, max: number): string {
  const v = cell(r, column) ?? "";
  if (v === "" || v.length > max || CONTROL.test(v)) {
    throw new Bad(
      column,
      v,
      `expected text of 1 to ${max} characters without control characters`,
    );
  }
  return v;
}

/** A price as exact text with two decimals ("12.5" → "12.50"). */
function price(r: RawRecord, column: string, required: true): string;
function price(r: RawRecord, column: string, required: false): Field<string>;
function price(r: RawRecord, column: string, required: boolean) {
  const v = cell(r, column);
  if (v === undefined || v === "") {
    if (required) throw new Bad(column, v ?? null, "a price is required");
    return v === undefined ? undefined : null;
  }
  if (!PRICE.test(v) || Number(v) <= 0) {
    throw new Bad(
      column,
      v,
      "expected a price above 0 such as 1299.99 (a dot for decimals, at most 2 of them, no thousands separator)",
    );
  }
  const [whole, frac = ""] = v.split(".");
  return `${BigInt(whole!)}.${frac.padEnd(2, "0")}`;
}

function currency(r: RawRecord): Field<string> {
  const v = cell(r, "currency");
  if (v === undefined || v === "") return v === undefined ? undefined : null;
  if (v.toUpperCase() !== SHOP_CURRENCY) {
    throw new Bad(
      "currency",
      v,
      `the shop prices in ${SHOP_CURRENCY}; convert the prices before importing`,
    );
  }
  return SHOP_CURRENCY;
}

function active(r: RawRecord): Field<boolean> {
  const v = cell(r, "active")?.toLowerCase();
  if (v === undefined || v === "") return v === undefined ? undefined : null;
  if (YES.includes(v)) return true;
  if (NO.includes(v)) return false;
  throw new Bad("active", v, "expected true or false (yes/no, 1/0)");
}

function product(file: string, r: RawRecord): ProductRow {
  const row: ProductRow = {
    file,
    line: r.line,
    product_id: id(r, "product_id"),
    name: text(r, "name", 200),
    category: text(r, "category", 100),
    list_price: price(r, "list_price", true),
    unit_cost: price(r, "unit_cost", false),
    map_price: price(r, "map_price", false),
    min_price: price(r, "min_price", false),
    max_price: price(r, "max_price", false),
    currency: currency(r),
    active: active(r),
  };
  if (row.unit_cost === null) {
    throw new Bad("unit_cost", "", "a product needs its unit cost");
  }
  if (row.min_price && row.max_price && bigger(row.min_price, row.max_price)) {
    throw new Bad(
      "min_price",
      row.min_price,
      `is above max_price ${row.max_price}`,
    );
  }
  return row;
}

/** a > b for two prices written with two decimals. */
export function bigger(a: string, b: string): boolean {
  return Math.round(Number(a) * 100) > Math.round(Number(b) * 100);
}

/** Validates every record; returns the rows, or one error per bad line. */
export function validate(
  sections: readonly RawSection[],
): { input: CatalogInput; errors: LineError[] } {
  const input: CatalogInput = { products: [], warehouses: [], competitors: [] };
  const errors: LineError[] = [];
  const seen = new Map<string, string>();
  for (const s of sections) {
    for (const r of s.records) {
      try {
        const row = rowOf(s, r);
        const key = `${s.kind}:${keyOf(row)}`;
        const first = seen.get(key);
        if (first) {
          throw new Bad(
            idColumn(s.kind),
            keyOf(row),
            `already given on ${first}`,
          );
        }
        seen.set(key, `${s.file} line ${r.line}`);
        (input[s.kind] as (typeof row)[]).push(row);
      } catch (err) {
        if (!(err instanceof Bad)) throw err;
        errors.push({
          file: s.file,
          line: r.line,
          column: err.column,
          value: err.value,
          reason: err.message,
        });
      }
    }
  }
  return { input, errors };
}

type Row = ProductRow | WarehouseRow | CompetitorRow;

function rowOf(s: RawSection, r: RawRecord): Row {
  if (s.kind === "products") return product(s.file, r);
  if (s.kind === "warehouses") {
    return {
      file: s.file,
      line: r.line,
      warehouse_id: id(r, "warehouse_id"),
      name: text(r, "name", 200),
    };
  }
  return {
    file: s.file,
    line: r.line,
    competitor_name: text(r, "competitor_name", 100),
  };
}

function keyOf(row: Row): string {
  if ("product_id" in row) return row.product_id;
  if ("warehouse_id" in row) return row.warehouse_id;
  return row.competitor_name;
}

function idColumn(kind: RawSection["kind"]): string {
  return kind === "products"
    ? "product_id"
    : kind === "warehouses"
    ? "warehouse_id"
    : "competitor_name";
}
