/** What the rule readers return and get, and the rows the page shows (islands import these). */
import type { Sql } from "../db/mod.ts";
import type { Config } from "../config.ts";
import type { WorkerRegistry } from "../health/registry.ts";

/** One thing a rule finds that needs attention now. */
export interface Condition {
  /** Stays the same while the same thing needs attention, e.g. `stock_out_risk:P004:WH-PH`. */
  key: string;
  subject: string;
  message: string;
  /** The measured figure, in the rule's unit (null when it has none). */
  value: number | null;
}

export interface ConditionContext {
  config: Config;
  /** This process's workers, when the consumers run here too. */
  workers?: WorkerRegistry;
}

/** Reads one rule's conditions at `threshold` (0 for a rule without one). */
export type Reader = (
  sql: Sql,
  threshold: number,
  ctx: ConditionContext,
) => Promise<Condition[]>;

/** An alert as the page and the API show it (times as ISO text). */
export interface AlertRow {
  alert_id: number;
  key: string;
  rule: string;
  title: string;
  severity: string;
  subject: string;
  message: string;
  value: number | null;
  threshold: number | null;
  unit: string | null;
  state: "firing" | "resolved";
  fired_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
  notified_count: number;
  suppressed_count: number;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
}

export interface ChannelRow {
  name: string;
  kind: string;
  /** Scheme and host only: a Slack URL is itself a secret. */
  url: string;
  signed: boolean;
}

export interface DeliveryRow {
  delivery_id: number;
  channel: string;
  kind: string;
  subject: string | null;
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
}
