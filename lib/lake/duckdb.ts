/**
 * Reads the lake back with DuckDB (`@duckdb/node-api`), the way a data
 * engineer would: `read_parquet(..., hive_partitioning = true)`. Used by the
 * tests and the benchmark to check the lake against the database.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { join } from "node:path";
import type { LakeTarget } from "./target.ts";

/** Per-date figures of one stream: rows, distinct lake_seq and a column's sum. */
export interface DateSummary {
  date: string;
  rows: number;
  distinct: number;
  /** Null when every value of the column is null on that date. */
  sum: string | null;
}

/** Runs one DuckDB query and returns its rows as JSON-safe objects. */
export async function duckQuery(
  query: string,
): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  try {
    const r = await conn.runAndReadAll(query);
    return r.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * Summarises `<dir>/<stream>/date=*\/*.parquet` per date with DuckDB; `sumOf`
 * is a column name of the stream. An absent stream folder gives no dates.
 */
export async function summarizeLake(
  dir: string,
  stream: string,
  sumOf: string,
): Promise<DateSummary[]> {
  try {
    await Deno.stat(join(dir, stream));
  } catch {
    return [];
  }
  const glob = join(dir, stream, "*", "*.parquet");
  const rows = await duckQuery(
    `select strftime(date, '%Y-%m-%d') as date, count(*)::int as rows,
       count(distinct lake_seq)::int as distinct, sum("${sumOf}")::varchar as sum
     from read_parquet(${lit(glob)}, hive_partitioning = true)
     group by all order by 1`,
  );
  return rows.map((r) => ({
    date: String(r.date),
    rows: Number(r.rows),
    distinct: Number(r.distinct),
    sum: r.sum === null ? null : String(r.sum),
  }));
}

/**
 * Copies every object of a target into a local folder (DuckDB's httpfs
 * extension cannot be downloaded here, so S3 lakes are read from a copy).
 */
export async function downloadLake(
  target: LakeTarget,
  dir: string,
): Promise<number> {
  const keys = await target.list("");
  for (const key of keys) {
    const path = join(dir, key);
    await Deno.mkdir(join(path, ".."), { recursive: true });
    await Deno.writeFile(path, await target.get(key));
  }
  return keys.length;
}
