/**
 * Database health and connection use, read at scrape time. postgres.js keeps
 * its pool to itself, so the connections come from `pg_stat_activity`
 * (every process that sets application_name "pricing-platform"). Embedded
 * PGlite has a single shared session and no backends to count.
 */
import type { Sql } from "../db/mod.ts";
import type { Metrics } from "./definitions.ts";
import { readOnly } from "./read.ts";
import { isPglite } from "../db/kind.ts";

const STATES = ["active", "idle", "idle in transaction", "other"] as const;

/** Connection counts by state; `null` on PGlite, where there are none to count. */
export async function readConnections(
  sql: Sql,
): Promise<Record<string, number> | null> {
  if (await isPglite(sql)) return null;
  const rows = await readOnly(
    sql,
    (tx) =>
      tx<{ state: string | null; n: number }[]>`
      select state, count(*)::int as n from pg_stat_activity
      where application_name = 'pricing-platform' and datname = current_database()
      group by state`,
  );
  const out: Record<string, number> = Object.fromEntries(
    STATES.map((s) => [s, 0]),
  );
  for (const r of rows) {
    const state = (STATES as readonly string[]).includes(r.state ?? "")
      ? r.state!
      : "other";
    out[state]! += r.n;
  }
  return out;
}

/** Refreshes the database gauges; a database that does not answer reads as down. */
export async function refreshDatabase(
  m: Metrics,
  sql: Sql,
  poolMax: number,
): Promise<void> {
  m.dbPoolMax.set(poolMax);
  m.dbConnections.reset();
  try {
    const counts = await readConnections(sql);
    m.dbUp.set(1);
    for (const [state, n] of Object.entries(counts ?? {})) {
      m.dbConnections.set({ state }, n);
    }
  } catch (err) {
    m.dbUp.set(0);
    throw err;
  }
}
