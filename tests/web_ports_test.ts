/**
 * A dashboard port another program holds is refused at start in one sentence
 * naming the setting that moves it (the metrics server's twin is in
 * lib/metrics/server_test.ts).
 */
import { throws } from "node:assert/strict";
import { Hono } from "hono";
import { serve } from "../workers/web.ts";
import type { DashboardApp } from "../routes/app.ts";

Deno.test("web - a dashboard port that is taken is refused in one sentence naming PORT", () => {
  // Only the app is reached before the port is bound.
  const web = { app: new Hono() } as unknown as DashboardApp;
  const other = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    throws(
      () => serve(web, { host: "127.0.0.1", port: other.addr.port }),
      new RegExp(
        `^Error: Cannot serve the dashboard on 127\\.0\\.0\\.1:${other.addr.port}: the port is taken \\(is another "deno task start" running\\? set PORT to another port\\)$`,
      ),
    );
  } finally {
    other.close();
  }
});
