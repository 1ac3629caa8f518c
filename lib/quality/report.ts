/** Renders a quality report for people (grouped text) and machines (JSON). */
import type { CheckResult } from "./check.ts";
import type { QualityReport } from "./runner.ts";

const LABEL: Record<CheckResult["status"], string> = {
  pass: "PASS ",
  fail: "FAIL ",
  warn: "WARN ",
  error: "ERROR",
};

function line(r: CheckResult, width: number): string {
  const head = `  ${LABEL[r.status]} ${r.name.padEnd(width)}`;
  if (r.status === "pass") return `${head} ${r.value} (${r.expectation})`;
  if (r.status === "error") return `${head} ${r.detail}`;
  return `${head} ${r.value ?? "no value"}, expected ${r.expectation}${
    r.detail ? `: ${r.detail}` : ""
  }`;
}

function verboseLines(r: CheckResult): string[] {
  const raw = JSON.stringify({
    value: r.value,
    expected: r.expected,
    detail: r.detail,
  });
  return [
    `        why: ${r.description}`,
    `        raw: ${raw} in ${r.durationMs} ms`,
    ...r.sql.split("\n").map((l, i) =>
      `        ${i === 0 ? "sql: " : "     "}${l}`
    ),
  ];
}

/** The summary sentence, e.g. `40 checks: 38 passed, 1 failed, 1 warning, 0 errors`. */
export function summaryLine(report: QualityReport): string {
  const s = report.summary;
  return `${s.total} checks: ${s.passed} passed, ${s.failed} failed, ${s.warned} warning${
    s.warned === 1 ? "" : "s"
  }, ${s.errored} error${s.errored === 1 ? "" : "s"} - ${
    s.ok ? "OK" : "FAILED"
  }${s.ok && s.warned > 0 ? " (warnings do not fail the run)" : ""}`;
}

/** The report as text: checks grouped, one pass/fail line each, then the summary. */
export function formatText(
  report: QualityReport,
  opts: { verbose?: boolean; database?: string } = {},
): string {
  const width = Math.max(...report.results.map((r) => r.name.length), 10);
  const out = [
    `Data quality of ${
      opts.database ?? "the database"
    } at ${report.startedAt.toISOString()}`,
  ];
  const groups = [...new Set(report.results.map((r) => r.group))];
  for (const g of groups) {
    out.push("", g);
    for (const r of report.results.filter((x) => x.group === g)) {
      out.push(line(r, width));
      if (opts.verbose) out.push(...verboseLines(r));
    }
  }
  out.push("", `Summary: ${summaryLine(report)}`);
  return out.join("\n");
}

/** The report as a plain object for `--json`. */
export function toJson(
  report: QualityReport,
  database?: string,
): Record<string, unknown> {
  return {
    database,
    started_at: report.startedAt.toISOString(),
    finished_at: report.finishedAt.toISOString(),
    summary: report.summary,
    checks: report.results.map((r) => ({
      name: r.name,
      group: r.group,
      severity: r.severity,
      status: r.status,
      value: r.value,
      expected: r.expected,
      expectation: r.expectation,
      detail: r.detail,
      description: r.description,
      sql: r.sql,
      duration_ms: r.durationMs,
    })),
  };
}
