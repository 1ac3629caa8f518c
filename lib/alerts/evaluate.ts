/**
 * One evaluation of every rule (the `alerts` job, every minute): read the
 * conditions, then in one transaction decide (decide.ts) and write the
 * alerts, the messages and one delivery per message and channel into the
 * outbox. Nothing is sent here: the sender (deliver.ts) does that on its
 * own, so a slow or failing channel never holds up an evaluation, and an
 * evaluation that fails sends nothing half-decided.
 */
import type { Sql, TransactionSql } from "../db/mod.ts";
import type { Config } from "../config.ts";
import type { WorkerRegistry } from "../health/registry.ts";
import { logger } from "../log.ts";
import { loadRules, type Rule } from "./rules.ts";
import { READERS } from "./conditions.ts";
import type { Condition } from "./types.ts";
import { decide, type Decision, type OpenAlert } from "./decide.ts";
import { writeDecisions } from "./write.ts";
import { sentToday } from "./store.ts";

const log = logger("alerts");
/** Serialises evaluations of several processes ("alrt"). */
const LOCK = 0x616c7274;
/** Resolved alerts and deliveries are kept this long. */
export const KEEP_DAYS = 30;

export interface EvaluateOptions {
  config: Config;
  workers?: WorkerRegistry;
  /** The evaluation's time (tests move it past a cooldown); default now. */
  now?: Date;
}

/** What one evaluation did. */
export interface Evaluation {
  /** Alerts firing afterwards. */
  firing: number;
  fired: number;
  repeated: number;
  resolved: number;
  /** Messages the daily cap held back. */
  held: number;
  deliveries: number;
  /** Rules whose conditions could not be read (their alerts stay as they were). */
  failed: string[];
}

async function readAll(
  sql: Sql,
  rules: readonly Rule[],
  o: EvaluateOptions,
): Promise<{ found: Map<string, Condition[]>; failed: string[] }> {
  const found = new Map<string, Condition[]>();
  const failed: string[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    try {
      found.set(
        rule.rule,
        await READERS[rule.rule](sql, rule.threshold ?? 0, o),
      );
    } catch (err) {
      failed.push(rule.rule);
      log.warn("cannot read an alert rule", { rule: rule.rule, error: err });
    }
  }
  return { found, failed };
}

function openAlerts(tx: TransactionSql) {
  return tx<(OpenAlert & { value: string | null; threshold: string | null })[]>`
    select alert_id::int, alert_key, rule, subject, message, value::text, threshold::text,
           fired_at, last_notified_at, notified_count, acknowledged_at
    from alerts where state = 'firing' for update`;
}

function count(ds: readonly Decision[], failed: string[], deliveries: number) {
  const n = (f: (d: Decision) => boolean) => ds.filter(f).length;
  return {
    firing: n((d) => d.kind !== "resolve"),
    fired: n((d) => d.kind === "fire"),
    repeated: n((d) => d.kind === "seen" && d.notify),
    resolved: n((d) => d.kind === "resolve"),
    held: n((d) => d.kind !== "resolve" && d.held),
    deliveries,
    failed,
  };
}

/** Evaluates every rule once and queues the messages it decides. */
export async function evaluateAlerts(
  sql: Sql,
  o: EvaluateOptions,
): Promise<Evaluation> {
  const now = o.now ?? new Date();
  const rules = await loadRules(sql, o.config);
  const { found, failed } = await readAll(sql, rules, o);
  return await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK})`;
    const open = (await openAlerts(tx)).map((a) => ({
      ...a,
      value: a.value === null ? null : Number(a.value),
      threshold: a.threshold === null ? null : Number(a.threshold),
    }));
    const decisions = decide({
      rules,
      found,
      open,
      sentToday: await sentToday(tx, now),
      now,
    });
    const deliveries = await writeDecisions(tx, decisions, {
      now,
      rules,
      channels: o.config.alertChannels,
      publicUrl: o.config.publicUrl,
    });
    await tx`
      delete from alerts where state = 'resolved'
        and resolved_at < ${now}::timestamptz - make_interval(days => ${KEEP_DAYS})`;
    await tx`
      delete from alert_deliveries where notification_id is null
        and created_at < ${now}::timestamptz - make_interval(days => ${KEEP_DAYS})`;
    return count(decisions, failed, deliveries);
  });
}
