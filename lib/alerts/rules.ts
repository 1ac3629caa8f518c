/**
 * The alert rules: what each watches, its threshold and unit, and how often
 * it may speak. Thresholds, cooldown and daily cap come from settings
 * (ALERT_*); `PUT /api/alerts/rules/:rule` stores changes over them in
 * `alert_rules` (only the fields changed, so a later change of a setting
 * still reaches the fields nobody touched).
 */
import type { Config } from "../config.ts";
import type { Sql } from "../db/mod.ts";

export const RULE_NAMES = [
  "stock_out_risk",
  "competitor_undercut",
  "competitor_raised",
  "price_war",
  "approval_waiting",
  "quality_failed",
  "consumer_lag",
  "consumer_stopped",
  "lake_export_failing",
] as const;
export type RuleName = typeof RULE_NAMES[number];
export type Severity = "critical" | "warning" | "info";

interface RuleSpec {
  title: string;
  /** What the threshold counts; null for a rule without one. */
  unit: "days" | "%" | "minutes" | "events" | null;
  severity: Severity;
  /** The threshold the settings give. */
  threshold(c: Config): number | null;
  /** When it fires, in words (the page and the README say it). */
  when: string;
}

export const RULES: Record<RuleName, RuleSpec> = {
  stock_out_risk: {
    title: "Stock-out risk",
    unit: "days",
    severity: "warning",
    threshold: (c) => c.alertStockoutDays,
    when: "a product in a warehouse has fewer days of cover than the threshold",
  },
  competitor_undercut: {
    title: "Competitor undercut",
    unit: "%",
    severity: "warning",
    threshold: (c) => c.alertUndercutPct,
    when: "a competitor's latest price is more than the threshold below ours",
  },
  competitor_raised: {
    title: "Competitor above us",
    unit: "%",
    severity: "info",
    threshold: (c) => c.alertRaisedPct,
    when:
      "a competitor's latest price is more than the threshold above ours: room to raise",
  },
  price_war: {
    title: "Price war",
    unit: null,
    severity: "warning",
    threshold: () => null,
    when: "the engine flags a product's recommendation as a price war",
  },
  approval_waiting: {
    title: "Waiting for approval",
    unit: "minutes",
    severity: "info",
    threshold: (c) => c.alertApprovalWaitMs / 60_000,
    when:
      "a recommendation has waited for an analyst longer than the threshold",
  },
  quality_failed: {
    title: "Data-quality check failed",
    unit: null,
    severity: "critical",
    threshold: () => null,
    when: "a check failed or errored in the latest quality run",
  },
  consumer_lag: {
    title: "Consumer lag",
    unit: "events",
    severity: "warning",
    threshold: (c) => c.alertLag,
    when: "more events than the threshold wait for a topic's consumers",
  },
  consumer_stopped: {
    title: "Consumer stopped",
    unit: "minutes",
    severity: "critical",
    threshold: (c) => c.alertStallMs / 60_000,
    when:
      "a topic's consumer is down, refuses a partition, or has committed nothing for the threshold while events wait",
  },
  lake_export_failing: {
    title: "Lake export failing",
    unit: null,
    severity: "critical",
    threshold: () => null,
    when: "the latest lake export run failed",
  },
};

/** A rule as it applies now: settings with the stored changes over them. */
export interface Rule {
  rule: RuleName;
  title: string;
  unit: RuleSpec["unit"];
  severity: Severity;
  when: string;
  threshold: number | null;
  enabled: boolean;
  cooldown_minutes: number;
  daily_cap: number;
  /** Names of the channels its messages go to. */
  channels: string[];
  /** The fields changed through the API (the rest follow the settings). */
  changed: string[];
  updated_by: string | null;
}

/** The fields a rule change may set; null returns a field to its setting. */
export interface RuleOverride {
  threshold?: number;
  enabled?: boolean;
  cooldown_minutes?: number;
  daily_cap?: number;
  channels?: string[];
}

/** A refused request about alerts (a bad rule change, an unknown alert), with the status to answer. */
export class AlertError extends Error {
  override name = "AlertError";
  constructor(readonly status: 400 | 404 | 409, message: string) {
    super(message);
  }
}

/** Every rule, in {@linkcode RULE_NAMES} order, as it applies now. */
export async function loadRules(sql: Sql, config: Config): Promise<Rule[]> {
  const rows = await sql<
    { rule: string; override: RuleOverride; updated_by: string }[]
  >`select rule, override, updated_by from alert_rules`;
  const stored = new Map(rows.map((r) => [r.rule, r]));
  const all = config.alertChannels.map((c) => c.name);
  return RULE_NAMES.map((name) => {
    const spec = RULES[name];
    const o = stored.get(name)?.override ?? {};
    return {
      rule: name,
      title: spec.title,
      unit: spec.unit,
      severity: spec.severity,
      when: spec.when,
      threshold: spec.unit === null
        ? null
        : o.threshold ?? spec.threshold(config),
      enabled: o.enabled ?? true,
      cooldown_minutes: o.cooldown_minutes ?? config.alertCooldownMs / 60_000,
      daily_cap: o.daily_cap ?? config.alertDailyCap,
      channels: (o.channels ?? all).filter((c) => all.includes(c)),
      changed: Object.keys(o),
      updated_by: stored.get(name)?.updated_by ?? null,
    };
  });
}

/** The rule named `raw`; 404 naming the rules when there is none. */
export function ruleName(raw: string): RuleName {
  if (!(RULE_NAMES as readonly string[]).includes(raw)) {
    throw new AlertError(
      404,
      `Cannot find alert rule "${raw}": expected one of ${
        RULE_NAMES.join(", ")
      }`,
    );
  }
  return raw as RuleName;
}

function bad(field: string, expected: string): AlertError {
  return new AlertError(
    400,
    `Cannot read field "${field}": expected ${expected}`,
  );
}

/** Stands for null while a field's name is checked: null returns it to its setting. */
const KEEP = Symbol("keep");

/** Checks one field of a change (its name only, for {@linkcode KEEP}). */
function checkField(
  rule: RuleName,
  key: string,
  v: unknown,
  channels: readonly string[],
): unknown {
  const positive = (n: unknown) =>
    typeof n === "number" && Number.isFinite(n) && n > 0;
  const known = [
    "threshold",
    "enabled",
    "cooldown_minutes",
    "daily_cap",
    "channels",
  ];
  if (v === KEEP && known.includes(key)) return v;
  switch (key) {
    case "threshold":
      if (RULES[rule].unit === null) {
        throw bad(key, `nothing: ${rule} has no threshold`);
      }
      if (!positive(v) || (v as number) > 1e9) {
        throw bad(key, `a number above 0 (${RULES[rule].unit})`);
      }
      return v;
    case "enabled":
      if (typeof v !== "boolean") throw bad(key, "true or false");
      return v;
    case "cooldown_minutes":
    case "daily_cap":
      if (!positive(v) || !Number.isInteger(v) || (v as number) > 1_000_000) {
        throw bad(key, "a whole number above 0");
      }
      return v;
    case "channels":
      if (!Array.isArray(v) || v.some((c) => !channels.includes(c))) {
        throw bad(
          key,
          `a list of channel names among ${JSON.stringify(channels)}`,
        );
      }
      return [...new Set(v as string[])];
    default:
      throw new AlertError(
        400,
        `Cannot change field "${key}": expected threshold, enabled, cooldown_minutes, daily_cap or channels`,
      );
  }
}

/**
 * Applies `body` (fields to set; null returns one to its setting) to the
 * stored changes of `rule`, and stores them, by `by`.
 */
export async function changeRule(
  sql: Sql,
  rule: RuleName,
  body: Record<string, unknown>,
  by: string,
  channels: readonly string[],
): Promise<void> {
  const [row] = await sql<{ override: Record<string, unknown> }[]>`
    select override from alert_rules where rule = ${rule}`;
  const next: Record<string, unknown> = { ...row?.override };
  for (const [key, v] of Object.entries(body)) {
    if (key === "by") continue;
    const value = checkField(rule, key, v ?? KEEP, channels);
    if (v === null) delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length === 0) {
    await sql`delete from alert_rules where rule = ${rule}`;
    return;
  }
  await sql`
    insert into alert_rules (rule, override, updated_by) values (${rule}, ${
    sql.json(next as never)
  }, ${by})
    on conflict (rule) do update
      set override = excluded.override, updated_at = now(), updated_by = excluded.updated_by`;
}
