/** Serves the web app (dashboard, JSON API, /metrics) on HOST:PORT. */
import type { Hono } from "hono";
import { logger } from "../log.ts";
import { liveFeedOf } from "./app.ts";

const log = logger("web");

export interface WebServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts serving `app`; binds to 127.0.0.1 unless told otherwise. */
export function serve(
  app: Hono,
  opts: { host: string; port: number },
): WebServer {
  const server = Deno.serve({
    hostname: opts.host,
    port: opts.port,
    onListen: () => {},
  }, app.fetch);
  const url = `http://${opts.host}:${server.addr.port}`;
  log.info("dashboard ready", { url });
  return {
    url,
    async stop() {
      // Open live streams never finish by themselves; end them so shutdown does not wait forever.
      await liveFeedOf(app)?.close();
      await server.shutdown();
    },
  };
}
