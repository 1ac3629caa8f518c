/**
 * Failure paths and assets: a database that is down gives a readable 503
 * (page or JSON), never a stack trace; bundles and the stylesheet are served
 * under content hashes with immutable caching.
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { connect } from "../lib/db/mod.ts";
import { dbTest } from "./harness/db.ts";
import { webApp } from "./harness/web_app.ts";

Deno.test({
  name:
    "errors - a database that is down gives a 503 page and JSON, not a stack trace",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    // Port 1 on loopback: nothing listens, so every query fails to connect.
    const sql = connect({
      url: "postgres://postgres@127.0.0.1:1/nothing",
      max: 1,
    });
    try {
      const { app } = webApp(sql);
      for (
        const path of [
          "/",
          "/inventory",
          "/pricing",
          "/activity",
          "/pricing/P001",
        ]
      ) {
        const res = await app.request(path);
        assertEquals(res.status, 503, path);
        match(res.headers.get("content-type") ?? "", /text\/html/);
        const html = await res.text();
        ok(html.includes("The database is not reachable right now"), path);
        ok(
          !/ECONNREFUSED|at \w+ \(|postgres:\/\//.test(html),
          `${path}: no internals leak`,
        );
        ok(
          html.includes('http-equiv="refresh"'),
          "the 503 page retries by itself",
        );
      }
      const api = await app.request("/api/overview");
      assertEquals(api.status, 503);
      assertEquals((await api.json()).status, 503);
      assertEquals((await app.request("/api/health")).status, 503);
    } finally {
      await sql.end({ timeout: 1 });
    }
  },
});

dbTest(
  "assets - island bundles and the stylesheet are content-hashed and immutable",
  async ({ sql }) => {
    const { app } = webApp(sql);
    const html = await (await app.request("/pricing")).text();
    const urls = [...html.matchAll(/(?:from|import)\s*"(\/islands\/[^"]+)"/g)]
      .map((m) => m[1]!);
    ok(
      urls.some((u) => u.endsWith("/lib/islands/client.js")) &&
        urls.some((u) => u.endsWith("/SortableTable.js")),
    );
    for (const u of urls) {
      const res = await app.request(u);
      assertEquals(res.status, 200, u);
      assertEquals(
        res.headers.get("cache-control"),
        "public, max-age=31536000, immutable",
      );
      match(res.headers.get("content-type") ?? "", /text\/javascript/);
      const js = await res.text();
      for (const m of js.matchAll(/from\s*"(\.{1,2}\/[^"]+)"/g)) {
        const chunk = new URL(m[1]!, `http://x${u}`).pathname;
        assertEquals((await app.request(chunk)).status, 200, chunk);
      }
    }
    const stale = urls[0]!.replace(
      /\/islands\/[0-9a-f]+\//,
      "/islands/000000000000/",
    );
    assertEquals((await app.request(stale)).status, 404);
    const css = html.match(/href="(\/static\/[0-9a-f]+\/style\.css)"/)![1]!;
    const res = await app.request(css);
    assertEquals(res.status, 200);
    assertEquals(
      res.headers.get("cache-control"),
      "public, max-age=31536000, immutable",
    );
    match(res.headers.get("content-type") ?? "", /text\/css/);
  },
);

dbTest(
  "errors - unknown paths are a 404 page, or JSON under /api",
  async ({ sql }) => {
    const { app } = webApp(sql);
    const page = await app.request("/nowhere");
    assertEquals(page.status, 404);
    ok((await page.text()).includes("Cannot find &quot;/nowhere&quot;"));
    const api = await app.request("/api/nowhere");
    assertEquals(api.status, 404);
    assertEquals(await api.json(), {
      error: 'Cannot find "/api/nowhere"',
      status: 404,
    });
  },
);
