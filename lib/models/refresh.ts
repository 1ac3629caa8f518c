/**
 * Refreshes the marts with REFRESH MATERIALIZED VIEW CONCURRENTLY: the new
 * contents are computed beside the old and merged through the unique index,
 * so dashboards reading a mart never wait for a refresh.
 */
import type { Sql } from "../db/mod.ts";
import { loadModels, martsOf, type ModelProject } from "./schema.ts";

export interface Refreshed {
  model: string;
  rows: number;
  ms: number;
}

/** Refreshes every materialized model in build order and records each refresh. */
export async function refreshModels(
  sql: Sql,
  project?: ModelProject,
): Promise<Refreshed[]> {
  const p = project ?? await loadModels();
  const out: Refreshed[] = [];
  for (const m of martsOf(p)) {
    const t0 = performance.now();
    // CONCURRENTLY cannot run inside a transaction block: one statement each.
    // The name is a validated identifier from schema.json.
    await sql.unsafe(`refresh materialized view concurrently ${m.name}`);
    const ms = Math.round(performance.now() - t0);
    const [{ n }] = await sql.unsafe<[{ n: number }]>(
      `select count(*)::int as n from ${m.name}`,
    );
    await sql`
      insert into model_refreshes (model, refreshed_at, duration_ms, row_count)
      values (${m.name}, now(), ${ms}, ${n})
      on conflict (model) do update set refreshed_at = excluded.refreshed_at,
        duration_ms = excluded.duration_ms, row_count = excluded.row_count`;
    out.push({ model: m.name, rows: n, ms });
  }
  return out;
}

/** The models job of the jobs role: refreshes the marts; returns ms per mart. */
export async function modelsJob(sql: Sql): Promise<Record<string, unknown>> {
  const done = await refreshModels(sql);
  return Object.fromEntries(done.map((r) => [`${r.model}_ms`, r.ms]));
}
