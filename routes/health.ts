/**
 * Liveness and readiness: `/api/health` answers 200 when the database answers
 * and every worker of this process runs and reads all its partitions, 503
 * otherwise. The body says which: the database, each worker's state (since
 * when, restarts, the error that stopped it, partitions it refuses) and the
 * consumers' lag per topic and partition.
 */
import { Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";

/** A health check must answer quickly even while the driver backs off between reconnects. */
const DEADLINE_MS = 2000;

function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what}: no answer within ${DEADLINE_MS} ms`)),
        DEADLINE_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Lag per topic and partition, e.g. `{ "raw.clickstream": { "0": 12 } }`. */
async function lagOf(ctx: AppContext) {
  if (!ctx.lag) return undefined;
  const out: Record<string, Record<string, number>> = {};
  for (const l of await within(ctx.lag(), "lag")) {
    (out[l.topic] ??= {})[String(l.partition)] = l.lag;
  }
  return out;
}

export function healthRoutes(ctx: AppContext): Hono {
  return new Hono().get("/api/health", async (c) => {
    const workers = ctx.workers?.list() ?? [];
    const workersOk = ctx.workers?.healthy ?? true;
    try {
      await within(ctx.sql`select 1`, "database");
    } catch (err) {
      return c.json({
        status: "degraded",
        database: "down",
        error: (err as Error).message,
        workers,
      }, 503);
    }
    const lag = await lagOf(ctx).catch((err) => ({
      error: String(err.message),
    }));
    return c.json(
      { status: workersOk ? "ok" : "degraded", database: "up", workers, lag },
      workersOk ? 200 : 503,
    );
  });
}
