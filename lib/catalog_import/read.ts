/**
 * From what a retailer sends to {@linkcode RawSection}s: a CSV file, whose
 * header says what it holds (a `product_id`, `warehouse_id` or
 * `competitor_name` column), or a JSON object with `products`, `warehouses`
 * and `competitors` arrays. Column names are matched without regard to case,
 * spaces or hyphens, and a few common spellings are understood
 * (`product_name`, `base_price`, `cost`, `map`).
 */
import { CsvError, parseCsv } from "./csv.ts";
import type { LineError, RawRecord, RawSection, Section } from "./types.ts";

/** The columns of each kind of file; the required ones first. */
export const COLUMNS: Record<
  Section,
  { required: readonly string[]; optional: readonly string[] }
> = {
  products: {
    required: ["product_id", "name", "category", "list_price"],
    optional: [
      "unit_cost",
      "map_price",
      "min_price",
      "max_price",
      "currency",
      "active",
    ],
  },
  warehouses: { required: ["warehouse_id", "name"], optional: [] },
  competitors: { required: ["competitor_name"], optional: [] },
};

const ALIASES: Record<string, string> = {
  product_name: "name",
  warehouse_name: "name",
  base_price: "list_price",
  cost: "unit_cost",
  map: "map_price",
  competitor: "competitor_name",
};

/** `"List Price"` → `list_price`, `"MAP"` → `map_price`. */
export function columnName(raw: string): string {
  const n = raw.trim().toLowerCase().replace(/[\s-]+/g, "_");
  return ALIASES[n] ?? n;
}

/** What a file with these columns holds, or null when it cannot be told. */
function kindOf(columns: readonly string[]): Section | null {
  if (columns.includes("product_id")) return "products";
  if (columns.includes("warehouse_id")) return "warehouses";
  if (columns.includes("competitor_name")) return "competitors";
  return null;
}

/** Problems with a header: unknown, repeated or missing columns. */
function headerProblem(kind: Section, columns: readonly string[]) {
  const { required, optional } = COLUMNS[kind];
  const known = [...required, ...optional];
  const unknown = columns.find((c) => !known.includes(c));
  if (unknown !== undefined) {
    return {
      column: unknown,
      reason: `unknown column for ${kind}; expected ${known.join(", ")}`,
    };
  }
  const twice = columns.find((c, i) => columns.indexOf(c) !== i);
  if (twice !== undefined) return { column: twice, reason: "column repeated" };
  const missing = required.find((c) => !columns.includes(c));
  if (missing !== undefined) {
    return { column: missing, reason: `required column missing for ${kind}` };
  }
  return null;
}

/** Reads one CSV file; a problem with the file itself comes back as its one error. */
export function readCsv(
  file: string,
  text: string,
): { section: RawSection } | { error: LineError } {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const reason = err.message.replace(/^line \d+: /, "");
    return {
      error: { file, line: err.line, column: null, value: null, reason },
    };
  }
  const [header, ...data] = rows;
  if (!header) {
    return {
      error: {
        file,
        line: 1,
        column: null,
        value: null,
        reason: "the file is empty",
      },
    };
  }
  const columns = header.cells.map(columnName);
  const kind = kindOf(columns);
  const problem = kind ? headerProblem(kind, columns) : {
    column: null,
    reason:
      "cannot tell what the file holds: expected a product_id, warehouse_id or competitor_name column",
  };
  if (problem || !kind) {
    return {
      error: { file, line: header.line, value: null, ...problem! },
    };
  }
  const records: RawRecord[] = [];
  for (const r of data) {
    if (r.cells.length !== columns.length) {
      return {
        error: {
          file,
          line: r.line,
          column: null,
          value: null,
          reason:
            `has ${r.cells.length} cells, the header has ${columns.length}`,
        },
      };
    }
    records.push({
      line: r.line,
      values: new Map(columns.map((c, i) => [c, r.cells[i]!])),
    });
  }
  return { section: { file, kind, records } };
}

const SECTIONS: readonly Section[] = ["products", "warehouses", "competitors"];

function jsonCell(v: unknown): string | undefined {
  if (v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/** One JSON item as a record; item numbers count from 1, like lines. */
function jsonRecord(
  kind: Section,
  item: unknown,
  n: number,
): RawRecord | LineError {
  const at = { file: kind, line: n };
  if (item === null || typeof item !== "object" || Array.isArray(item)) {
    return { ...at, column: null, value: null, reason: "expected an object" };
  }
  const values = new Map<string, string>();
  for (const [k, v] of Object.entries(item)) {
    const cell = jsonCell(v);
    if (cell === undefined) {
      return {
        ...at,
        column: k,
        value: null,
        reason: "expected text, a number, true, false or null",
      };
    }
    values.set(columnName(k), cell);
  }
  const problem = headerProblem(kind, [...values.keys()]);
  return problem ? { ...at, value: null, ...problem } : { line: n, values };
}

/** Reads `{"products": [...], "warehouses": [...], "competitors": [...]}`. */
export function readJson(
  body: unknown,
): { sections: RawSection[]; errors: LineError[] } {
  const errors: LineError[] = [];
  const top = { file: "body", line: 1, value: null };
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    errors.push({
      ...top,
      column: null,
      reason: 'expected an object such as {"products": [...]}',
    });
    return { sections: [], errors };
  }
  const sections: RawSection[] = [];
  for (const [key, list] of Object.entries(body)) {
    if (
      !(SECTIONS as readonly string[]).includes(key) || !Array.isArray(list)
    ) {
      errors.push({
        ...top,
        column: key,
        reason: `expected the arrays ${SECTIONS.join(", ")}`,
      });
      continue;
    }
    const kind = key as Section;
    const records: RawRecord[] = [];
    list.forEach((item, i) => {
      const r = jsonRecord(kind, item, i + 1);
      if ("reason" in r) errors.push(r);
      else records.push(r);
    });
    sections.push({ file: kind, kind, records });
  }
  return { sections, errors };
}
