/**
 * A port another program holds is refused at start in one sentence naming
 * the setting that moves it, for the dashboard (PORT) and for the metrics
 * server of a process without the web role (METRICS_PORT).
 */
import { throws } from "node:assert/strict";
import { Hono } from "hono";
import { serve } from "../workers/web.ts";
import { serveMetrics } from "../lib/metrics/server.ts";
import { startMetrics } from "../lib/metrics/mod.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import type { DashboardApp } from "../routes/app.ts";
import type { Sql } from "../lib/db/mod.ts";

/** A port something else listens on, for as long as `run` runs. */
async function takenPort(run: (port: number) => void | Promise<void>) {
  const other = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    await run(other.addr.port);
  } finally {
    other.close();
  }
}

Deno.test("web - a dashboard port that is taken is refused in one sentence naming PORT", async () => {
  // Only the app is reached before the port is bound.
  const web = { app: new Hono() } as unknown as DashboardApp;
  await takenPort((port) =>
    throws(
      () => serve(web, { host: "127.0.0.1", port }),
      new RegExp(
        `^Error: Cannot serve the dashboard on 127\\.0\\.0\\.1:${port}: the port is taken .*set PORT to another port\\)$`,
      ),
    )
  );
});

Deno.test("web - a metrics port that is taken is refused in one sentence naming METRICS_PORT", async () => {
  const metrics = startMetrics({
    sql: null as unknown as Sql,
    bus: new CommitBus(),
    log: null,
    topicPrefix: "",
    dbPoolMax: 1,
  });
  try {
    await takenPort((port) =>
      throws(
        () => serveMetrics(metrics, { host: "127.0.0.1", port }),
        /the port is taken \(set METRICS_PORT to another port, or 0 to turn it off\)$/,
      )
    );
  } finally {
    metrics.stop();
  }
});
