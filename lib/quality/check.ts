/**
 * What a data quality check is: data, not code. A check is a name, a group, a
 * description saying why it matters, one SQL query and an expectation on the
 * number the query returns. The runner treats every check the same way.
 */

/** `error` checks fail the run; `warn` checks are reported but never fail it. */
export type Severity = "error" | "warn";

/** Compares the query's `value` with a number or with its `expected` column. */
export interface Expectation {
  op: "=" | "<=" | ">=" | ">";
  /** A fixed number, or "expected": the `expected` column the query returns. */
  target: number | "expected";
}

export interface Check {
  /** `group.what_it_asserts`, unique across all checks. */
  name: string;
  group: string;
  /** What it asserts and why a careful data engineer wants it. */
  description: string;
  severity: Severity;
  /**
   * A query returning one row: `value` (a number), optionally `expected`
   * (the number to compare with) and `detail` (text naming offending rows).
   */
  sql: string;
  expect: Expectation;
}

export type Status = "pass" | "fail" | "warn" | "error";

/** One check's outcome. */
export interface CheckResult {
  name: string;
  group: string;
  description: string;
  severity: Severity;
  status: Status;
  value: number | null;
  expected: number | null;
  /** The expectation in words, e.g. `= 0` or `= expected (90)`. */
  expectation: string;
  /** Offending rows, or the error message when the query failed. */
  detail: string | null;
  sql: string;
  durationMs: number;
}

/** The zero-rows expectation most checks use: "no offending rows". */
export const NONE: Expectation = { op: "=", target: 0 };

/**
 * Wraps a query listing offending rows (one text column `item`) into a check
 * query: how many there are, and up to five of them, sorted, as the detail.
 */
export function offending(itemsSql: string): string {
  return `with bad as (
${itemsSql.trim()}
)
select count(*) as value,
       (select string_agg(item, '; ') from (select item from bad order by item limit 5) s) as detail
from bad`;
}

/** A SQL string literal for a constant taken from the code (never user input). */
export function lit(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** True when `value` meets `e` (against `expected` when the target says so). */
export function meets(
  e: Expectation,
  value: number,
  expected: number | null,
): boolean {
  const t = e.target === "expected" ? expected : e.target;
  if (t === null) return false;
  switch (e.op) {
    case "=":
      return value === t;
    case "<=":
      return value <= t;
    case ">=":
      return value >= t;
    case ">":
      return value > t;
  }
}

/** The expectation in words, with the expected number when the query gave one. */
export function describeExpectation(
  e: Expectation,
  expected: number | null,
): string {
  return e.target === "expected"
    ? `${e.op} expected (${expected ?? "?"})`
    : `${e.op} ${e.target}`;
}
