/**
 * The data-quality gate: while the latest quality run failed a check on
 * competitor or inventory data, the prices the engine would follow or the
 * stock it would protect may be wrong, so nothing is applied automatically.
 */
import type { Sql } from "../db/mod.ts";

/** Check groups whose failure closes the gate. */
export const GATED_GROUPS = ["competitor", "inventory"] as const;

/**
 * Why auto-apply is off now, in one sentence; null when the gate is open.
 * The failed checks come back as JSON, whose parser postgres.js always has
 * (its array parsers exist only once the pool has read pg_type; see
 * lib/db/arrays.ts).
 */
export async function qualityGate(sql: Sql): Promise<string | null> {
  const [run] = await sql<
    { run_id: string; finished_at: Date; failed: string[] | null }[]
  >`
    select r.run_id::text, r.finished_at,
           array_to_json(array_agg(q.check_name order by q.check_name)
             filter (where q.status in ('fail', 'error')
                       and q.check_group = any(${GATED_GROUPS as unknown as string[]}::text[]))) as failed
    from (select run_id, finished_at from quality_runs where finished_at is not null
          order by run_id desc limit 1) r
    left join quality_results q on q.run_id = r.run_id
    group by r.run_id, r.finished_at`;
  if (!run?.failed?.length) return null;
  const at = run.finished_at.toISOString().slice(0, 16).replace("T", " ");
  return `the latest data-quality run (#${run.run_id}, ${at} UTC) failed ${
    run.failed.join(", ")
  }`;
}
