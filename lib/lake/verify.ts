/**
 * Compares a local copy of the lake with the database, stream by stream and
 * date by date: row counts, distinct rows and the sum of one column each.
 */
import type { Sql } from "../db/mod.ts";
import { type DateSummary, summarizeLake } from "./duckdb.ts";
import { STREAMS } from "./streams.ts";

/** The column summed per stream when comparing. */
export const MEASURES: Record<string, string> = {
  clickstream_events: "product_price",
  inventory_events: "quantity_change",
  competitor_price_history: "competitor_price",
  pricing_recommendation_history: "recommended_price",
};

export interface StreamComparison {
  stream: string;
  db: DateSummary[];
  lake: DateSummary[];
}

/** The database's per-date figures of one stream (distinct = rows). */
export async function summarizeDb(
  sql: Sql,
  stream: string,
): Promise<DateSummary[]> {
  const s = STREAMS.find((s) => s.name === stream)!;
  const day = sql(s.dateColumn), measure = sql(MEASURES[stream]!);
  const rows = await sql<
    { date: string; rows: number; sum: string | null }[]
  >`select to_char((${day} at time zone 'UTC')::date, 'YYYY-MM-DD') as date,
      count(*)::int as rows, sum(${measure})::text as sum
    from ${sql(stream)} group by 1 order by 1`;
  return rows.map((r) => ({ ...r, distinct: r.rows }));
}

/** Summaries of every stream in the database and in the lake copy at `dir`. */
export async function compareLake(
  sql: Sql,
  dir: string,
): Promise<StreamComparison[]> {
  const out: StreamComparison[] = [];
  for (const s of STREAMS) {
    out.push({
      stream: s.name,
      db: await summarizeDb(sql, s.name),
      lake: await summarizeLake(dir, s.name, MEASURES[s.name]!),
    });
  }
  return out;
}
