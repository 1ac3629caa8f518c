/** `GET /metrics`: the process's Prometheus metrics (text exposition format). */
import { Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import { metricsResponse } from "../lib/metrics/server.ts";

export function metricsRoutes(ctx: AppContext): Hono {
  return new Hono().get("/metrics", (c) => {
    if (!ctx.metrics) {
      return c.text("Metrics are not enabled in this process\n", 404);
    }
    return metricsResponse(ctx.metrics);
  });
}
