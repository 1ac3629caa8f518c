/**
 * The maintenance job: PGlite runs no autovacuum, so the job vacuums and
 * analyses it; on a PostgreSQL server it leaves that to autovacuum.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { maintain } from "../lib/db/maintenance.ts";
import type { Sql } from "../lib/db/mod.ts";

interface TableStats {
  analysed: boolean;
  dead: number;
  estimate: number;
}

async function stats(sql: Sql, table: string): Promise<TableStats> {
  // A session reports its counters at most once a second: now, please.
  await sql`select pg_stat_force_next_flush()`;
  await sql`select 1`;
  const [r] = await sql<
    { analysed: boolean; dead: string; estimate: number }[]
  >`
    select s.last_analyze is not null or s.last_autoanalyze is not null as analysed,
           s.n_dead_tup::text as dead, c.reltuples as estimate
    from pg_stat_user_tables s join pg_class c on c.oid = s.relid
    where s.schemaname = 'ecommerce' and s.relname = ${table}`;
  return {
    analysed: r!.analysed,
    dead: Number(r!.dead),
    estimate: r!.estimate,
  };
}

dbTest(
  "maintenance - on PGlite the job analyses every table and clears updated rows' dead versions",
  async ({ sql }) => {
    await sql`
    insert into consumer_offsets (consumer_group, topic, "partition", next_offset)
    select 'g', 't', p, 0 from generate_series(0, 199) p`;
    // Every update leaves a dead version behind, as the processor's do.
    for (let i = 1; i <= 5; i++) {
      await sql`update consumer_offsets set next_offset = ${i} where consumer_group = 'g'`;
    }
    const before = await stats(sql, "consumer_offsets");
    assertEquals(before.analysed, false, "nothing analysed it before the job");
    assert(before.dead > 0, `updates left dead versions (${before.dead})`);

    const result = await maintain(sql);

    assert(typeof result.ms === "number", JSON.stringify(result));
    const after = await stats(sql, "consumer_offsets");
    assertEquals(after.analysed, true);
    assertEquals(after.dead, 0);
    assertEquals(after.estimate, 200, "the planner now knows the table's size");
    // Every table of the schema, not only the ones named somewhere.
    const [never] = await sql<{ n: number }[]>`
    select count(*)::int as n from pg_stat_user_tables
    where schemaname = 'ecommerce' and last_analyze is null`;
    assertEquals(never!.n, 0, "every table analysed");
  },
  ["pglite"],
);

dbTest(
  "maintenance - on a PostgreSQL server the job leaves the work to autovacuum",
  async ({ sql }) => {
    const result = await maintain(sql);
    assertEquals(result, { skipped: "autovacuum runs on the server" });
  },
  ["postgres"],
);
