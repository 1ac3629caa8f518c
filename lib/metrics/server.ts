/**
 * The metrics-only HTTP server, for processes without the web role (a
 * processor or generators process): `GET /metrics` on HOST:METRICS_PORT, and
 * `GET /api/health` (the same answer as the web role's) when given.
 */
import { logger } from "../log.ts";
import { listen } from "../listen.ts";
import type { PlatformMetrics } from "./mod.ts";

const log = logger("metrics");

/** Renders the exposition text as an HTTP response (shared with `routes/metrics.ts`). */
export async function metricsResponse(
  metrics: PlatformMetrics,
): Promise<Response> {
  return new Response(await metrics.render(), {
    headers: { "content-type": metrics.contentType },
  });
}

export interface MetricsServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Serves `metrics` on `host:port` (0 picks a free port). */
export function serveMetrics(
  metrics: PlatformMetrics,
  opts: {
    host: string;
    port: number;
    /** Answers `/api/health` (absent: 404). */
    health?: () => Promise<Response> | Response;
  },
): MetricsServer {
  const server = listen({
    host: opts.host,
    port: opts.port,
    what: "metrics",
    hint: "set METRICS_PORT to another port, or 0 to turn it off",
  }, (req) => handle(metrics, req, opts.health));
  const url = `http://${opts.host}:${server.addr.port}/metrics`;
  log.info("metrics ready", { url });
  return { url, stop: () => server.shutdown() };
}

function handle(
  metrics: PlatformMetrics,
  req: Request,
  health?: () => Promise<Response> | Response,
): Promise<Response> | Response {
  const path = new URL(req.url).pathname;
  if (path === "/api/health" && health && req.method === "GET") return health();
  if (path !== "/metrics") {
    return new Response("Not found: try /metrics\n", { status: 404 });
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    return new Response("Method not allowed\n", { status: 405 });
  }
  return metricsResponse(metrics);
}
