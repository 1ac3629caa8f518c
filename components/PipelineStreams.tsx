/** The pipeline page, first half: streams, offsets and lag per partition, rejections. */
import type {
  PartitionOffsets,
  RejectedRow,
  RejectionGroup,
  StreamHealth,
} from "../lib/pipeline/types.ts";
import { clock, count, rate } from "../lib/format.ts";
import { Kpi } from "./Kpi.tsx";
import { Empty } from "./Panel.tsx";
import { HeadRow, TableWrap } from "./Table.tsx";

const KIND = { invalid: "dead-lettered", refused: "refused" } as const;

/** Seconds between `t` and `now`, as "4 s ago" / "3 min ago". */
export function ago(t: Date | null, now: Date): string {
  if (!t) return "never";
  const s = Math.max(0, Math.round((now.getTime() - t.getTime()) / 1000));
  return s < 90
    ? `${s} s ago`
    : s < 5400
    ? `${Math.round(s / 60)} min ago`
    : `${Math.round(s / 3600)} h ago`;
}

export function StreamCards({ streams }: { streams: StreamHealth[] }) {
  return (
    <div class="kpis">
      {streams.map((s) => (
        <Kpi
          label={s.stream}
          value={rate(s.eventsPerSecond, "events/s")}
          sub={`lag ${
            s.lag === null ? "unknown" : `${count(s.lag)} events`
          } · ${count(s.deadLettered)} dead-lettered · ${
            count(s.refused)
          } refused`}
          tone={s.deadLettered + s.refused > 0 || (s.lag ?? 0) > 0
            ? "warn"
            : undefined}
        />
      ))}
    </div>
  );
}

export function OffsetsTable(
  { rows, now }: { rows: PartitionOffsets[]; now: Date },
) {
  const head = [
    "Topic / partition",
    "Committed offset",
    "Log end",
    "Lag (events)",
    "Committed",
    "Log end seen",
  ];
  return (
    <TableWrap label="Offsets per partition" columns={head.length}>
      <table class="data">
        <thead>
          <HeadRow head={head} />
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr
              key={`${p.topic}#${p.partition}`}
              data-partition={`${p.topic}#${p.partition}`}
            >
              <th scope="row" class="mono">{p.topic} #{p.partition}</th>
              <td class="num" data-committed>
                {p.committed === null ? "—" : count(p.committed)}
              </td>
              <td class="num">{p.logEnd === null ? "—" : count(p.logEnd)}</td>
              <td class="num">
                {p.lag === null
                  ? "—"
                  : (
                    <span class={p.lag > 0 ? "state warn" : "state ok"}>
                      {count(p.lag)}
                    </span>
                  )}
              </td>
              <td class="num">{ago(p.committedAt, now)}</td>
              <td class="num">{ago(p.logEndAt, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function RejectionGroups({ rows }: { rows: RejectionGroup[] }) {
  if (rows.length === 0) {
    return (
      <Empty>
        Nothing rejected: every event passed validation and every stock move
        applied.
      </Empty>
    );
  }
  return (
    <TableWrap label="Rejections by reason" columns={6}>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Stream</th>
            <th scope="col">What happened</th>
            <th scope="col">Field</th>
            <th scope="col">Reason</th>
            <th scope="col" class="num">Events</th>
            <th scope="col" class="num">Last (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={`${g.stream}|${g.kind}|${g.field}|${g.reason}`}>
              <th scope="row">{g.stream}</th>
              <td>{KIND[g.kind]}</td>
              <td class="mono">{g.field ?? "—"}</td>
              <td class="reason" title={g.example}>{g.reason}</td>
              <td class="num">{count(g.count)}</td>
              <td class="num mono">{clock(g.lastAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function LatestRejections({ rows }: { rows: RejectedRow[] }) {
  if (rows.length === 0) return <Empty>No rejected events yet.</Empty>;
  return (
    <TableWrap label="Latest rejected events" columns={5}>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Where</th>
            <th scope="col">What happened</th>
            <th scope="col">Reason</th>
            <th scope="col">Payload (as received, cut)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-rejected={r.id}>
              <th scope="row" class="mono">{clock(r.at)}</th>
              <td class="mono">{r.stream} #{r.partition} @{count(r.offset)}</td>
              <td>{KIND[r.kind]}</td>
              <td class="reason">{r.reason}</td>
              <td class="payload-cell">
                <code class="payload">{r.payload}</code>
                {r.truncated && (
                  <span class="muted">
                    {` … ${count(r.payloadLength)} characters in all`}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
