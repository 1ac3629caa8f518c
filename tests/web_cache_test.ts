/**
 * The micro-cache in front of dashboard GETs: concurrent viewers of one page
 * share one computation, answers are fresh again after the TTL, and only
 * successful GETs are kept.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { Hono } from "hono";
import { microCache } from "../lib/web/micro_cache.ts";

function counted(ttlMs: number, maxEntries?: number) {
  let calls = 0;
  const app = new Hono();
  app.use("*", microCache(ttlMs, maxEntries));
  app.get("/page", async (c) => {
    calls++;
    await new Promise((r) => setTimeout(r, 20));
    return c.text(`render ${calls}`);
  });
  app.get("/fail", (c) => {
    calls++;
    return c.text("nope", 503);
  });
  app.post("/page", (c) => c.text(`post ${++calls}`));
  return { app, calls: () => calls };
}

Deno.test("micro-cache - fifty concurrent requests for one page compute it once", async () => {
  const { app, calls } = counted(60_000);
  const bodies = await Promise.all(
    Array.from({ length: 50 }, async () => {
      const res = await app.request("/page");
      assertEquals(res.status, 200);
      return await res.text();
    }),
  );
  assertEquals(calls(), 1);
  assertEquals(new Set(bodies), new Set(["render 1"]));
});

Deno.test("micro-cache - after the TTL the page is computed again", async () => {
  const { app, calls } = counted(30);
  assertEquals(await (await app.request("/page")).text(), "render 1");
  await new Promise((r) => setTimeout(r, 60));
  assertEquals(await (await app.request("/page")).text(), "render 2");
  assertEquals(calls(), 2);
});

Deno.test("micro-cache - errors, writes and TTL 0 are never cached; keys are bounded", async () => {
  const { app, calls } = counted(60_000, 2);
  await app.request("/fail");
  await app.request("/fail");
  assertEquals(calls(), 2);
  await app.request("/page", { method: "POST" });
  await app.request("/page", { method: "POST" });
  assertEquals(calls(), 4);
  await app.request("/page?a");
  await app.request("/page?b");
  await app.request("/page?c"); // evicts ?a
  await app.request("/page?a");
  assertEquals(calls(), 8);
  const off = counted(0);
  await off.app.request("/page");
  await off.app.request("/page");
  assertEquals(off.calls(), 2);
});

Deno.test("micro-cache - while one request refreshes, the others get the previous answer without waiting", async () => {
  const { app, calls } = counted(30);
  assertEquals(await (await app.request("/page")).text(), "render 1");
  await new Promise((r) => setTimeout(r, 60));
  const refresher = app.request("/page");
  const others = await Promise.all([
    app.request("/page"),
    app.request("/page"),
  ]);
  assertEquals(await Promise.all(others.map((r) => r.text())), [
    "render 1",
    "render 1",
  ]);
  assertEquals(await (await refresher).text(), "render 2");
  assertEquals(calls(), 2);
});

Deno.test("micro-cache - large pages are compressed once and sent gzipped to clients that accept it", async () => {
  const app = new Hono();
  let calls = 0;
  app.use("*", microCache(60_000));
  app.get("/big", (c) => c.html(`<p>${"row ".repeat(5000)}${++calls}</p>`));
  const plain = await app.request("/big");
  assertEquals(plain.headers.get("content-encoding"), null);
  const text = await plain.text();
  const zipped = await app.request("/big", {
    headers: { "Accept-Encoding": "gzip, br" },
  });
  assertEquals(zipped.headers.get("content-encoding"), "gzip");
  assertEquals(zipped.headers.get("vary"), "Accept-Encoding");
  const raw = await zipped.arrayBuffer();
  assertEquals(
    raw.byteLength < text.length / 10,
    true,
    `${raw.byteLength} bytes gzipped`,
  );
  const unzipped = await new Response(
    new Blob([raw]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).text();
  assertEquals(unzipped, text);
  assertEquals(calls, 1);
});
