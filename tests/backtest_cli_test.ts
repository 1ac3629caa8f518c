/**
 * `deno task backtest` as a user runs it: a real subprocess, judged by exit
 * status, stdout and the progress on stderr; `--store` against a real
 * PostgreSQL.
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { runCli } from "./harness/cli.ts";

function backtest(args: string[], env: Record<string, string> = {}) {
  return runCli("backtest.ts", args, env);
}

Deno.test("backtest cli - prints the JSON contract on stdout and its progress on stderr", async () => {
  const r = await backtest([
    "--days",
    "2",
    "--seed",
    "cli",
    "--strategies",
    "static,optimize",
    "--json",
  ]);
  assertEquals(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  assertEquals(json.params.days, 2);
  assertEquals(json.strategies.map((s: { name: string }) => s.name), [
    "static",
    "optimize",
  ]);
  ok(json.learned_elasticity.every((l: { day: number }) => l.day === 2));
  match(r.stderr, /optimize: 2 \/ 2 days \(100%\)/);
  match(r.stderr, /Ran 2 strategies in/);
});

Deno.test("backtest cli - a bad option is refused in one sentence with exit status 2", async () => {
  const bad = [
    [["--market", "mars"], /--market.*expected default or alt, got "mars"/],
    [["--days", "0"], /--days.*got "0"/],
    [["--strategies", "static,magic"], /Strategy "magic" is unknown/],
    [["--colour"], /Unknown option "--colour"/],
  ] as const;
  for (const [args, message] of bad) {
    const r = await backtest([...args]);
    assertEquals(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    match(r.stderr, message);
  }
});

dbTest(
  "backtest cli - --store keeps the run for the dashboard",
  async ({ sql, url }) => {
    const r = await backtest(
      ["--days", "1", "--strategies", "static", "--store"],
      { DATABASE_URL: url },
    );
    assertEquals(r.code, 0, r.stderr);
    match(r.stderr, /Stored as backtest run \d+/);
    const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from backtest_daily`;
    assertEquals(row?.n, 1);
  },
);
