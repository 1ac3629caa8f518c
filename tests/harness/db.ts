/**
 * Real databases for tests. Each test gets its own database: on the
 * PostgreSQL server (TEST_DATABASE_URL, default 127.0.0.1:5432) a fresh
 * database cloned from a migrated template, or a fresh in-memory PGlite.
 * Where the server is not reachable the test is skipped with a loud message,
 * and under CI=true it fails instead.
 */
import postgres from "postgres";
import { connect, type Sql } from "../../lib/db/mod.ts";
import { migrate, readMigrations } from "../../lib/db/migrate.ts";
import { startEmbedded } from "../../lib/db/embedded.ts";
import { configureLog } from "../../lib/log.ts";

configureLog({ level: Deno.env.get("TEST_LOG_LEVEL") ?? "warn" });

export const PG_URL = Deno.env.get("TEST_DATABASE_URL") ??
  "postgres://postgres@127.0.0.1:5432/test";
export const IN_CI = Deno.env.get("CI") === "true";

export type Backend = "postgres" | "pglite";

export interface TestDb {
  sql: Sql;
  /** URL of this test's database (to start subprocesses against it). */
  url: string;
  backend: Backend;
}

async function probe(): Promise<string | null> {
  const sql = postgres(PG_URL, {
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

const pgProblem = await probe();
if (pgProblem) {
  const msg =
    `\n!!! PostgreSQL at ${PG_URL} is not reachable (${pgProblem}); ` +
    (IN_CI
      ? "CI=true, so its tests FAIL.\n"
      : "its integration tests are SKIPPED.\n");
  Deno.stderr.writeSync(new TextEncoder().encode(msg));
}

/** True when the PostgreSQL server answers. */
export const pgAvailable = pgProblem === null;

function dbUrl(name: string): string {
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

let templateName: Promise<string> | undefined;

/** A migrated template database, built once per migration set. */
function template(): Promise<string> {
  return templateName ??= (async () => {
    const migrations = await readMigrations();
    const hash = await crypto.subtle.digest(
      "SHA-1",
      new TextEncoder().encode(migrations.map((m) => m.text).join("\n")),
    );
    const name = "tpl_" +
      [...new Uint8Array(hash)].slice(0, 6).map((b) =>
        b.toString(16).padStart(2, "0")
      ).join("");
    const admin = postgres(PG_URL, { max: 2, onnotice: () => {} });
    const lock = await admin.reserve();
    try {
      // Test files run in parallel: one builds the template, the others wait.
      await lock`select pg_advisory_lock(4242)`;
      const [exists] =
        await admin`select 1 from pg_database where datname = ${name}`;
      if (!exists) {
        await admin.unsafe(
          `drop database if exists "${name}_build" with (force)`,
        );
        await admin.unsafe(`create database "${name}_build"`);
        const sql = connect({ url: dbUrl(`${name}_build`), max: 1 });
        await migrate(sql);
        await sql.end();
        await admin.unsafe(
          `alter database "${name}_build" rename to "${name}"`,
        );
      }
      await lock`select pg_advisory_unlock(4242)`;
    } finally {
      lock.release();
      await admin.end();
    }
    return name;
  })();
}

/** Creates a fresh, migrated database for one test and drops it afterwards. */
export async function withDb(
  backend: Backend,
  fn: (db: TestDb) => Promise<void>,
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
  const tpl = await template();
  const name = `t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template "${tpl}"`);
  const url = dbUrl(name);
  const sql = connect({ url, max: 8 });
  try {
    await fn({ sql, url, backend });
  } finally {
    await sql.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

/**
 * Registers a test that runs against each of `backends` ("postgres" is
 * skipped, or failed under CI, when the server is unreachable).
 */
export function dbTest(
  name: string,
  fn: (db: TestDb) => Promise<void>,
  backends: readonly Backend[] = ["postgres"],
): void {
  for (const backend of backends) {
    const unavailable = backend === "postgres" && !pgAvailable;
    Deno.test({
      name: backends.length > 1 ? `${name} [${backend}]` : name,
      ignore: unavailable && !IN_CI,
      sanitizeOps: false,
      sanitizeResources: false,
      fn: async () => {
        if (unavailable) {
          throw new Error(
            `PostgreSQL at ${PG_URL} is not reachable and CI=true: ${pgProblem}`,
          );
        }
        await withDb(backend, fn);
      },
    });
  }
}
