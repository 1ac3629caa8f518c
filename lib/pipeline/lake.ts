/**
 * The lake's watermark per stream, from lake_export_state (kept by
 * lib/lake): every row of a transaction below `done_xid` is in the lake;
 * rows at or above it wait for the next export, counted through the
 * stream's `lake_xid` index.
 */
import type { Sql } from "../db/mod.ts";
import { STREAMS } from "../lake/streams.ts";
import { type LakeWatermark, WAITING_CAP } from "./types.ts";

interface StateRow {
  stream: string;
  done_xid: string;
  pending: boolean;
  rows: string;
  files: string;
  bytes: string;
  last_export_at: Date | null;
}

async function waiting(
  sql: Sql,
  table: string,
  done: string,
): Promise<number | null> {
  try {
    // Counted up to one past the cap: "over 100,000" is all the page says.
    const [r] = await sql<{ n: number }[]>`
      select count(*)::int as n from (
        select 1 from ${sql(table)} where lake_xid >= ${done}::xid8
        limit ${WAITING_CAP + 1}) w`;
    return r!.n;
  } catch {
    return null;
  }
}

/** Every lake stream's watermark; a stream never exported shows all its rows waiting. */
export async function lakeWatermarks(sql: Sql): Promise<LakeWatermark[]> {
  const rows = await sql<StateRow[]>`
    select stream, done_xid::text, pending_xid is not null as pending,
           rows_exported::text as rows, files_exported::text as files,
           bytes_exported::text as bytes, last_export_at
    from lake_export_state`;
  const byName = new Map(rows.map((r) => [r.stream, r]));
  return await Promise.all(STREAMS.map(async (s): Promise<LakeWatermark> => {
    const r = byName.get(s.name);
    const done = r?.done_xid ?? "0";
    return {
      stream: s.name,
      doneXid: done,
      lastExportAt: r?.last_export_at ?? null,
      rowsExported: Number(r?.rows ?? 0),
      filesExported: Number(r?.files ?? 0),
      bytesExported: Number(r?.bytes ?? 0),
      waiting: await waiting(sql, s.name, done),
      pending: r?.pending ?? false,
    };
  }));
}
