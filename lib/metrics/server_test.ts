import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { serveMetrics } from "./server.ts";
import { startMetrics } from "./mod.ts";
import { CommitBus } from "../feed/bus.ts";
import type { Sql } from "../db/mod.ts";

/** Metrics without a database or a log: what serving them needs. */
const bareMetrics = () =>
  startMetrics({
    sql: null as unknown as Sql,
    bus: new CommitBus(),
    log: null,
    topicPrefix: "",
    dbPoolMax: 1,
  });

Deno.test("metrics server - a process without the web role answers /api/health too", async () => {
  const metrics = bareMetrics();
  const server = serveMetrics(metrics, {
    host: "127.0.0.1",
    port: 0,
    health: () => Response.json({ status: "degraded" }, { status: 503 }),
  });
  try {
    const r = await fetch(server.url.replace("/metrics", "/api/health"));
    assertEquals([r.status, await r.json()], [503, { status: "degraded" }]);
  } finally {
    await server.stop();
    metrics.stop();
  }
});

Deno.test("metrics server - a port that is taken is refused in one sentence naming METRICS_PORT", () => {
  const metrics = bareMetrics();
  const other = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    throws(
      () => serveMetrics(metrics, { host: "127.0.0.1", port: other.addr.port }),
      new RegExp(
        `^Error: Cannot serve metrics on 127\\.0\\.0\\.1:${other.addr.port}: the port is taken \\(set METRICS_PORT to another port, or 0 to turn it off\\)$`,
      ),
    );
  } finally {
    other.close();
    metrics.stop();
  }
});
