/** The web role: serves the dashboard, the JSON API and /metrics on HOST:PORT. */
import type { DashboardApp } from "../routes/app.ts";
import { logger } from "../lib/log.ts";
import { listen } from "../lib/listen.ts";

const log = logger("web");

export interface WebServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts serving `web`; binds to 127.0.0.1 unless told otherwise. */
export function serve(
  web: DashboardApp,
  opts: { host: string; port: number },
): WebServer {
  const server = listen({
    host: opts.host,
    port: opts.port,
    what: "the dashboard",
    hint: 'is another "deno task start" running? set PORT to another port',
  }, web.app.fetch);
  const url = `http://${opts.host}:${server.addr.port}`;
  log.info("dashboard ready", { url });
  return {
    url,
    async stop() {
      // Open live streams never finish by themselves; end them so shutdown does not wait forever.
      await web.feed.close();
      await server.shutdown();
    },
  };
}
