/**
 * The lake's column types against the tables they are exported from: a
 * column the database lets be null must be nullable in the lake (the export
 * of a recommendation without competitor prices failed on "Cannot convert
 * null to a BigInt" until it was), and a decimal must keep the column's
 * precision and scale.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import type { Sql } from "../lib/db/mod.ts";
import { exportLake, LocalTarget } from "../lib/lake/mod.ts";
import { insertSampleRows } from "../lib/lake/sample.ts";
import {
  type LakeColumn,
  type LakeType,
  STREAMS,
} from "../lib/lake/streams.ts";
import { duckQuery } from "../lib/lake/duckdb.ts";
import { join } from "node:path";

interface DbColumn {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: "YES" | "NO";
  numeric_precision: number | null;
  numeric_scale: number | null;
}

/** The lake types a column of `dataType` may be exported as. */
const KINDS: Record<string, LakeType["kind"][]> = {
  text: ["string"],
  uuid: ["string"],
  "character varying": ["string"],
  integer: ["int32"],
  smallint: ["int32"],
  bigint: ["int64"],
  boolean: ["bool"],
  "timestamp with time zone": ["timestamp"],
  numeric: ["decimal"],
};

dbTest(
  "lake schema - every column has its table column's type, nullability, precision and scale",
  async ({ sql }) => {
    const rows = await sql<DbColumn[]>`
      select table_name, column_name, data_type, is_nullable,
             numeric_precision, numeric_scale
      from information_schema.columns
      where table_schema = 'ecommerce'
        and table_name = any(${STREAMS.map((s) => s.name)})`;
    const problems: string[] = [];
    for (const s of STREAMS) {
      for (const c of s.columns) {
        const db = rows.find((r) =>
          r.table_name === s.name && r.column_name === c.name
        );
        const at = `${s.name}.${c.name}`;
        if (!db) {
          problems.push(`${at}: no such column`);
          continue;
        }
        if (!(KINDS[db.data_type] ?? []).includes(c.type.kind)) {
          problems.push(`${at}: ${c.type.kind} for a ${db.data_type} column`);
        }
        if (c.nullable !== (db.is_nullable === "YES")) {
          problems.push(
            `${at}: nullable ${c.nullable} in the lake, ${db.is_nullable} in the database`,
          );
        }
        if (
          c.type.kind === "decimal" &&
          (c.type.precision !== db.numeric_precision ||
            c.type.scale !== db.numeric_scale)
        ) {
          problems.push(
            `${at}: decimal(${c.type.precision}, ${c.type.scale}) in the lake, numeric(${db.numeric_precision}, ${db.numeric_scale}) in the database`,
          );
        }
      }
    }
    assertEquals(problems, []);
  },
);

/** Sample rows of every stream over two days, exported to a new folder. */
async function exportSample(sql: Sql, rows: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "lake-test-" });
  await insertSampleRows(sql, { rows, days: 2, start: "2026-11-01" });
  await exportLake(sql, new LocalTarget(dir), { waitMs: 60_000 });
  return dir;
}

dbTest(
  "lake export - nulls arrive as nulls in every nullable column",
  async ({ sql }) => {
    const dir = await exportSample(sql, 2000);
    for (const s of STREAMS) {
      const nullable = s.columns.filter((c) => c.nullable).map((c) => c.name);
      if (nullable.length === 0) continue;
      const counts = (q: (c: string) => string) =>
        nullable.map((c) => `${q(c)} as "${c}"`).join(", ");
      const [db] = await sql.unsafe<Record<string, number>[]>(
        `select ${
          counts((c) => `(count(*) - count("${c}"))::int`)
        } from ${s.name}`,
      );
      const [lake] = await duckQuery(
        `select ${
          counts((c) => `(count(*) - count("${c}"))::int`)
        } from read_parquet('${join(dir, s.name, "*", "*.parquet")}')`,
      );
      assertEquals(
        lake,
        db,
        `${s.name}: nulls per column in the lake and in the database`,
      );
      // The sample must hold nulls for this to test anything.
      for (const c of nullable) {
        assertEquals(
          db![c]! > 0,
          true,
          `the sample has no null ${s.name}.${c}`,
        );
      }
    }
    await Deno.remove(dir, { recursive: true });
  },
);

/**
 * A column's values as one md5, in lake_seq order; `text` turns a value into
 * text the same way in PostgreSQL and in DuckDB (timestamps as microseconds).
 */
function digest(c: LakeColumn, text: (ident: string) => string): string {
  return `md5(string_agg(coalesce(${
    text(`"${c.name}"`)
  }, 'NULL'), ',' order by lake_seq)) as "${c.name}"`;
}

const pgText = (c: LakeColumn) => (v: string) =>
  c.type.kind === "timestamp"
    ? `(extract(epoch from ${v}) * 1000000)::int8::text`
    : `${v}::text`;
const duckText = (c: LakeColumn) => (v: string) =>
  c.type.kind === "timestamp" ? `epoch_us(${v})::varchar` : `${v}::varchar`;

dbTest(
  "lake export - every value of every column reads back as the database holds it",
  async ({ sql }) => {
    const dir = await exportSample(sql, 1500);
    for (const s of STREAMS) {
      const [db] = await sql.unsafe<Record<string, string>[]>(
        `select ${
          s.columns.map((c) => digest(c, pgText(c))).join(", ")
        } from ${s.name}`,
      );
      const [lake] = await duckQuery(
        `select ${
          s.columns.map((c) => digest(c, duckText(c))).join(", ")
        } from read_parquet('${join(dir, s.name, "*", "*.parquet")}')`,
      );
      assertEquals(lake, db, `${s.name}: every column's values`);
    }
    await Deno.remove(dir, { recursive: true });
  },
  ["postgres", "pglite"],
);
