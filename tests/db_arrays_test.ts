/**
 * Array parameters reach PostgreSQL intact from a pool that never read the
 * server's array types: what a renewed pool is left with when its first
 * connection is killed while reading them (seen in kafka_faults_test, where
 * every batch then failed with "malformed array literal" for good). Arrays
 * read back come as JSON, whose parser such a pool has.
 */
import {
  deepStrictEqual as assertEquals,
  ok,
  rejects,
} from "node:assert/strict";
import fc from "fast-check";
import postgres from "postgres";
import { dbTest } from "./harness/db.ts";
import { poolOptions } from "../lib/db/mod.ts";
import { arrayLiteral } from "../lib/db/arrays.ts";
import { qualityGate } from "../lib/pricing/gate.ts";
import { fetchFunnelSessions } from "../lib/analytics/inputs.ts";
import { insertClicks, withModels } from "./analytics_fixtures.ts";
import { FUNNEL_CLICKS } from "./analytics_data.ts";
import { failedQualityRun, observe, run } from "./harness/pricing.ts";
import { storedDecision } from "../lib/pricing/stored.ts";
import { pricing } from "../lib/dashboard/pricing.ts";
import type { Sql } from "../lib/db/mod.ts";

/** A pool as the platform opens it, except that it never fetches the array types. */
function withoutFetchedTypes(url: string, platform = true): Sql {
  const options = platform ? poolOptions(2) : { max: 2, onnotice: () => {} };
  return postgres(url, { ...options, fetch_types: false }) as unknown as Sql;
}

dbTest(
  "db arrays - every array type the platform sends works without fetched types",
  async ({ url }) => {
    const sql = withoutFetchedTypes(url);
    try {
      // Timestamps go as ISO strings, as the sinks send them (a JS Date array
      // would declare the parameter timestamptz, not timestamptz[]).
      const at = "2026-11-26T21:20:21.422Z";
      const [r] = await sql<Record<string, string>[]>`
      select array_to_json(${[0, 1, 5]}::int[])::text as ints,
             array_to_json(${[
        "9007199254740993",
        "2",
      ]}::bigint[])::text as bigints,
             array_to_json(${[1.5, "2.25"]}::numeric[])::text as numerics,
             array_to_json(${[
        "0b9a3c1e-4d7f-4a53-9a51-2f0c4a8e7b10",
      ]}::uuid[])::text as uuids,
             array_to_json(${[at, at]}::timestamptz[])::text as stamps,
             array_to_json(${["2026-11-26"]}::date[])::text as dates,
             array_to_json(${[
        "a",
        null,
        'say "hi"',
        "back\\slash",
        "{,}",
        "",
      ]}::text[])::text as texts,
             cardinality(${[] as number[]}::int[]) as empty`;
      assertEquals(r, {
        ints: "[0,1,5]",
        bigints: "[9007199254740993,2]",
        numerics: "[1.5,2.25]",
        uuids: '["0b9a3c1e-4d7f-4a53-9a51-2f0c4a8e7b10"]',
        stamps:
          '["2026-11-26T21:20:21.422+00:00","2026-11-26T21:20:21.422+00:00"]',
        dates: '["2026-11-26"]',
        texts: '["a",null,"say \\"hi\\"","back\\\\slash","{,}",""]',
        empty: 0,
      });
    } finally {
      await sql.end();
    }
  },
);

dbTest(
  "db arrays - a pool without fetched types and without these serializers refuses the same parameter",
  async ({ url }) => {
    // Why arrays.ts exists: postgres.js then sends '' + xs. If this starts to
    // pass, postgres.js has fixed it and arrays.ts can go.
    const sql = withoutFetchedTypes(url, false);
    try {
      await rejects(
        sql`select ${[0, 1]}::int[] as a`,
        /malformed array literal: "0,1"/,
      );
    } finally {
      await sql.end();
    }
  },
);

dbTest(
  "db arrays - any text array arrives element for element",
  async ({ url }) => {
    const sql = withoutFetchedTypes(url);
    try {
      // PostgreSQL text cannot hold U+0000; everything else must survive.
      const text = fc.string({ unit: "binary", maxLength: 12 }).filter((s) =>
        !s.includes("\0")
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.option(text, { nil: null }), { maxLength: 8 }),
          async (xs) => {
            const rows = await sql<{ t: string | null }[]>`
            select t from unnest(${xs}::text[]) with ordinality as u(t, i) order by i`;
            assertEquals(rows.map((r) => r.t), xs, arrayLiteral(xs));
          },
        ),
        { numRuns: 200 },
      );
    } finally {
      await sql.end();
    }
  },
);

dbTest(
  "db arrays - the quality gate and the funnel read their arrays without fetched types",
  async ({ sql: setup, url }) => {
    await failedQualityRun(
      setup,
      "inventory.stock_within_bound",
      "competitor.prices_positive",
    );
    await withModels(setup, () => insertClicks(setup, FUNNEL_CLICKS));
    const sql = withoutFetchedTypes(url);
    try {
      const reason = await qualityGate(sql);
      ok(
        reason?.endsWith(
          "failed competitor.prices_positive, inventory.stock_within_bound",
        ),
        String(reason),
      );
      const sessions = await fetchFunnelSessions(sql, {
        from: new Date("2026-01-04T12:00:00Z"),
        to: new Date("2026-01-05T12:00:00Z"),
        hours: 24,
      });
      ok(sessions.length > 0, "the funnel fixture's sessions");
      for (const s of sessions) {
        ok(Array.isArray(s.eventTypes), JSON.stringify(s.eventTypes));
      }
      assertEquals(
        [...new Set(sessions.flatMap((s) => s.eventTypes))].sort(),
        ["add_to_cart", "page_view", "product_view", "purchase"],
      );
    } finally {
      await sql.end();
    }
  },
);

dbTest(
  "db arrays - a pricing run writes and the pricing pages read recommendations without fetched types",
  async ({ sql: setup, url }) => {
    // A junk price among sane ones: the decision carries a flag.
    await observe(setup, "P001", "TechMart", 899);
    await observe(setup, "P001", "GadgetZone", 905);
    await observe(setup, "P001", "ElectroHub", 0.02);
    const sql = withoutFetchedTypes(url);
    try {
      const r = await run(sql);
      ok(r.written > 0, JSON.stringify(r));
      const stored = await storedDecision(sql, "P001");
      ok(Array.isArray(stored?.decision.flags), JSON.stringify(stored));
      const [db] = await setup<{ flags: string[] }[]>`
      select h.flags from pricing_recommendations c
      join pricing_recommendation_history h using (recommendation_id)
      where c.product_id = 'P001'`;
      assertEquals(stored!.decision.flags, db!.flags);
      const page = await pricing(sql, {});
      ok(page.recommendations.every((x) => Array.isArray(x.flags)));
    } finally {
      await sql.end();
    }
  },
);
