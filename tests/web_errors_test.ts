/**
 * Failure paths and assets: a database that is down gives a readable 503
 * (page or JSON), never a stack trace; bundles and the stylesheet are served
 * under content hashes with immutable caching.
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { connect } from "../lib/db/mod.ts";
import { dbTest } from "./harness/db.ts";
import { webApp } from "./harness/web_app.ts";
import { ensureModels } from "../lib/models/build.ts";

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

dbTest(
  "errors - every JSON error has the one shape {error, status}",
  async ({ sql }) => {
    const { app } = webApp(sql);
    const cases: Array<[string, number, RequestInit?]> = [
      ["/api/nowhere", 404],
      ["/api/pricing?category=boats", 400],
      ["/api/pricing/P999", 404],
      ["/api/analytics/funnel?hours=0x10", 400],
      ["/api/analytics/price?elasticity=1e2", 400],
      ["/api/analytics/demand.csv?table=weekly", 400],
      ["/api/inventory?category=phones&category=laptops", 400],
      [`/api/overview?q=${"x".repeat(9000)}`, 414],
      ["/api/pricing/run", 403, { method: "POST" }],
    ];
    for (const [path, status, init] of cases) {
      const res = await app.request(path, init);
      const label = path.slice(0, 60);
      assertEquals(res.status, status, label);
      match(res.headers.get("content-type") ?? "", /application\/json/, label);
      const body = await res.json();
      assertEquals(Object.keys(body).sort(), ["error", "status"], label);
      assertEquals(body.status, status, label);
      ok(typeof body.error === "string" && body.error.length > 0, label);
    }
  },
);

dbTest(
  "errors - numbers in the query must be written plainly, and a parameter given twice is refused",
  async ({ sql }) => {
    const { app } = webApp(sql);
    for (const hours of ["0x10", "1e2", "%2016", "16.0", "-1"]) {
      const res = await app.request(`/api/analytics/funnel?hours=${hours}`);
      assertEquals(res.status, 400, hours);
      match((await res.json()).error, /Parameter "hours" is .*whole number/);
    }
    await ensureModels(sql);
    assertEquals(
      (await app.request("/api/analytics/funnel?hours=16")).status,
      200,
    );
    const twice = await app.request("/inventory?category=phones&category=tv");
    assertEquals(twice.status, 400);
    ok(
      (await twice.text()).includes(
        "Parameter &quot;category&quot; is given 2 times",
      ),
    );
  },
);

dbTest(
  "errors - a page whose SQL models were never built says how to build them, then works",
  async ({ sql }) => {
    const { app } = webApp(sql);
    const page = await app.request("/analytics/funnel");
    assertEquals(page.status, 503);
    const html = await page.text();
    ok(html.includes("deno task models:refresh"), html.slice(0, 400));
    match(html, /This database has no &quot;[\w.]+&quot; yet/);
    const api = await app.request("/api/analytics/funnel");
    assertEquals(api.status, 503);
    match(
      (await api.json()).error,
      /^This database has no "[\w.]+" yet: `deno task models:refresh` builds/,
    );
    await ensureModels(sql);
    assertEquals((await app.request("/analytics/funnel")).status, 200);
  },
);

dbTest(
  "errors - an oversized address gets a 414 page that says so, through a real socket",
  async ({ sql }) => {
    const { web } = webApp(sql);
    const { serve } = await import("../workers/web.ts");
    const server = serve(web, { host: "127.0.0.1", port: 0 });
    try {
      // Well under Deno's own 64 KiB limit, far over ours.
      const res = await fetch(`${server.url}/pricing?q=${"a".repeat(60_000)}`);
      assertEquals(res.status, 414);
      match(res.headers.get("content-type") ?? "", /text\/html/);
      const html = await res.text();
      ok(html.includes("Address too long"), "the page names the problem");
      ok(html.includes("the limit is 8,192"), "and the limit");
    } finally {
      await server.stop();
    }
  },
);
