/**
 * Lake export figures. Rows, bytes, files and the last successful window are
 * read at scrape time from `lake_export_state` (kept by lib/lake, so they
 * count exports made by any process, the CLI included); the duration comes
 * from the jobs role's runs (see jobs.ts).
 */
import type { Sql } from "../db/mod.ts";
import type { Metrics } from "./definitions.ts";
import { isMissingTable, readOnly } from "./read.ts";

/** One stream's export totals. */
export interface LakeStream {
  stream: string;
  rows: number;
  bytes: number;
  files: number;
  lastExportAt: Date | null;
}

/** Reads every stream's export totals (empty before the lake migration). */
export async function readLake(sql: Sql): Promise<LakeStream[]> {
  try {
    const rows = await readOnly(sql, (tx) =>
      tx<
        {
          stream: string;
          rows: string;
          bytes: string;
          files: string;
          last_export_at: Date | null;
        }[]
      >`
        select stream, rows_exported::text as rows, bytes_exported::text as bytes,
               files_exported::text as files, last_export_at
        from lake_export_state order by stream`);
    return rows.map((r) => ({
      stream: r.stream,
      rows: Number(r.rows),
      bytes: Number(r.bytes),
      files: Number(r.files),
      lastExportAt: r.last_export_at,
    }));
  } catch (err) {
    if (isMissingTable(err)) return [];
    throw err;
  }
}

/** Replaces the lake series with `streams`. */
export function setLake(m: Metrics, streams: readonly LakeStream[]): void {
  // The totals live in the database, so the counters mirror them: a reset
  // (lake:export --reset) shows up as an ordinary counter reset.
  for (const c of [m.lakeRows, m.lakeBytes, m.lakeFiles]) c.reset();
  m.lakeLastSuccess.reset();
  for (const s of streams) {
    const labels = { stream: s.stream };
    m.lakeRows.inc(labels, s.rows);
    m.lakeBytes.inc(labels, s.bytes);
    m.lakeFiles.inc(labels, s.files);
    if (s.lastExportAt) {
      m.lakeLastSuccess.set(labels, s.lastExportAt.getTime() / 1000);
    }
  }
}
