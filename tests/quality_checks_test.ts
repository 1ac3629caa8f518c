/**
 * Every quality check, table-driven: on a realistic seeded shop all checks
 * pass; then, one case at a time inside a transaction that is rolled back,
 * the data is broken for one check and exactly that check must fail (or warn),
 * with the offending row in its detail, while every other check passes.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import type { Sql, TransactionSql } from "../lib/db/mod.ts";
import { ensureModels } from "../lib/models/build.ts";
import { refreshModels } from "../lib/models/refresh.ts";
import { allChecks, CHECKS } from "../lib/quality/mod.ts";
import type { Check, CheckResult } from "../lib/quality/check.ts";
import { runChecks, runChecksIn } from "../lib/quality/runner.ts";
import { withDb } from "../dev/db.ts";
import { IN_CI, pgAvailable } from "./harness/db.ts";
import { seedShop } from "./quality_seed.ts";
import { BREAKS } from "./quality_breaks.ts";
import { moveStockTo } from "./quality_fixtures.ts";

const ROLLBACK = new Error("rollback");

/** Results of `checks` after `breakIt` changed the data; the change is rolled back. */
async function brokenRun(
  sql: Sql,
  breakIt: (tx: TransactionSql) => Promise<unknown>,
  checks: readonly Check[],
): Promise<CheckResult[]> {
  let results: CheckResult[] = [];
  await sql.begin(async (tx) => {
    await breakIt(tx);
    results = await runChecksIn(tx, checks);
    throw ROLLBACK;
  }).catch((err) => {
    if (err !== ROLLBACK) throw err;
  });
  return results;
}

const notPassing = (rs: CheckResult[]) =>
  rs.filter((r) => r.status !== "pass").map((r) =>
    `${r.name}=${r.status} (${r.detail})`
  );

Deno.test({
  name:
    "quality checks - each passes on a clean run and fails alone on data broken for it",
  ignore: !pgAvailable && !IN_CI,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    await withDb("postgres", async ({ sql }) => {
      await seedShop(sql);
      await ensureModels(sql);
      await refreshModels(sql);
      const checks = await allChecks();

      await t.step("every check passes on the seeded shop", async () => {
        const report = await runChecks(sql, checks);
        assertEquals(notPassing(report.results), []);
        assert(report.summary.ok);
        assertEquals(report.summary.total, checks.length);
      });

      await t.step("every data check has a case that breaks it", () => {
        const covered = new Set(BREAKS.map((b) => b.check));
        assertEquals(
          CHECKS.filter((c) => !covered.has(c.name)).map((c) => c.name),
          [],
        );
      });

      for (const b of BREAKS) {
        await t.step(`${b.check} - ${b.how}`, async () => {
          const results = await brokenRun(sql, b.breakIt, checks);
          const target = results.find((r) => r.name === b.check);
          assert(target, `no check named ${b.check}`);
          assertEquals(target.status, b.status ?? "fail", target.detail ?? "");
          assert(
            target.detail?.includes(b.detail),
            `detail of ${b.check} is ${
              JSON.stringify(target.detail)
            }, expected it to mention ${JSON.stringify(b.detail)}`,
          );
          const others = results.filter((r) =>
            r.name !== b.check && r.status !== "pass" &&
            !(r.status === "warn" && b.alsoWarns?.includes(r.name))
          );
          assertEquals(notPassing(others), []);
        });
      }

      await t.step(
        "inventory.stock_within_bound - the bound is QUALITY_MAX_STOCK's: 150,000 units pass under 200,000, 250,000 do not",
        async () => {
          const wider = await allChecks(200_000);
          const bound = (rs: CheckResult[]) =>
            rs.find((r) => r.name === "inventory.stock_within_bound")!;
          const under = await brokenRun(
            sql,
            (tx) => moveStockTo(tx, "P002", "WH-ABUJA", 150000),
            wider,
          );
          assertEquals(notPassing(under), []);
          const over = await brokenRun(
            sql,
            (tx) => moveStockTo(tx, "P002", "WH-ABUJA", 250000),
            wider,
          );
          assertEquals(bound(over).status, "fail");
          assert(bound(over).detail?.includes("P002 at WH-ABUJA: 250000"));
        },
      );
    });
  },
});
