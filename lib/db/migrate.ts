/**
 * Applies the numbered migrations in `sql/` (NNN_name.sql) in order, each in
 * its own transaction, recording them in `ecommerce.schema_migrations`. An
 * advisory lock makes concurrent starts (several processors) safe.
 */
import type { Sql } from "./mod.ts";
import { logger } from "../log.ts";

const log = logger("migrate");
const SQL_DIR = new URL("../../sql/", import.meta.url);
const LOCK_KEY = 0x65636f6d; // "ecom"

export interface Migration {
  version: number;
  name: string;
  text: string;
}

/** Reads the migration files from `sql/`, sorted by version. */
export async function readMigrations(dir: URL = SQL_DIR): Promise<Migration[]> {
  const out: Migration[] = [];
  for await (const e of Deno.readDir(dir)) {
    const m = /^(\d{3})_(.+)\.sql$/.exec(e.name);
    if (!e.isFile || !m) continue;
    out.push({
      version: Number(m[1]),
      name: m[2]!,
      text: await Deno.readTextFile(new URL(e.name, dir)),
    });
  }
  return out.sort((a, b) => a.version - b.version);
}

/** Brings the schema up to date; returns the versions it applied. */
export async function migrate(sql: Sql): Promise<number[]> {
  const migrations = await readMigrations();
  const applied: number[] = [];
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
    await tx`create schema if not exists ecommerce`;
    await tx`create table if not exists ecommerce.schema_migrations (
      version integer primary key, name text not null, applied_at timestamptz not null default now())`;
    const done = new Set(
      (await tx<
        { version: number }[]
      >`select version from ecommerce.schema_migrations`).map((r) => r.version),
    );
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx`set local search_path = ecommerce, public`;
      await tx.unsafe(m.text);
      await tx`insert into ecommerce.schema_migrations (version, name) values (${m.version}, ${m.name})`;
      applied.push(m.version);
      log.info("applied migration", { version: m.version, name: m.name });
    }
  });
  return applied;
}
