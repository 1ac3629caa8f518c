/**
 * The database seam: one postgres.js instance per process, talking either to
 * the server named by DATABASE_URL / PG* variables or to embedded PGlite.
 */
import postgres from "postgres";
import type { Config } from "../config.ts";
import { type EmbeddedServer, startEmbedded } from "./embedded.ts";
import { migrate } from "./migrate.ts";
import { resettable } from "./guard.ts";
import { noDelaySocket } from "./socket.ts";
import { arrayTypes } from "./arrays.ts";
import { logger } from "../log.ts";

export type Sql = postgres.Sql<Record<string, never>>;
export type TransactionSql = postgres.TransactionSql<Record<string, never>>;

const log = logger("db");

export interface Database {
  readonly sql: Sql;
  /** Where the data lives, without credentials (safe to log). */
  readonly description: string;
  readonly embedded: boolean;
  close(): Promise<void>;
}

/** Options for {@linkcode connect}. */
export interface ConnectOptions {
  url: string;
  max?: number;
}

/**
 * Opens a postgres.js pool with the platform's session settings. The pool is
 * replaced behind the returned handle if postgres.js wedges one of its
 * connections after the server dropped it (see `guard.ts`), so callers keep
 * one `sql` for the life of the process.
 */
export function connect({ url, max = 10 }: ConnectOptions): Sql {
  return resettable(() => postgres(url, poolOptions(max)) as unknown as Sql);
}

/** The postgres.js options of every pool the platform opens. */
export function poolOptions(max: number) {
  return {
    max,
    onnotice: () => {},
    connection: {
      search_path: "ecommerce, public",
      application_name: "pricing-platform",
    },
    idle_timeout: 30,
    connect_timeout: 10,
    // Array parameters work even where the pool never read pg_type (arrays.ts).
    types: arrayTypes,
    // postgres.js takes `socket` but its types do not list it.
    ...{ socket: noDelaySocket } as Record<never, never>,
  };
}
/** Strips the password from a URL so it can be logged. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable URL)";
  }
}

/** The server to use; undefined means embedded PGlite. */
function serverUrl(config: Config): string | undefined {
  return config.databaseUrl || undefined;
}

/** A connection failure described in one sentence, for start-up errors. */
export function describeConnectError(err: unknown, where: string): string {
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case "ECONNREFUSED":
      return `Cannot connect to PostgreSQL at ${where}: connection refused (is the server running?)`;
    case "28P01":
    case "28000":
      return `Cannot connect to PostgreSQL at ${where}: authentication failed (check the user and password in DATABASE_URL)`;
    case "3D000":
      return `Cannot connect to PostgreSQL at ${where}: the database does not exist`;
    default:
      return `Cannot connect to PostgreSQL at ${where}: ${
        e.message ?? String(err)
      }`;
  }
}

/**
 * Opens the configured database, starting embedded PGlite when no server is
 * configured, checks it answers and applies the migrations. The SQL models
 * (`lib/models/`) are built by the caller that needs them.
 */
export async function openDatabase(
  config: Config,
  opts: { migrate?: boolean } = {},
): Promise<Database> {
  const url = serverUrl(config);
  let embedded: EmbeddedServer | undefined;
  let target: string;
  if (url) {
    target = url;
  } else {
    embedded = await startEmbedded({
      dataDir: `${config.dataDir}/pg`,
      port: config.embeddedPgPort,
      maxConnections: config.dbPoolMax + 4,
    });
    target = embedded.url;
  }
  const description = embedded
    ? `embedded PGlite (${config.dataDir}/pg)`
    : redactUrl(target);
  const sql = connect({ url: target, max: config.dbPoolMax });
  try {
    await sql`select 1`;
    if (opts.migrate !== false) await migrate(sql);
  } catch (err) {
    await sql.end({ timeout: 1 }).catch(() => {});
    await embedded?.stop();
    throw new Error(describeConnectError(err, description), { cause: err });
  }
  log.info("database ready", { db: description });
  return {
    sql,
    description,
    embedded: embedded !== undefined,
    async close() {
      await sql.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}

/**
 * Opens the database for a command-line tool (`deno task quality`, ...).
 * With no server configured, the embedded data folder can only be open in
 * one process: when `deno task start` runs, its PGlite answers on
 * 127.0.0.1:EMBEDDED_PG_PORT, so the tool connects there; only when nothing
 * answers does it open the data folder itself.
 */
export async function openDatabaseForTool(
  config: Config,
  opts: { migrate?: boolean } = {},
): Promise<Database> {
  if (serverUrl(config)) return openDatabase(config, opts);
  const url = `postgres://postgres@127.0.0.1:${config.embeddedPgPort}/postgres`;
  const sql = connect({ url, max: 2 });
  try {
    await sql`select 1`;
  } catch (err) {
    await sql.end({ timeout: 1 }).catch(() => {});
    if ((err as { code?: string }).code !== "ECONNREFUSED") {
      throw new Error(describeConnectError(err, redactUrl(url)), {
        cause: err,
      });
    }
    return openDatabase(config, opts);
  }
  const description =
    `embedded PGlite of a running platform (127.0.0.1:${config.embeddedPgPort})`;
  log.info("database ready", { db: description });
  return {
    sql,
    description,
    embedded: false,
    close: () => sql.end({ timeout: 5 }),
  };
}
