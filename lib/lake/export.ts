/**
 * The incremental export: for each stream, the rows of the transactions in
 * the window [done_xid, upper) become Parquet part files, one run of files
 * per UTC date, and only then does the watermark move to `upper`.
 *
 * Failure halfway: files already stored stay, the watermark stays, and the
 * window stays recorded as pending with its file split. The next run
 * rebuilds the same window, which yields the same file names and contents
 * (its rows can no longer change: every transaction in it has ended), and
 * skips the files already stored, so nothing is lost or stored twice.
 *
 * Reset (`--reset`) first sets every stream back to nothing exported with a
 * "clear" flag, then deletes the stream's files, clears the flag and exports
 * the full history. A failure at any point leaves no duplicates: the flag
 * makes the next run delete again before writing; until a reset completes a
 * reader sees part of the history (never a row twice).
 */
import type { Sql } from "../db/mod.ts";
import { logger } from "../log.ts";
import { encodeParquet } from "./parquet.ts";
import {
  beginWindow,
  clearDone,
  commitWindow,
  loadState,
  type PartFile,
  resetState,
  windowUpper,
  withExportLock,
} from "./state.ts";
import {
  dateExpression,
  type LakeStream,
  selectExpression,
  STREAMS,
} from "./streams.ts";
import { type LakeTarget, LocalTarget } from "./target.ts";
import { inParallel } from "./parallel.ts";

const log = logger("lake");

/** Default rows per part file: bounds the exporter's memory (~150 MB per stream in flight). */
export const FILE_ROWS = 500_000;

/**
 * Streams exported at once: while one stream's rows are encoded on this
 * thread, PostgreSQL reads the next rows of the other; more than the cores
 * would only hold more part files in memory.
 */
export const PARALLEL = Math.min(2, navigator.hardwareConcurrency || 1);

export interface ExportProgress {
  stream: string;
  rows: number;
  total: number;
  files: number;
  bytes: number;
}

export interface ExportOptions {
  streams?: readonly LakeStream[];
  /** Forget the export state and re-export the full history. */
  reset?: boolean;
  /** Maximum rows per part file (default {@linkcode FILE_ROWS}). */
  fileRows?: number;
  /** How long to wait for transactions open when the export starts (default 30 s). */
  waitMs?: number;
  /** Rows fetched from PostgreSQL per round trip (default 10,000). */
  fetchRows?: number;
  /**
   * Streams exported at once (default 1: one after another, the order the
   * failure tests rely on); the CLI, the hourly job and the bench pass
   * {@linkcode PARALLEL}.
   */
  parallel?: number;
  onProgress?: (p: ExportProgress) => void;
}

export interface StreamResult {
  stream: string;
  files: PartFile[];
  rows: number;
  bytes: number;
  /** Files of a failed earlier run found already stored (not written again). */
  reused: number;
}

export interface ExportResult {
  streams: StreamResult[];
  files: number;
  rows: number;
  bytes: number;
  ms: number;
}

/** Exports everything new since the last export of each stream. */
export function exportLake(
  sql: Sql,
  target: LakeTarget,
  opts: ExportOptions = {},
): Promise<ExportResult> {
  const streams = opts.streams ?? STREAMS;
  const t0 = performance.now();
  return withExportLock(sql, async () => {
    if (target instanceof LocalTarget) {
      const swept = await target.sweep();
      if (swept) {
        log.warn("removed temporaries of an interrupted export", {
          files: swept,
        });
      }
    }
    if (opts.reset) await resetState(sql, streams.map((s) => s.name));
    const results = await inParallel(
      streams,
      opts.parallel ?? 1,
      (s) => exportStream(sql, target, s, opts),
    );
    return {
      streams: results,
      files: results.reduce((n, r) => n + r.files.length, 0),
      rows: results.reduce((n, r) => n + r.rows, 0),
      bytes: results.reduce((n, r) => n + r.bytes, 0),
      ms: performance.now() - t0,
    };
  });
}

async function exportStream(
  sql: Sql,
  target: LakeTarget,
  stream: LakeStream,
  opts: ExportOptions,
): Promise<StreamResult> {
  const result: StreamResult = {
    stream: stream.name,
    files: [],
    rows: 0,
    bytes: 0,
    reused: 0,
  };
  const state = await loadState(sql, stream.name);
  if (state.clearPending) {
    const old = await target.list(`${stream.name}/`);
    await target.remove(old);
    await clearDone(sql, stream.name);
    log.info("reset: deleted the stream's files", {
      stream: stream.name,
      files: old.length,
    });
  }
  let done = state.doneXid;
  if (state.pendingXid !== null) {
    log.info("resuming an interrupted export", { stream: stream.name });
    const fileRows = state.pendingFileRows ?? opts.fileRows ?? FILE_ROWS;
    await writeWindow(
      sql,
      target,
      stream,
      [done, state.pendingXid],
      fileRows,
      true,
      opts,
      result,
    );
    done = state.pendingXid;
  }
  const upper = await windowUpper(sql, opts.waitMs ?? 30_000);
  if (upper > done) {
    const fileRows = opts.fileRows ?? FILE_ROWS;
    await beginWindow(sql, stream.name, upper, fileRows);
    await writeWindow(
      sql,
      target,
      stream,
      [done, upper],
      fileRows,
      false,
      opts,
      result,
    );
  }
  return result;
}

const pad = (n: bigint) => n.toString().padStart(12, "0");

/** The key of a part file: `<stream>/date=YYYY-MM-DD/part-<first>-<last>.parquet`. */
export function partKey(
  stream: string,
  date: string,
  first: bigint,
  last: bigint,
): string {
  return `${stream}/date=${date}/part-${pad(first)}-${pad(last)}.parquet`;
}

/**
 * Collects one date's rows (in lake_seq order) and stores them as part files
 * of at most `fileRows` rows. When resuming a window, a file already stored
 * by the failed run has the same name and rows, so it is kept, not rewritten.
 */
class PartWriter {
  readonly files: PartFile[] = [];
  reused = 0;
  #buffer: unknown[][] = [];
  #date = "";
  readonly #seqAt: number;

  constructor(
    readonly target: LakeTarget,
    readonly stream: LakeStream,
    readonly fileRows: number,
    readonly resume: boolean,
  ) {
    this.#seqAt = stream.columns.findIndex((c) => c.name === "lake_seq");
  }

  get bytes(): number {
    return this.files.reduce((n, f) => n + f.bytes, 0);
  }

  async add(row: unknown[], date: string): Promise<void> {
    if (date !== this.#date || this.#buffer.length >= this.fileRows) {
      await this.flush();
      this.#date = date;
    }
    this.#buffer.push(row);
  }

  async flush(): Promise<void> {
    const rows = this.#buffer, date = this.#date;
    if (rows.length === 0) return;
    this.#buffer = [];
    const firstSeq = BigInt(rows[0]![this.#seqAt] as string);
    const lastSeq = BigInt(rows[rows.length - 1]![this.#seqAt] as string);
    const key = partKey(this.stream.name, date, firstSeq, lastSeq);
    const bytes = encodeParquet(this.stream, rows);
    if (this.resume && await this.target.exists(key)) this.reused++;
    else await this.target.put(key, bytes);
    this.files.push({
      key,
      date,
      firstSeq,
      lastSeq,
      rows: rows.length,
      bytes: bytes.length,
    });
  }
}

/**
 * Writes the rows of the window's transactions, ordered by date then
 * lake_seq, then commits the watermark.
 */
async function writeWindow(
  sql: Sql,
  target: LakeTarget,
  stream: LakeStream,
  [lo, hi]: [bigint, bigint],
  fileRows: number,
  resume: boolean,
  opts: ExportOptions,
  result: StreamResult,
): Promise<void> {
  const from = lo.toString(), to = hi.toString();
  const inWindow = sql`lake_xid >= ${from}::xid8 and lake_xid < ${to}::xid8`;
  const [c] = await sql<{ n: number }[]>`
    select count(*)::int as n from ${sql(stream.name)} where ${inWindow}`;
  const total = c!.n;
  const writer = new PartWriter(target, stream, fileRows, resume);
  const day = sql.unsafe(dateExpression(stream));
  const list = sql.unsafe(stream.columns.map(selectExpression).join(", "));
  const query = sql`select ${list}, ${day} from ${sql(stream.name)}
    where ${inWindow} order by ${day}, lake_seq`.values();
  let rows = 0;
  const progress = () =>
    opts.onProgress?.({
      stream: stream.name,
      rows,
      total,
      files: writer.files.length,
      bytes: writer.bytes,
    });
  progress();
  const dateAt = stream.columns.length;
  for await (const batch of query.cursor(opts.fetchRows ?? 10_000)) {
    for (const row of batch as unknown[][]) {
      await writer.add(row, row[dateAt] as string);
    }
    rows += batch.length;
    progress();
  }
  await writer.flush();
  await commitWindow(sql, stream.name, hi, writer.files);
  result.files.push(...writer.files);
  result.reused += writer.reused;
  result.rows += rows;
  result.bytes += writer.bytes;
}
