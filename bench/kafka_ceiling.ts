/**
 * The COPY ceiling of the Kafka benchmark: how fast this PostgreSQL takes the
 * very rows the pipeline just wrote when nothing but a plain COPY writes them.
 * Each event table's rows are copied out to a file first (not timed), then
 * timed while `COPY … FROM STDIN` loads them into an identical table (`like
 * … including all`: the same columns, defaults and indexes, the identity of
 * lake_seq and the default of lake_xid included), one table after another, on
 * one connection, in one transaction per table. No dedupe, no metrics, no
 * offsets, no validation: the pipeline's sustained rate divided by this rate
 * says what all that costs.
 */
import type { Sql } from "../lib/db/mod.ts";
import { pipeline } from "node:stream/promises";
import { createReadStream } from "node:fs";

/** The columns a sink writes (the rest are defaults, as in the pipeline). */
const TABLES: Record<string, string[]> = {
  clickstream_events: [
    "event_id",
    "user_id",
    "session_id",
    "event_type",
    "product_id",
    "product_name",
    "product_category",
    "product_price",
    "timestamp",
    "device_type",
    "content_hash",
  ],
  inventory_events: [
    "event_id",
    "product_id",
    "warehouse_id",
    "event_type",
    "quantity_change",
    "applied",
    "stock_after",
    "refusal_reason",
    "timestamp",
    "kafka_partition",
    "kafka_offset",
    "content_hash",
  ],
  competitor_price_history: [
    "event_id",
    "product_id",
    "competitor_name",
    "competitor_price",
    "our_price",
    "price_difference",
    "price_difference_pct",
    "timestamp",
    "content_hash",
  ],
};

export interface Ceiling {
  rows: number;
  seconds: number;
  rowsPerS: number;
}

/**
 * Writes the rows of `query` to `file` in text COPY format. Each chunk is
 * written synchronously as it comes: a COPY TO stream that applies
 * backpressure can leave postgres.js's socket paused after the COPY ends,
 * and the next query on that connection then never completes (seen twice;
 * porsager/postgres#1016, open: CopyData and CopyDone in one socket read).
 */
async function copyOut(sql: Sql, query: string, file: string): Promise<void> {
  const out = await sql.unsafe(`copy (${query}) to stdout`).readable();
  const f = await Deno.open(file, {
    write: true,
    create: true,
    truncate: true,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      out.on("data", (chunk: Uint8Array) => {
        for (let n = 0; n < chunk.length;) n += f.writeSync(chunk.subarray(n));
      });
      out.on("end", resolve);
      out.on("error", reject);
    });
  } finally {
    f.close();
  }
}

const cols = (c: string[]) => c.map((x) => `"${x}"`).join(", ");

/** Copies every event table into a twin and returns the rows/s of the timed loads. */
export async function copyCeiling(sql: Sql, dir: string): Promise<Ceiling> {
  let rows = 0, ms = 0;
  for (const [table, columns] of Object.entries(TABLES)) {
    const file = `${dir}/${table}.copy`;
    await copyOut(sql, `select ${cols(columns)} from ${table}`, file);
    const twin = `ceiling_${table}`;
    await sql.unsafe(`drop table if exists ${twin}`);
    await sql.unsafe(`create table ${twin} (like ${table} including all)`);
    const t0 = performance.now();
    await sql.begin(async (tx) => {
      const into = await tx.unsafe(
        `copy ${twin} (${cols(columns)}) from stdin`,
      ).writable();
      await pipeline(createReadStream(file), into);
    });
    ms += performance.now() - t0;
    const [c] = await sql.unsafe<{ n: number }[]>(
      `select count(*)::int as n from ${twin}`,
    );
    rows += c!.n;
    await sql.unsafe(`drop table ${twin}`);
    await Deno.remove(file);
  }
  return { rows, seconds: ms / 1000, rowsPerS: rows / (ms / 1000) };
}
