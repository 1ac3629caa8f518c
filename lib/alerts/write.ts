/**
 * Writes an evaluation's decisions in its transaction, one statement per
 * kind of change: new alerts, alerts seen again, resolved ones, the messages
 * decided, and the outbox rows (one per message and channel of its rule,
 * each with the body it will always send).
 */
import type { TransactionSql } from "../db/mod.ts";
import type { AlertChannel } from "../config.ts";
import type { Decision, OpenAlert } from "./decide.ts";
import { type AlertFacts, bodyFor, type MessageKind } from "./messages.ts";
import type { Rule, RuleName } from "./rules.ts";

export interface WriteContext {
  now: Date;
  /** Every rule: a resolved alert's messages go to its rule's channels. */
  rules: readonly Rule[];
  channels: readonly AlertChannel[];
  publicUrl: string;
}

type Fire = Extract<Decision, { kind: "fire" }>;
type Seen = Extract<Decision, { kind: "seen" }>;
type Resolve = Extract<Decision, { kind: "resolve" }>;

/** A message to queue: what it tells, and which rule's channels it goes to. */
interface Outgoing {
  kind: Exclude<MessageKind, "test">;
  facts: AlertFacts;
  channels: readonly string[];
}

async function insertFired(tx: TransactionSql, fires: Fire[], now: Date) {
  if (fires.length === 0) return new Map<string, number>();
  const c = <T>(f: (d: Fire) => T) => fires.map(f);
  const rows = await tx<{ alert_id: number; alert_key: string }[]>`
    insert into alerts (alert_key, rule, subject, state, message, value, threshold, fired_at,
                        last_seen_at, last_notified_at, notified_count, suppressed_count)
    select k, r, s, 'firing', m, v, t, ${now}, ${now}, ${now}, n, h from unnest(
      ${c((d) => d.cond.key)}::text[], ${c((d) => d.rule.rule)}::text[], ${
    c((d) => d.cond.subject)
  }::text[], ${c((d) => d.cond.message)}::text[], ${
    c((d) => d.cond.value)
  }::numeric[], ${c((d) => d.rule.threshold)}::numeric[],
      ${c((d) => (d.notify ? 1 : 0))}::int[], ${
    c((d) => (d.held ? 1 : 0))
  }::int[]
    ) as u(k, r, s, m, v, t, n, h)
    returning alert_id::int, alert_key`;
  return new Map(rows.map((r) => [r.alert_key, r.alert_id]));
}

async function updateSeen(tx: TransactionSql, seen: Seen[], now: Date) {
  if (seen.length === 0) return;
  const c = <T>(f: (d: Seen) => T) => seen.map(f);
  await tx`
    update alerts a set message = u.m, value = u.v, threshold = u.t, last_seen_at = ${now},
      last_notified_at = case when u.touched then ${now}::timestamptz else a.last_notified_at end,
      notified_count = a.notified_count + u.n, suppressed_count = a.suppressed_count + u.h
    from unnest(${c((d) => d.alert.alert_id)}::bigint[], ${
    c((d) => d.cond.message)
  }::text[], ${c((d) => d.cond.value)}::numeric[], ${
    c((d) => d.rule.threshold)
  }::numeric[], ${c((d) => String(d.notify || d.held))}::text[]::bool[],
      ${c((d) => (d.notify ? 1 : 0))}::int[], ${
    c((d) => (d.held ? 1 : 0))
  }::int[])
      as u(id, m, v, t, touched, n, h)
    where a.alert_id = u.id`;
}

async function resolve(tx: TransactionSql, gone: Resolve[], now: Date) {
  if (gone.length === 0) return;
  await tx`
    update alerts set state = 'resolved', resolved_at = ${now}
    where alert_id = any(${gone.map((d) => d.alert.alert_id)}::bigint[])`;
}

function facts(
  a: Pick<
    OpenAlert,
    | "alert_id"
    | "alert_key"
    | "rule"
    | "subject"
    | "message"
    | "value"
    | "threshold"
    | "fired_at"
    | "acknowledged_at"
  >,
  resolvedAt: Date | null,
): AlertFacts {
  return {
    alert_id: a.alert_id,
    key: a.alert_key,
    rule: a.rule as RuleName,
    subject: a.subject,
    state: resolvedAt ? "resolved" : "firing",
    message: a.message,
    value: a.value,
    threshold: a.threshold,
    fired_at: a.fired_at,
    resolved_at: resolvedAt,
    acknowledged: a.acknowledged_at !== null,
  };
}

/** The messages the decisions call for, with the alert as it now stands. */
function outgoing(
  ds: readonly Decision[],
  ids: ReadonlyMap<string, number>,
  now: Date,
  rules: ReadonlyMap<string, readonly string[]>,
): Outgoing[] {
  const out: Outgoing[] = [];
  for (const d of ds) {
    if (!d.notify) continue;
    if (d.kind === "resolve") {
      out.push({
        kind: "resolved",
        facts: facts(d.alert, now),
        channels: rules.get(d.alert.rule) ?? [],
      });
      continue;
    }
    const base = d.kind === "fire"
      ? { alert_id: ids.get(d.cond.key)!, fired_at: now, acknowledged_at: null }
      : d.alert;
    out.push({
      kind: d.kind === "fire" ? "firing" : "repeat",
      facts: facts({
        ...base,
        alert_key: d.cond.key,
        rule: d.rule.rule,
        subject: d.cond.subject,
        message: d.cond.message,
        value: d.cond.value,
        threshold: d.rule.threshold,
      }, null),
      channels: d.rule.channels,
    });
  }
  return out;
}

/** Writes `ds`; returns how many deliveries it queued. */
export async function writeDecisions(
  tx: TransactionSql,
  ds: readonly Decision[],
  w: WriteContext,
): Promise<number> {
  const ids = await insertFired(
    tx,
    ds.filter((d): d is Fire => d.kind === "fire"),
    w.now,
  );
  await updateSeen(tx, ds.filter((d): d is Seen => d.kind === "seen"), w.now);
  await resolve(
    tx,
    ds.filter((d): d is Resolve => d.kind === "resolve"),
    w.now,
  );
  const ruleChannels = new Map(w.rules.map((r) => [r.rule, r.channels]));
  const msgs = outgoing(ds, ids, w.now, ruleChannels);
  return await queue(tx, msgs, w);
}

async function queue(
  tx: TransactionSql,
  msgs: readonly Outgoing[],
  w: WriteContext,
): Promise<number> {
  if (msgs.length === 0) return 0;
  const notes = await tx<
    { notification_id: number; alert_id: number; kind: string }[]
  >`
    insert into alert_notifications (alert_id, rule, kind, created_at)
    select a, r, k, ${w.now} from unnest(${
    msgs.map((m) => m.facts.alert_id)
  }::bigint[], ${msgs.map((m) => m.facts.rule)}::text[], ${
    msgs.map((m) => m.kind)
  }::text[]) as u(a, r, k)
    returning notification_id::int, alert_id::int, kind`;
  // An alert gets at most one message per evaluation.
  const idOf = new Map(
    notes.map((n) => [`${n.alert_id}|${n.kind}`, n.notification_id]),
  );
  const rows = deliveryRows(msgs, idOf, w);
  if (rows.length === 0) return 0;
  await tx`
    insert into alert_deliveries (notification_id, channel, kind, body, next_attempt_at)
    select n, c, k, b, now() from unnest(${rows.map((r) => r.n)}::bigint[], ${
    rows.map((r) => r.channel)
  }::text[], ${rows.map((r) => r.kind)}::text[], ${
    rows.map((r) => r.body)
  }::text[])
      as u(n, c, k, b)`;
  return rows.length;
}

/** One outbox row per message and channel of its rule, with the body that channel gets. */
function deliveryRows(
  msgs: readonly Outgoing[],
  idOf: ReadonlyMap<string, number>,
  w: WriteContext,
) {
  const rows: { n: number; channel: string; kind: string; body: string }[] = [];
  msgs.forEach((m) => {
    const id = idOf.get(`${m.facts.alert_id}|${m.kind}`)!;
    for (const name of m.channels) {
      const ch = w.channels.find((c) => c.name === name);
      if (!ch) continue;
      const message = {
        kind: m.kind,
        notificationId: id,
        alert: m.facts,
        at: w.now,
        publicUrl: w.publicUrl,
      };
      rows.push({
        n: id,
        channel: name,
        kind: m.kind,
        body: bodyFor(ch.kind, message),
      });
    }
  });
  return rows;
}
