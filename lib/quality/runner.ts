/**
 * Runs checks: every check's query inside one read-only, repeatable-read
 * transaction, so the whole report describes one moment of the database even
 * while the pipeline keeps writing. A query that fails is reported as an
 * `error` result (behind a savepoint), and the other checks still run.
 */
import type { Sql, TransactionSql } from "../db/mod.ts";
import {
  type Check,
  type CheckResult,
  describeExpectation,
  meets,
} from "./check.ts";

/** The outcome of one run over a list of checks. */
export interface QualityReport {
  startedAt: Date;
  finishedAt: Date;
  results: CheckResult[];
  summary: Summary;
}

export interface Summary {
  total: number;
  passed: number;
  failed: number;
  warned: number;
  errored: number;
  /** No check failed or errored; warnings do not count against it. */
  ok: boolean;
}

interface Row {
  value: string | number | null;
  expected?: string | number | null;
  detail?: string | null;
}

const num = (v: unknown) => v === null || v === undefined ? null : Number(v);

/** Judges one query row against its check. */
export function judge(
  check: Check,
  row: Row | undefined,
  durationMs: number,
): CheckResult {
  const value = num(row?.value);
  const expected = check.expect.target === "expected"
    ? num(row?.expected)
    : check.expect.target;
  const ok = value !== null && meets(check.expect, value, expected);
  return {
    name: check.name,
    group: check.group,
    description: check.description,
    severity: check.severity,
    status: ok ? "pass" : check.severity === "warn" ? "warn" : "fail",
    value,
    expected,
    expectation: describeExpectation(check.expect, expected),
    detail: row === undefined
      ? "the query returned no row"
      : row.detail ?? null,
    sql: check.sql.trim(),
    durationMs: Math.round(durationMs),
  };
}

/** Counts results by status. */
export function summarize(results: readonly CheckResult[]): Summary {
  const count = (s: CheckResult["status"]) =>
    results.filter((r) => r.status === s).length;
  const failed = count("fail");
  const errored = count("error");
  return {
    total: results.length,
    passed: count("pass"),
    failed,
    warned: count("warn"),
    errored,
    ok: failed === 0 && errored === 0,
  };
}

/**
 * Runs `checks` inside transaction `tx` (each behind a savepoint) and returns
 * every result; tests use it to see the checks on data they changed in `tx`.
 */
export async function runChecksIn(
  tx: TransactionSql,
  checks: readonly Check[],
): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const check of checks) {
    const t0 = performance.now();
    try {
      // Check SQL is data written in this repository (no user input);
      // running it as text is what makes checks data rather than code.
      const rows = await tx.savepoint((sp) => sp.unsafe<Row[]>(check.sql));
      out.push(judge(check, rows[0], performance.now() - t0));
    } catch (err) {
      out.push({
        ...judge(check, { value: null }, performance.now() - t0),
        status: "error",
        detail: `the query failed: ${(err as Error).message}`,
      });
    }
  }
  return out;
}

/** Runs `checks` against `sql` in one snapshot and returns every result. */
export async function runChecks(
  sql: Sql,
  checks: readonly Check[],
  opts: { statementTimeoutMs?: number } = {},
): Promise<QualityReport> {
  const startedAt = new Date();
  const timeout = opts.statementTimeoutMs ?? 60_000;
  const results = await sql.begin(
    "isolation level repeatable read read only",
    async (tx) => {
      await tx`select set_config('statement_timeout', ${
        String(timeout)
      }, true)`;
      return await runChecksIn(tx, checks);
    },
  );
  return {
    startedAt,
    finishedAt: new Date(),
    results,
    summary: summarize(results),
  };
}
