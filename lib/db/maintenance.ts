/**
 * Routine upkeep where the server does none. PGlite runs no autovacuum, so on
 * the embedded default no table was ever analysed (the planner guessed every
 * selectivity: on a shop with 250k clicks the overview took 0.23–0.32 s and
 * the activity page 0.41–0.45 s, after one `VACUUM (ANALYZE)` 0.16–0.27 s
 * and 0.24–0.26 s), and the dead versions of updated rows (product metrics,
 * offsets, current recommendations) stayed in tables and indexes. On a
 * PostgreSQL server autovacuum does both, and this does nothing.
 */
import type { Sql } from "./mod.ts";
import { isPglite } from "./kind.ts";

/** `VACUUM (ANALYZE)` of the whole database on PGlite; a no-op on a server. */
export async function maintain(sql: Sql): Promise<Record<string, unknown>> {
  if (!(await isPglite(sql))) {
    return { skipped: "autovacuum runs on the server" };
  }
  const t0 = performance.now();
  // Outside any transaction block, as VACUUM must be: one simple query.
  await sql.unsafe("vacuum (analyze)");
  return { vacuumed: "every table", ms: Math.round(performance.now() - t0) };
}
