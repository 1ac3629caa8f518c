/** Liveness and readiness: `/api/health` answers 200 when the database does, 503 when it does not. */
import { Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";

/** A health check must answer quickly even while the driver backs off between reconnects. */
const DEADLINE_MS = 2000;

export function healthRoutes(ctx: AppContext): Hono {
  return new Hono().get("/api/health", async (c) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        ctx.sql`select 1`,
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${DEADLINE_MS} ms`)),
            DEADLINE_MS,
          );
        }),
      ]);
      return c.json({ status: "ok", database: "up" });
    } catch (err) {
      return c.json({
        status: "degraded",
        database: "down",
        error: (err as Error).message,
      }, 503);
    } finally {
      clearTimeout(timer);
    }
  });
}
