/** The web role: serves the dashboard, the JSON API and /metrics on HOST:PORT. */
import type { DashboardApp } from "../routes/app.ts";
import { logger } from "../lib/log.ts";

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
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: opts.host,
      port: opts.port,
      onListen: () => {},
    }, web.app.fetch);
  } catch (err) {
    if (err instanceof Deno.errors.AddrInUse) {
      throw new Error(
        `Cannot serve the dashboard on ${opts.host}:${opts.port}: the port is taken (is another "deno task start" running? set PORT to another port)`,
      );
    }
    throw err;
  }
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
