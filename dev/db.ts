/**
 * Scratch databases for tests, benchmarks and scripts: a fresh database on
 * the PostgreSQL server at TEST_DATABASE_URL (default 127.0.0.1:5432), empty
 * or migrated by cloning a template built once per migration set, or a fresh
 * in-memory PGlite. Whoever creates one drops it.
 */
import postgres from "postgres";
import { connect, type Sql } from "../lib/db/mod.ts";
import { migrate, readMigrations } from "../lib/db/migrate.ts";
import { startEmbedded } from "../lib/db/embedded.ts";

/** The server scratch databases are created on (TEST_DATABASE_URL). */
export const PG_URL = Deno.env.get("TEST_DATABASE_URL") ??
  "postgres://postgres@127.0.0.1:5432/test";

/** Where a scratch database lives: the PostgreSQL server or in-memory PGlite. */
export type Backend = "postgres" | "pglite";

/** A scratch database with an open connection pool. */
export interface ScratchDb {
  sql: Sql;
  /** URL of this database (to start subprocesses against it). */
  url: string;
  backend: Backend;
}

/** A database created on a server; `drop()` removes it. */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

function admin(server: string) {
  return postgres(server, { max: 1, connect_timeout: 10, onnotice: () => {} });
}

function dbUrl(server: string, name: string): string {
  const u = new URL(server);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Why the server at `server` does not answer, or null when it does. */
export async function pgProblem(server = PG_URL): Promise<string | null> {
  const sql = postgres(server, {
    max: 1,
    connect_timeout: 3,
    onnotice: () => {},
  });
  try {
    await sql`select 1`;
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

const templates = new Map<string, Promise<string>>();

/** A migrated template database on `server`, built once per migration set. */
function template(server: string): Promise<string> {
  let name = templates.get(server);
  if (!name) templates.set(server, name = buildTemplate(server));
  return name;
}

async function buildTemplate(server: string): Promise<string> {
  const migrations = await readMigrations();
  const hash = await crypto.subtle.digest(
    "SHA-1",
    new TextEncoder().encode(migrations.map((m) => m.text).join("\n")),
  );
  const name = "tpl_" +
    [...new Uint8Array(hash)].slice(0, 6).map((b) =>
      b.toString(16).padStart(2, "0")
    ).join("");
  const sql = postgres(server, { max: 2, onnotice: () => {} });
  const lock = await sql.reserve();
  try {
    // Test files run in parallel: one builds the template, the others wait.
    await lock`select pg_advisory_lock(4242)`;
    const [exists] =
      await sql`select 1 from pg_database where datname = ${name}`;
    if (!exists) {
      await sql.unsafe(`drop database if exists "${name}_build" with (force)`);
      await sql.unsafe(`create database "${name}_build"`);
      const build = connect({ url: dbUrl(server, `${name}_build`), max: 1 });
      await migrate(build);
      await build.end();
      await sql.unsafe(`alter database "${name}_build" rename to "${name}"`);
    }
    await lock`select pg_advisory_unlock(4242)`;
  } finally {
    lock.release();
    await sql.end();
  }
  return name;
}

/**
 * Creates a database named `<prefix>_<random>` on `server` (default
 * {@linkcode PG_URL}): empty, or already migrated when `migrated` is true.
 */
export async function scratchDatabase(
  prefix: string,
  opts: { server?: string; migrated?: boolean } = {},
): Promise<ScratchDatabase> {
  const server = opts.server ?? PG_URL;
  const name = `${prefix}_${
    crypto.randomUUID().replaceAll("-", "").slice(0, 16)
  }`;
  const from = opts.migrated ? ` template "${await template(server)}"` : "";
  const sql = admin(server);
  try {
    await sql.unsafe(`create database "${name}"${from}`);
  } finally {
    await sql.end();
  }
  return {
    url: dbUrl(server, name),
    async drop() {
      const sql = admin(server);
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}

/** Runs `fn` on a fresh, migrated database of `backend` and drops it afterwards. */
export async function withDb(
  backend: Backend,
  fn: (db: ScratchDb) => Promise<void>,
): Promise<void> {
  if (backend === "pglite") {
    const server = await startEmbedded({
      dataDir: "memory://",
      port: 0,
      maxConnections: 12,
    });
    const sql = connect({ url: server.url, max: 8 });
    try {
      await migrate(sql);
      await fn({ sql, url: server.url, backend });
    } finally {
      await sql.end({ timeout: 5 });
      await server.stop();
    }
    return;
  }
  const db = await scratchDatabase("t", { migrated: true });
  const sql = connect({ url: db.url, max: 8 });
  try {
    await fn({ sql, url: db.url, backend });
  } finally {
    await sql.end({ timeout: 5 });
    await db.drop();
  }
}
