/** The pipeline page, second half: job runs and the lake's watermark. */
import {
  type JobRunRow,
  type JobStatus,
  type LakeWatermark,
  WAITING_CAP,
} from "../lib/pipeline/types.ts";
import { clock, count, rate } from "../lib/format.ts";
import { Empty } from "./Panel.tsx";
import { TableWrap } from "./Table.tsx";
import { ago } from "./PipelineStreams.tsx";
import { State } from "./PipelineQuality.tsx";

/** A duration: milliseconds below a second. */
const took = (s: number) => s < 1 ? `${Math.round(s * 1000)} ms` : rate(s, "s");

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
              <td class="num">
                {l.waiting === null
                  ? "—"
                  : l.waiting > WAITING_CAP
                  ? `over ${count(WAITING_CAP)}`
                  : count(l.waiting)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
