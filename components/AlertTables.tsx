/** The alerts page's tables: recently resolved alerts, the rules, the channels and the delivery log. */
import type { AlertsView } from "../lib/alerts/store.ts";
import { count } from "../lib/web/format.ts";
import { Severity, when } from "./AlertBits.tsx";
import { Empty } from "./Panel.tsx";
import { TableWrap } from "./Table.tsx";

export function RecentAlerts({ alerts }: { alerts: AlertsView["recent"] }) {
  if (alerts.length === 0) {
    return <Empty>No alert cleared in the last 7 days.</Empty>;
  }
  return (
    <TableWrap label="Alerts resolved in the last 7 days" columns={5}>
      <table class="data" id="recent-alerts">
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">What</th>
            <th scope="col">Subject</th>
            <th scope="col">Fired (UTC)</th>
            <th scope="col">Resolved (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => (
            <tr key={a.alert_id}>
              <th scope="row">{a.title}</th>
              <td class="wrap">{a.message}</td>
              <td class="mono">{a.subject}</td>
              <td>{when(a.fired_at)}</td>
              <td>{when(a.resolved_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** Minutes in the unit a person thinks in: `45 min`, `4 h`, `2 d`. */
export function minutes(m: number): string {
  if (m % 1440 === 0) return `${m / 1440} d`;
  if (m % 60 === 0) return `${m / 60} h`;
  return `${count(m)} min`;
}

function threshold(r: AlertsView["rules"][number]): string {
  if (r.threshold === null || r.unit === null) return "—";
  if (r.unit === "minutes") return minutes(r.threshold);
  return r.unit === "%"
    ? `${r.threshold} %`
    : `${count(r.threshold)} ${r.unit}`;
}

export function RuleTable({ rules }: { rules: AlertsView["rules"] }) {
  return (
    <TableWrap label="Alert rules" columns={7}>
      <table class="data" id="alert-rules">
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Fires when</th>
            <th scope="col" class="num">Threshold</th>
            <th scope="col" class="num">Cooldown</th>
            <th scope="col" class="num">Sent today / cap</th>
            <th scope="col">Channels</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.rule} data-rule={r.rule}>
              <th scope="row">
                {r.title} <Severity level={r.severity} />
              </th>
              <td class="wrap">{r.when}</td>
              <td class="num">{threshold(r)}</td>
              <td class="num">{minutes(r.cooldown_minutes)}</td>
              <td class="num">{r.sent_today} / {r.daily_cap}</td>
              <td>{r.channels.length ? r.channels.join(", ") : "none"}</td>
              <td>
                {r.enabled ? "on" : "off"}
                {r.changed.length > 0 && (
                  <span class="muted">
                    {` (changed by ${r.updated_by}: ${r.changed.join(", ")})`}
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

export function ChannelTable(
  { channels }: { channels: AlertsView["channels"] },
) {
  if (channels.length === 0) {
    return (
      <Empty>
        No channels: alerts are only shown here. Set ALERT_CHANNELS to send them
        to a webhook or Slack.
      </Empty>
    );
  }
  return (
    <TableWrap label="Alert channels" columns={3}>
      <table class="data" id="alert-channels">
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Kind</th>
            <th scope="col">Address</th>
          </tr>
        </thead>
        <tbody>
          {channels.map((c) => (
            <tr key={c.name}>
              <th scope="row" class="mono">{c.name}</th>
              <td>{c.kind === "webhook" ? "webhook, signed" : "Slack"}</td>
              <td class="mono">{c.url}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

const OUTCOME: Record<string, string> = {
  sent: "ok",
  failed: "bad",
  pending: "warn",
  sending: "warn",
};

export function DeliveryTable({ rows }: { rows: AlertsView["deliveries"] }) {
  if (rows.length === 0) return <Empty>Nothing was sent yet.</Empty>;
  return (
    <TableWrap label="Latest deliveries" columns={6}>
      <table class="data" id="alert-deliveries">
        <thead>
          <tr>
            <th scope="col">Queued (UTC)</th>
            <th scope="col">Channel</th>
            <th scope="col">Message</th>
            <th scope="col">Outcome</th>
            <th scope="col" class="num">Attempts</th>
            <th scope="col">Last answer</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.delivery_id}>
              <th scope="row">{when(d.created_at)}</th>
              <td class="mono">{d.channel}</td>
              <td>{d.kind}{d.subject ? `: ${d.subject}` : ""}</td>
              <td>
                <span class={`state ${OUTCOME[d.status] ?? "idle"}`}>
                  {d.status}
                </span>
              </td>
              <td class="num">{d.attempts}</td>
              <td class="wrap">
                {d.last_error ??
                  (d.last_status ? `HTTP ${d.last_status}` : "—")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
