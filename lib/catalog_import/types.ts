/** The shapes a catalog import passes between reading, planning and applying. */

export type Section = "products" | "warehouses" | "competitors";

/**
 * One problem, on one line: where (the file or JSON section, the line or
 * item number, the column), the value as given, and why it is refused.
 */
export interface LineError {
  file: string;
  line: number;
  column: string | null;
  value: string | null;
  reason: string;
}

/** A record as read: its line and the columns it has (an absent column keeps the stored value). */
export interface RawRecord {
  line: number;
  values: ReadonlyMap<string, string>;
}

/** A file (CSV) or a JSON section, after its header told what it holds. */
export interface RawSection {
  file: string;
  kind: Section;
  records: RawRecord[];
}

/**
 * A field of an imported row: `undefined` when its column is absent (the
 * stored value stays), `null` when the cell is empty (no value).
 */
export type Field<T> = T | null | undefined;

export interface ProductRow {
  file: string;
  line: number;
  product_id: string;
  name: string;
  category: string;
  /** Prices as exact decimal text with two places, e.g. "899.99". */
  list_price: string;
  unit_cost: Field<string>;
  map_price: Field<string>;
  min_price: Field<string>;
  max_price: Field<string>;
  currency: Field<string>;
  active: Field<boolean>;
}

export interface WarehouseRow {
  file: string;
  line: number;
  warehouse_id: string;
  name: string;
}

export interface CompetitorRow {
  file: string;
  line: number;
  competitor_name: string;
}

/** Everything an import brings, validated line by line. */
export interface CatalogInput {
  products: ProductRow[];
  warehouses: WarehouseRow[];
  competitors: CompetitorRow[];
}

/** Refused input: every bad line, and nothing was applied. */
export class CatalogImportError extends Error {
  override name = "CatalogImportError";
  constructor(readonly errors: LineError[]) {
    super(
      `Cannot import the catalog: ${errors.length} ${
        errors.length === 1 ? "line is" : "lines are"
      } bad, so nothing was applied`,
    );
  }
}
