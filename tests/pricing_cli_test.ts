/** `deno task pricing:explain` as an analyst runs it: a real subprocess on a real database. */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { observe, purchases, run } from "./harness/pricing.ts";
import { runCli } from "./harness/cli.ts";

function explain(url: string, ...args: string[]) {
  return runCli("pricing_explain.ts", args, { DATABASE_URL: url });
}

dbTest(
  "pricing explain - prints the stored waterfall: prices used and quarantined, each step, the final price",
  async ({ sql, url }) => {
    for (const c of ["TechMart", "GadgetZone"]) {
      await observe(sql, "P013", c, 250);
    }
    await observe(sql, "P013", "ElectroHub", 40);
    await purchases(sql, "P013", 1);
    await run(sql);
    const [stored] = await sql<{ recommended_price: string }[]>`
      select recommended_price::text from pricing_recommendations where product_id = 'P013'`;
    const out = await explain(url, "P013");
    assertEquals(out.code, 0, out.stderr);
    for (
      const line of [
        /^Recommendation \d+ \(run \d+, computed .* UTC\), status pending/m,
        /^Product P013: lower 349\.99 -> /m,
        /^Used \(2\):/m,
        /ElectroHub +40\.00 +outlier/,
        /^ +largest_step +\d+\.\d\d /m,
        new RegExp(
          `^ +final +${stored!.recommended_price.replace(".", "\\.")} +lower`,
          "m",
        ),
        /^Floor 238\.69, ceiling 437\.48$/m,
      ]
    ) match(out.stdout, line);
    const json = JSON.parse((await explain(url, "P013", "--json")).stdout);
    ok(json.decision.explanation.length > 0);
    const missing = await explain(url, "P999");
    assertEquals(missing.code, 1);
    match(
      missing.stderr,
      /Cannot explain product "P999": it has no recommendation/,
    );
    assertEquals((await explain(url)).code, 2);
  },
);
