/**
 * What the alerts page and `GET /api/alerts` show: the firing alerts, those
 * resolved in the last week, the rules as they apply now with what each sent
 * today, the channels (their URLs masked, never their secrets) and the
 * latest deliveries; and acknowledging an alert.
 */
import type { Sql, TransactionSql } from "../db/mod.ts";
import type { Config } from "../config.ts";
import {
  AlertError,
  loadRules,
  type Rule,
  type RuleName,
  RULES,
} from "./rules.ts";
import { maskUrl } from "./channels.ts";
import type { AlertRow, ChannelRow, DeliveryRow } from "./types.ts";

export type { AlertRow, ChannelRow, DeliveryRow } from "./types.ts";

export interface AlertsView {
  firing: AlertRow[];
  recent: AlertRow[];
  rules: (Rule & { sent_today: number })[];
  channels: ChannelRow[];
  deliveries: DeliveryRow[];
}

type Raw =
  & Omit<AlertRow, "title" | "severity" | "unit" | "value" | "threshold">
  & { value: string | null; threshold: string | null };

function row(r: Raw): AlertRow {
  const spec = RULES[r.rule as RuleName];
  return {
    ...r,
    title: spec?.title ?? r.rule,
    severity: spec?.severity ?? "warning",
    unit: spec?.unit ?? null,
    value: r.value === null ? null : Number(r.value),
    threshold: r.threshold === null ? null : Number(r.threshold),
  };
}

/** The columns of an {@linkcode AlertRow}, as a fragment of a query. */
const columns = (sql: Sql) =>
  sql`alert_id::int, alert_key as key, rule, subject, message, value::text, threshold::text,
      state, fired_at, last_seen_at, resolved_at, notified_count, suppressed_count,
      acknowledged_at, acknowledged_by`;

async function alerts(sql: Sql) {
  const [firing, recent] = await Promise.all([
    sql<Raw[]>`
      select ${columns(sql)} from alerts where state = 'firing'
      order by fired_at desc, alert_id desc limit 500`,
    sql<Raw[]>`
      select ${columns(sql)} from alerts
      where state = 'resolved' and resolved_at > now() - interval '7 days'
      order by resolved_at desc, alert_id desc limit 100`,
  ]);
  return { firing: firing.map(row), recent: recent.map(row) };
}

async function deliveries(sql: Sql): Promise<DeliveryRow[]> {
  return await sql<DeliveryRow[]>`
    select d.delivery_id::int, d.channel, d.kind, a.subject, d.status, d.attempts, d.last_status,
           d.last_error, d.created_at, d.finished_at
    from alert_deliveries d
    left join alert_notifications n using (notification_id)
    left join alerts a on a.alert_id = n.alert_id
    order by d.delivery_id desc limit 50`;
}

/** Messages about each rule's alerts (firing or repeat) since 00:00 UTC of `now`'s day: what the daily cap counts. */
export async function sentToday(
  sql: Sql | TransactionSql,
  now: Date = new Date(),
): Promise<Map<string, number>> {
  const rows = await sql<{ rule: string; n: number }[]>`
    select rule, count(*)::int as n from alert_notifications
    where kind in ('firing', 'repeat')
      and created_at >= date_trunc('day', ${now}::timestamptz at time zone 'UTC') at time zone 'UTC'
    group by rule`;
  return new Map(rows.map((r) => [r.rule, r.n]));
}

/** Everything the alerts page shows. */
export async function alertsView(
  sql: Sql,
  config: Config,
): Promise<AlertsView> {
  const [a, rules, sent, sentList] = await Promise.all([
    alerts(sql),
    loadRules(sql, config),
    sentToday(sql),
    deliveries(sql),
  ]);
  return {
    ...a,
    rules: rules.map((r) => ({ ...r, sent_today: sent.get(r.rule) ?? 0 })),
    channels: config.alertChannels.map((c) => ({
      name: c.name,
      kind: c.kind,
      url: maskUrl(c.url),
      signed: c.kind === "webhook",
    })),
    deliveries: sentList,
  };
}

/**
 * Acknowledges firing alert `id` as `by`: it stays on the page until it
 * clears, but is no longer repeated. Acknowledging twice keeps the first.
 * 404 for an unknown alert, 409 for a resolved one.
 */
export async function acknowledgeAlert(
  sql: Sql,
  id: number,
  by: string,
): Promise<AlertRow> {
  const [r] = await sql<Raw[]>`
    update alerts set acknowledged_at = coalesce(acknowledged_at, now()),
      acknowledged_by = coalesce(acknowledged_by, ${by})
    where alert_id = ${id} and state = 'firing'
    returning ${columns(sql)}`;
  if (r) return row(r);
  const [gone] = await sql<{ state: string }[]>`
    select state from alerts where alert_id = ${id}`;
  if (!gone) throw new AlertError(404, `Cannot find alert ${id}`);
  throw new AlertError(
    409,
    `Cannot acknowledge alert ${id}: it is resolved already`,
  );
}
