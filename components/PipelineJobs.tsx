/** The pipeline page, second half: quality runs, job runs and the lake's watermark. */
import type {
  JobRunRow,
  JobStatus,
  LakeWatermark,
  QualityCheckRow,
  QualityRunRow,
} from "../lib/pipeline/types.ts";
import { clock, count, rate } from "../lib/web/format.ts";
import { Empty } from "./Panel.tsx";
import { TableWrap } from "./Table.tsx";
import { ago } from "./PipelineStreams.tsx";

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

/** A duration: milliseconds below a second. */
const took = (s: number) => s < 1 ? `${Math.round(s * 1000)} ms` : rate(s, "s");

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

/** A job's result in a few words: its counts as `key value` pairs. */
function summary(run: JobRunRow): string {
  if (!run.ok) return run.error ?? "failed";
  return Object.entries(run.result ?? {}).filter(([, v]) =>
    typeof v !== "object"
  )
    .map(([k, v]) =>
      `${k.replaceAll("_", " ")} ${typeof v === "number" ? count(v) : v}`
    )
    .slice(0, 6).join(" · ");
}

export function JobTable({ jobs, now }: { jobs: JobStatus[]; now: Date }) {
  return (
    <TableWrap label="Scheduled jobs" columns={6}>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Schedule</th>
            <th scope="col">Last run</th>
            <th scope="col" class="num">Duration</th>
            <th scope="col">Outcome</th>
            <th scope="col">Last success</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.job} data-job={j.job}>
              <th scope="row" class="mono">{j.job}</th>
              <td>{j.every}</td>
              <td>{j.last ? ago(j.last.finishedAt, now) : "never"}</td>
              <td class="num">{j.last ? took(j.last.seconds) : "—"}</td>
              <td class="reason">
                {j.last
                  ? (
                    <>
                      <State status={j.last.ok ? "ok" : "failed"} />{" "}
                      {summary(j.last)}
                    </>
                  )
                  : "—"}
              </td>
              <td>{ago(j.lastOkAt, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function JobRuns({ runs }: { runs: JobRunRow[] }) {
  if (runs.length === 0) {
    return (
      <Empty>No job has run yet (the jobs role runs them on schedule).</Empty>
    );
  }
  return (
    <TableWrap label="Recent job runs" columns={5}>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Finished (UTC)</th>
            <th scope="col">Job</th>
            <th scope="col" class="num">Duration</th>
            <th scope="col">Outcome</th>
            <th scope="col">Result or error</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.runId}>
              <th scope="row" class="mono">{clock(r.finishedAt)}</th>
              <td class="mono">{r.job}</td>
              <td class="num">{took(r.seconds)}</td>
              <td>
                <State status={r.ok ? "ok" : "failed"} />
              </td>
              <td class="reason">{summary(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

const bytes = (n: number) =>
  n < 1024
    ? `${n} B`
    : n < 1024 ** 2
    ? `${(n / 1024).toFixed(1)} KiB`
    : `${(n / 1024 ** 2).toFixed(1)} MiB`;

export function LakeTable({ lake, now }: { lake: LakeWatermark[]; now: Date }) {
  return (
    <TableWrap label="Lake watermark per stream" columns={7}>
      <table class="data">
        <thead>
          <tr>
            {[
              "Stream",
              "Rows in the lake",
              "Files",
              "Size",
              "Last export",
              "Watermark (xid)",
              "Rows waiting",
            ]
              .map((h, i) => (
                <th
                  key={h}
                  scope="col"
                  class={[1, 2, 3, 6].includes(i) ? "num" : undefined}
                >
                  {h}
                </th>
              ))}
          </tr>
        </thead>
        <tbody>
          {lake.map((l) => (
            <tr key={l.stream} data-stream={l.stream}>
              <th scope="row" class="mono">{l.stream}</th>
              <td class="num">{count(l.rowsExported)}</td>
              <td class="num">{count(l.filesExported)}</td>
              <td class="num">{bytes(l.bytesExported)}</td>
              <td>
                {ago(l.lastExportAt, now)}
                {l.pending ? " · a window is half written" : ""}
              </td>
              <td class="mono">{l.doneXid}</td>
              <td class="num">{l.waiting === null ? "—" : count(l.waiting)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
