/**
 * Alerts and their deliveries, read at scrape time from the tables the jobs
 * role writes (lib/alerts), so any process's /metrics shows them: what fires
 * per rule, and the deliveries of the last 24 hours by outcome (a failed
 * one means a channel missed a message).
 */
import type { Sql } from "../db/mod.ts";
import type { Metrics } from "./definitions.ts";
import { isMissingTable, readOnly } from "./read.ts";

export interface AlertFigures {
  firing: { rule: string; n: number }[];
  deliveries: { status: string; n: number }[];
}

/** Reads the figures (empty before the alerts migration). */
export async function readAlerts(sql: Sql): Promise<AlertFigures> {
  try {
    return await readOnly(sql, async (tx) => ({
      firing: await tx<{ rule: string; n: number }[]>`
        select rule, count(*)::int as n from alerts where state = 'firing' group by rule`,
      deliveries: await tx<{ status: string; n: number }[]>`
        select status, count(*)::int as n from alert_deliveries
        where created_at > now() - interval '24 hours' group by status`,
    }));
  } catch (err) {
    if (isMissingTable(err)) return { firing: [], deliveries: [] };
    throw err;
  }
}

/** Replaces the alert series with `f`. */
export function setAlerts(m: Metrics, f: AlertFigures): void {
  m.alertsFiring.reset();
  m.alertDeliveries.reset();
  for (const r of f.firing) m.alertsFiring.set({ rule: r.rule }, r.n);
  for (const d of f.deliveries) {
    m.alertDeliveries.set({ status: d.status }, d.n);
  }
}
