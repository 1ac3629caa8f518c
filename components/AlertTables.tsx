/** The alerts page's tables: recently resolved alerts, the rules, the channels and the delivery log. */
import type { AlertsView } from "../lib/alerts/store.ts";
import { count } from "../lib/format.ts";
import { Severity, when } from "./AlertBits.tsx";
import { Empty } from "./Panel.tsx";
import { DataTable } from "./Table.tsx";

export function RecentAlerts({ alerts }: { alerts: AlertsView["recent"] }) {
  if (alerts.length === 0) {
    return <Empty>No alert cleared in the last 7 days.</Empty>;
  }
  return (
    <DataTable
      label="Alerts resolved in the last 7 days"
      id="recent-alerts"
      columns={["Rule", "What", "Subject", "Fired (UTC)", "Resolved (UTC)"]}
    >
      {alerts.map((a) => (
        <tr key={a.alert_id}>
          <th scope="row">{a.title}</th>
          <td class="wrap">{a.message}</td>
          <td class="mono">{a.subject}</td>
          <td>{when(a.fired_at)}</td>
          <td>{when(a.resolved_at)}</td>
        </tr>
      ))}
    </DataTable>
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
    <DataTable
      label="Alert rules"
      id="alert-rules"
      columns={[
        "Rule",
        "Fires when",
        { label: "Threshold", num: true },
        { label: "Cooldown", num: true },
        { label: "Sent today / cap", num: true },
        "Channels",
        "State",
      ]}
    >
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
    </DataTable>
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
    <DataTable
      label="Alert channels"
      id="alert-channels"
      columns={["Channel", "Kind", "Address"]}
    >
      {channels.map((c) => (
        <tr key={c.name}>
          <th scope="row" class="mono">{c.name}</th>
          <td>{c.kind === "webhook" ? "webhook, signed" : "Slack"}</td>
          <td class="mono">{c.url}</td>
        </tr>
      ))}
    </DataTable>
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
    <DataTable
      label="Latest deliveries"
      id="alert-deliveries"
      columns={["Queued (UTC)", "Channel", "Message", "Outcome", {
        label: "Attempts",
        num: true,
      }, "Last answer"]}
    >
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
    </DataTable>
  );
}
