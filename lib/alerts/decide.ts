/**
 * The lifecycle of alerts, as a pure function of what the rules find now and
 * what is firing: a new key fires and is announced; a key still there is
 * announced again once its cooldown has passed (unless someone acknowledged
 * it); a key gone is resolved, and announced as such if it was ever
 * announced. Each rule may announce at most its daily cap per UTC day;
 * beyond that an alert still fires on the page but is held back from the
 * channels (and counted). A rule whose reading failed leaves its alerts as
 * they are: not knowing is not the same as all clear.
 */
import type { Rule } from "./rules.ts";
import type { Condition } from "./types.ts";

/** A firing alert as stored. */
export interface OpenAlert {
  alert_id: number;
  alert_key: string;
  rule: string;
  subject: string;
  message: string;
  value: number | null;
  threshold: number | null;
  fired_at: Date;
  last_notified_at: Date | null;
  notified_count: number;
  acknowledged_at: Date | null;
}

/** What to do with one key. `notify` false with `held` true: the cap held it back. */
export type Decision =
  | {
    kind: "fire";
    rule: Rule;
    cond: Condition;
    notify: boolean;
    held: boolean;
  }
  | {
    kind: "seen";
    rule: Rule;
    cond: Condition;
    alert: OpenAlert;
    notify: boolean;
    held: boolean;
  }
  | { kind: "resolve"; alert: OpenAlert; notify: boolean };

export interface DecideInput {
  rules: readonly Rule[];
  /** Conditions per rule that was read; a rule absent here failed to read. */
  found: ReadonlyMap<string, readonly Condition[]>;
  open: readonly OpenAlert[];
  /** Messages (firing and repeat) each rule sent today. */
  sentToday: ReadonlyMap<string, number>;
  now: Date;
}

/** Decides every key's fate; see the module comment. */
export function decide(i: DecideInput): Decision[] {
  const out: Decision[] = [];
  const openByKey = new Map(i.open.map((a) => [a.alert_key, a]));
  const left = new Map(
    i.rules.map((r) => [r.rule, r.daily_cap - (i.sentToday.get(r.rule) ?? 0)]),
  );
  const spend = (rule: Rule): boolean => {
    const n = left.get(rule.rule) ?? 0;
    left.set(rule.rule, n - 1);
    return n > 0;
  };
  const current = new Set<string>();
  for (const rule of i.rules) {
    const conds = rule.enabled ? i.found.get(rule.rule) : [];
    if (conds === undefined) {
      // Not read: keep every alert of this rule as it is.
      for (const a of i.open) {
        if (a.rule === rule.rule) current.add(a.alert_key);
      }
      continue;
    }
    for (const cond of [...conds].sort((a, b) => a.key.localeCompare(b.key))) {
      current.add(cond.key);
      const alert = openByKey.get(cond.key);
      if (!alert) {
        const notify = spend(rule);
        out.push({ kind: "fire", rule, cond, notify, held: !notify });
        continue;
      }
      const due = !alert.acknowledged_at &&
        (alert.last_notified_at === null ||
          i.now.getTime() - alert.last_notified_at.getTime() >=
            rule.cooldown_minutes * 60_000);
      const notify = due && spend(rule);
      out.push({
        kind: "seen",
        rule,
        cond,
        alert,
        notify,
        held: due && !notify,
      });
    }
  }
  for (const a of i.open) {
    if (current.has(a.alert_key)) continue;
    out.push({ kind: "resolve", alert: a, notify: a.notified_count > 0 });
  }
  return out;
}
