/** Liveness and readiness: `/api/health` answers 200 when the database does, 503 when it does not. */
import { Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";

export function healthRoutes(ctx: AppContext): Hono {
  return new Hono().get("/api/health", async (c) => {
    try {
      await ctx.sql`select 1`;
      return c.json({ status: "ok", database: "up" });
    } catch (err) {
      return c.json({
        status: "degraded",
        database: "down",
        error: (err as Error).message,
      }, 503);
    }
  });
}
