/**
 * Content-hashed assets: island bundles at `/islands/<hash>/<file>` and
 * static files at `/static/<hash>/<file>`, cached for a year as immutable.
 * A stale hash answers 404 rather than old content under a new name.
 */
import { Hono } from "hono";
import { islandBundle } from "../lib/islands/build.ts";
import { STATIC_ID, staticFile } from "../lib/web/assets.ts";

const IMMUTABLE = "public, max-age=31536000, immutable";

export function assetRoutes(): Hono {
  return new Hono()
    .get("/islands/:id/*", async (c) => {
      const bundle = await islandBundle();
      const id = c.req.param("id");
      const file = c.req.path.slice(`/islands/${id}/`.length);
      const body = id === bundle.id ? bundle.files.get(file) : undefined;
      if (!body) return c.text("Not found", 404);
      c.header("Cache-Control", IMMUTABLE);
      c.header("Content-Type", "text/javascript; charset=utf-8");
      return c.body(body as Uint8Array<ArrayBuffer>);
    })
    .get("/static/:id/:file", (c) => {
      const f = c.req.param("id") === STATIC_ID
        ? staticFile(c.req.param("file"))
        : undefined;
      if (!f) return c.text("Not found", 404);
      c.header("Cache-Control", IMMUTABLE);
      c.header("Content-Type", f.type);
      return c.body(f.body as Uint8Array<ArrayBuffer>);
    });
}
