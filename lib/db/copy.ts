/**
 * `COPY … FROM STDIN` inside a transaction, with a guard for postgres.js
 * issue #1173: when the server refuses the data of a COPY (a value its input
 * function rejects, a constraint), postgres.js has already resolved the COPY
 * query with the writable stream, so the error it then receives goes to that
 * query's `reject`, which nobody hears; once `end()` was called the stream is
 * detached from the connection and never finishes either, and `sql.begin`
 * waits forever. The guard listens on the query's `reject` itself, so the
 * error ends the COPY at once and the transaction rolls back with it.
 * `lib/db/copy_test.ts` refuses a COPY mid-stream and checks that it rejects
 * promptly and that the connection works afterwards. The guard can go when a
 * postgres.js release rejects a writable COPY's stream on a server error.
 */
import { Buffer } from "node:buffer";
import type { Writable } from "node:stream";
import type { Sql, TransactionSql } from "./mod.ts";
import { isPglite } from "./kind.ts";

/** The parts of a postgres.js query the guard needs. */
interface CopyQuery {
  reject(err: unknown): void;
  writable(): Promise<Writable>;
}

/**
 * Runs `statement` (a `COPY … FROM STDIN`) on `tx` and writes `data` (text
 * COPY format) to it; resolves once the server has taken every row, rejects
 * with the server's error as soon as it refuses one.
 */
export async function copyIn(
  tx: TransactionSql,
  statement: string,
  data: string | Uint8Array,
): Promise<void> {
  const query = tx.unsafe(statement) as unknown as CopyQuery;
  let refuse!: (err: unknown) => void;
  const refused = new Promise<never>((_, reject) => (refuse = reject));
  refused.catch(() => {});
  const reject = query.reject.bind(query);
  query.reject = (err) => {
    refuse(err);
    reject(err);
  };
  const stream = await query.writable();
  const taken = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  stream.end(
    typeof data === "string"
      ? Buffer.from(data)
      : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  );
  await Promise.race([taken, refused]);
}

/**
 * Creates the session's staging table with `ddl` (a `create temp table if not
 * exists <table> … on commit delete rows`) and COPYs `data` into it: the rows
 * a writer then inserts in one set-based statement.
 */
export async function stageRows(
  tx: TransactionSql,
  ddl: string,
  table: string,
  data: string | Uint8Array,
): Promise<void> {
  await tx.unsafe(ddl);
  await copyIn(tx, `copy ${table} from stdin`, data);
}

const utf8 = new TextEncoder();

/**
 * Text COPY data encoded line by line as it is built. A batch's lines kept
 * as strings until one `join` lived through the scavenges of their batch and
 * were promoted (a sampling heap profile of a backlog drain: the lines and
 * the joined text were 23 % of what the processor promoted); encoded at once,
 * each line dies young and the batch is one buffer outside V8's heap.
 */
export class CopyLines {
  #buf: Uint8Array;
  #length = 0;

  constructor(capacity = 64 * 1024) {
    this.#buf = new Uint8Array(capacity);
  }

  /** Appends `line` (already in COPY format, its line break included). */
  add(line: string): void {
    // At most three bytes per UTF-16 unit: one encodeInto always fits.
    const need = this.#length + line.length * 3;
    if (need > this.#buf.length) {
      const grown = new Uint8Array(Math.max(need, this.#buf.length * 2));
      grown.set(this.#buf.subarray(0, this.#length));
      this.#buf = grown;
    }
    this.#length += utf8.encodeInto(line, this.#buf.subarray(this.#length))
      .written;
  }

  /** The bytes added so far (a view, not a copy). */
  bytes(): Uint8Array {
    return this.#buf.subarray(0, this.#length);
  }
}

/**
 * Whether the server behind `sql` takes `COPY … FROM STDIN`: PostgreSQL does;
 * PGlite, served over pglite-socket, closes the connection on CopyData.
 */
export async function canCopyIn(sql: Sql): Promise<boolean> {
  return !(await isPglite(sql));
}

/** A value in text COPY format: `\N` for null, backslash, tab and line breaks escaped. */
export function copyText(v: string | number | null): string {
  if (v === null) return "\\N";
  if (typeof v === "number") return String(v);
  return /[\\\t\n\r]/.test(v)
    ? v.replaceAll("\\", "\\\\").replaceAll("\t", "\\t").replaceAll(
      "\n",
      "\\n",
    ).replaceAll("\r", "\\r")
    : v;
}
