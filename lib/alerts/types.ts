/** What the rule readers return and get. */
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
