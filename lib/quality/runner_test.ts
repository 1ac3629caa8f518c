import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import type { Check } from "./check.ts";
import { judge, summarize } from "./runner.ts";
import { formatText, summaryLine } from "./report.ts";
import { CHECKS } from "./checks.ts";

const check = (over: Partial<Check>): Check => ({
  name: "g.c",
  group: "g",
  description: "why",
  severity: "error",
  sql: "select 0 as value",
  expect: { op: "=", target: 0 },
  ...over,
});

Deno.test("quality runner - judges a value against a fixed target or the query's expected column", () => {
  assertEquals(judge(check({}), { value: "0" }, 1).status, "pass");
  assertEquals(
    judge(check({}), { value: "2", detail: "a; b" }, 1).status,
    "fail",
  );
  const derived = check({ expect: { op: "=", target: "expected" } });
  const r = judge(derived, { value: "89", expected: "90" }, 1);
  assertEquals([r.status, r.value, r.expected, r.expectation], [
    "fail",
    89,
    90,
    "= expected (90)",
  ]);
  assertEquals(judge(derived, { value: 90, expected: 90 }, 1).status, "pass");
});

Deno.test("quality runner - a failing warning-level check warns and does not fail the run", () => {
  const warn = judge(
    check({ severity: "warn", expect: { op: "<=", target: 120 } }),
    { value: 4000 },
    1,
  );
  assertEquals(warn.status, "warn");
  const s = summarize([warn, judge(check({ name: "g.d" }), { value: 0 }, 1)]);
  assertEquals(s, {
    total: 2,
    passed: 1,
    failed: 0,
    warned: 1,
    errored: 0,
    ok: true,
  });
});

Deno.test("quality runner - a query that returns no row fails instead of passing", () => {
  const r = judge(check({}), undefined, 1);
  assertEquals([r.status, r.detail], ["fail", "the query returned no row"]);
});

Deno.test("quality report - groups checks with one line each and ends with the summary", () => {
  const results = [
    judge(check({ name: "a.x", group: "a" }), { value: 0 }, 1),
    judge(check({ name: "b.y", group: "b" }), {
      value: 3,
      detail: "P1; P2; P3",
    }, 1),
  ];
  const report = {
    startedAt: new Date(0),
    finishedAt: new Date(0),
    results,
    summary: summarize(results),
  };
  const text = formatText(report, { database: "db" });
  match(
    text,
    /\na\n {2}PASS +a\.x +0 \(= 0\)\n\nb\n {2}FAIL +b\.y +3, expected = 0: P1; P2; P3\n/,
  );
  assertEquals(
    summaryLine(report),
    "2 checks: 1 passed, 1 failed, 0 warnings, 0 errors - FAILED",
  );
  match(formatText(report, { verbose: true }), /sql: select 0 as value/);
});

Deno.test("quality checks - names are unique, grouped by their prefix, and each says why", () => {
  assertEquals(new Set(CHECKS.map((c) => c.name)).size, CHECKS.length);
  for (const c of CHECKS) {
    assertEquals(c.name.split(".")[0], c.group);
    match(c.description, /.{40,}/);
  }
  assertEquals(CHECKS.length >= 13, true);
});
