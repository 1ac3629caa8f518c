/**
 * The export state in the database (table `lake_export_state`, sql/005):
 * per stream, the transaction id below which every row is in the lake, and
 * the window being written. See sql/005_lake.sql for why transaction ids and
 * not timestamps or sequence numbers.
 */
import type { Sql } from "../db/mod.ts";
import { logger } from "../log.ts";

const log = logger("lake");
const LOCK_KEY = 0x6c616b65; // "lake"

export interface StreamState {
  stream: string;
  /** Every row inserted by a transaction below this id is in the lake. */
  doneXid: bigint;
  /** Upper end of the window being written, when a run did not finish it. */
  pendingXid: bigint | null;
  pendingFileRows: number | null;
  /** Set by a reset until the stream's old files are deleted. */
  clearPending: boolean;
}

/** A part file written in a window, recorded when the window commits. */
export interface PartFile {
  key: string;
  date: string;
  firstSeq: bigint;
  lastSeq: bigint;
  rows: number;
  bytes: number;
}

/** Reads a stream's state, creating it (nothing exported) on first use. */
export async function loadState(
  sql: Sql,
  stream: string,
): Promise<StreamState> {
  await sql`insert into lake_export_state (stream) values (${stream})
            on conflict (stream) do nothing`;
  const [r] = await sql<
    {
      done_xid: string;
      pending_xid: string | null;
      pending_file_rows: number | null;
      clear_pending: boolean;
    }[]
  >`select done_xid::text, pending_xid::text, pending_file_rows, clear_pending
    from lake_export_state where stream = ${stream}`;
  return {
    stream,
    doneXid: BigInt(r!.done_xid),
    pendingXid: r!.pending_xid === null ? null : BigInt(r!.pending_xid),
    pendingFileRows: r!.pending_file_rows,
    clearPending: r!.clear_pending,
  };
}

/** Records that the window [doneXid, upper) is about to be written. */
export async function beginWindow(
  sql: Sql,
  stream: string,
  upper: bigint,
  fileRows: number,
): Promise<void> {
  await sql`update lake_export_state
    set pending_xid = ${upper.toString()}::xid8, pending_file_rows = ${fileRows}, updated_at = now()
    where stream = ${stream}`;
}

/**
 * Advances the watermark to `upper` and records the window's files, in one
 * transaction; called only after every file of the window is stored.
 */
export async function commitWindow(
  sql: Sql,
  stream: string,
  upper: bigint,
  files: readonly PartFile[],
): Promise<void> {
  const rows = files.reduce((n, f) => n + f.rows, 0);
  const bytes = files.reduce((n, f) => n + f.bytes, 0);
  await sql.begin(async (tx) => {
    await tx`update lake_export_state
      set done_xid = ${upper.toString()}::xid8, pending_xid = null, pending_file_rows = null,
          rows_exported = rows_exported + ${rows}, files_exported = files_exported + ${files.length},
          bytes_exported = bytes_exported + ${bytes}, last_export_at = now(), updated_at = now()
      where stream = ${stream}`;
    if (files.length === 0) return;
    await tx`insert into lake_export_files (stream, key, lake_date, first_seq, last_seq, rows, bytes)
      select ${stream}, * from unnest(${files.map((f) => f.key)}::text[], ${
      files.map((f) => f.date)
    }::date[], ${files.map((f) => f.firstSeq.toString())}::int8[], ${
      files.map((f) => f.lastSeq.toString())
    }::int8[], ${files.map((f) => f.rows)}::int4[], ${
      files.map((f) => f.bytes)
    }::int8[])
      on conflict (key) do nothing`;
  });
}

/** Forgets what was exported: every stream starts over and clears its files first. */
export async function resetState(
  sql: Sql,
  streams: readonly string[],
): Promise<void> {
  await sql.begin(async (tx) => {
    for (const s of streams) {
      await tx`insert into lake_export_state (stream) values (${s})
               on conflict (stream) do nothing`;
    }
    await tx`update lake_export_state
      set done_xid = '0', pending_xid = null, pending_file_rows = null, clear_pending = true,
          rows_exported = 0, files_exported = 0, bytes_exported = 0, updated_at = now()
      where stream = any(${streams as string[]})`;
    await tx`delete from lake_export_files where stream = any(${streams as string[]})`;
  });
}

/** Marks a stream's old files as deleted (the end of a reset's first step). */
export async function clearDone(sql: Sql, stream: string): Promise<void> {
  await sql`update lake_export_state set clear_pending = false, updated_at = now()
            where stream = ${stream}`;
}

/**
 * The upper end of the next window: the xmax of a snapshot taken now (so
 * everything committed before the export started is included), once every
 * transaction below it has ended. A transaction still open after `waitMs`
 * is left for a later run: the window then stops at the oldest open one.
 */
export async function windowUpper(sql: Sql, waitMs: number): Promise<bigint> {
  const snap = async () => {
    const [r] = await sql<
      { s: string }[]
    >`select pg_current_snapshot()::text as s`;
    const [xmin, xmax] = r!.s.split(":");
    return { xmin: BigInt(xmin!), xmax: BigInt(xmax!) };
  };
  const first = await snap();
  const deadline = Date.now() + waitMs;
  let xmin = first.xmin;
  while (xmin < first.xmax) {
    if (Date.now() >= deadline) {
      log.warn(
        "a transaction is still open; its rows wait for the next export",
        {
          oldest_open_xid: xmin.toString(),
        },
      );
      return xmin;
    }
    await new Promise((r) => setTimeout(r, 50));
    xmin = (await snap()).xmin;
  }
  return first.xmax;
}

/** Thrown when another export holds the lock. */
export class LakeBusyError extends Error {
  override name = "LakeBusyError";
}

/** Runs `fn` holding the export lock, so two exports never write the same window. */
export async function withExportLock<T>(
  sql: Sql,
  fn: () => Promise<T>,
): Promise<T> {
  const conn = await sql.reserve();
  try {
    const [r] = await conn<
      { ok: boolean }[]
    >`select pg_try_advisory_lock(${LOCK_KEY}) as ok`;
    if (!r!.ok) {
      throw new LakeBusyError(
        "Cannot export the lake: another export is running",
      );
    }
    try {
      return await fn();
    } finally {
      await conn`select pg_advisory_unlock(${LOCK_KEY})`;
    }
  } finally {
    conn.release();
  }
}
