import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { serveMetrics } from "./server.ts";
import { startMetrics } from "./mod.ts";
import { CommitBus } from "../feed/bus.ts";
import type { Sql } from "../db/mod.ts";

Deno.test("metrics server - a process without the web role answers /api/health too", async () => {
  const metrics = startMetrics({
    sql: null as unknown as Sql,
    bus: new CommitBus(),
    log: null,
    topicPrefix: "",
    dbPoolMax: 1,
  });
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
