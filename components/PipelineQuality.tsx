/** The pipeline page's quality section: the latest run's checks with their history, and the runs. */
import type { QualityCheckRow, QualityRunRow } from "../lib/pipeline/types.ts";
import { clock, count } from "../lib/format.ts";
import { Empty } from "./Panel.tsx";
import { TableWrap } from "./Table.tsx";

/** A status in words with its colour: the word carries the meaning, the colour repeats it. */
const STATE: Record<string, { cls: string; glyph: string }> = {
  pass: { cls: "ok", glyph: "✓" },
  ok: { cls: "ok", glyph: "✓" },
  fail: { cls: "bad", glyph: "✗" },
  failed: { cls: "bad", glyph: "✗" },
  error: { cls: "bad", glyph: "!" },
  warn: { cls: "warn", glyph: "~" },
};

export function State({ status }: { status: string }) {
  return <span class={`state ${STATE[status]?.cls ?? "idle"}`}>{status}</span>;
}

function History({ h }: { h: QualityCheckRow["history"] }) {
  const words = h.map((x) => x.status ?? "not run").join(", ");
  return (
    <span class="history" role="img" aria-label={`Oldest to newest: ${words}`}>
      {h.map((x) => (
        <span
          key={x.runId}
          class={`h ${x.status ? STATE[x.status]?.cls ?? "idle" : "idle"}`}
          title={`run ${x.runId}: ${x.status ?? "not run"}`}
        >
          {x.status ? STATE[x.status]?.glyph ?? "?" : "·"}
        </span>
      ))}
    </span>
  );
}

const num = (n: number | null) =>
  n === null ? "—" : Number.isInteger(n) ? count(n) : n.toFixed(3);

function CheckRows({ checks }: { checks: QualityCheckRow[] }) {
  return (
    <TableWrap label="Quality checks of the latest run" columns={6}>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Result</th>
            <th scope="col" class="num">Value</th>
            <th scope="col">Expectation</th>
            <th scope="col">Earlier runs (oldest first)</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((c) => (
            <tr key={c.name} data-check={c.name}>
              <th scope="row" class="mono">{c.name}</th>
              <td>
                <State status={c.status} />
              </td>
              <td class="num">{num(c.value)}</td>
              <td class="reason">{c.expectation}</td>
              <td>
                <History h={c.history} />
              </td>
              <td class="reason">{c.detail ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The checks that did not pass, in full; the passing ones folded away. */
export function QualityChecks({ checks }: { checks: QualityCheckRow[] }) {
  if (checks.length === 0) {
    return (
      <Empty>
        No quality run yet: the quality job runs every 5 minutes (deno task
        quality --store runs one now).
      </Empty>
    );
  }
  const trouble = checks.filter((c) => c.status !== "pass");
  const passing = checks.filter((c) => c.status === "pass");
  return (
    <>
      <p class="quality-line">
        <State status={trouble.length === 0 ? "ok" : "failed"} />{" "}
        {count(passing.length)} of {count(checks.length)} checks pass
        {trouble.length > 0 && ` · ${count(trouble.length)} need a look`}
      </p>
      {trouble.length > 0 && <CheckRows checks={trouble} />}
      {passing.length > 0 && (
        <details class="chart-data">
          <summary>Show the {count(passing.length)} passing checks</summary>
          <CheckRows checks={passing} />
        </details>
      )}
    </>
  );
}

export function QualityRuns({ runs }: { runs: QualityRunRow[] }) {
  if (runs.length === 0) return null;
  return (
    <TableWrap label="Quality runs" columns={7}>
      <table class="data">
        <thead>
          <tr>
            {[
              "Run",
              "Started (UTC)",
              "Source",
              "Passed",
              "Failed",
              "Warned",
              "Errored",
              "Outcome",
            ]
              .map((h, i) => (
                <th
                  key={h}
                  scope="col"
                  class={i >= 3 && i <= 6 ? "num" : undefined}
                >
                  {h}
                </th>
              ))}
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.runId}>
              <th scope="row">#{r.runId}</th>
              <td class="mono">{clock(r.startedAt)}</td>
              <td>{r.source}</td>
              <td class="num">{count(r.passed)}</td>
              <td class="num">{count(r.failed)}</td>
              <td class="num">{count(r.warned)}</td>
              <td class="num">{count(r.errored)}</td>
              <td>
                <State
                  status={r.finishedAt === null
                    ? "running"
                    : r.ok
                    ? "ok"
                    : "failed"}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
