/** Assembles the web app from the sub-apps in `routes/`. */
import { Hono } from "hono";
import type { AppContext } from "./context.ts";
import { healthRoutes } from "../../routes/health.ts";

export function createApp(ctx: AppContext): Hono {
  const app = new Hono();
  app.route("/", healthRoutes(ctx));
  return app;
}
