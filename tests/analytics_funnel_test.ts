import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { FUNNEL_CLICKS } from "./analytics_data.ts";
import { dbTest } from "./harness/db.ts";
import {
  analyticsApp,
  getJson,
  insertClicks,
  withModels,
} from "./analytics_fixtures.ts";
import { funnelReport } from "../lib/analytics/mod.ts";
import { parseWindow } from "../lib/analytics/window.ts";
import type { FunnelResult } from "../lib/analytics/funnel.ts";

const QUERY = "hours=24&until=2026-01-05T12:00:00Z";
const counts = (f: FunnelResult["overall"]) => f.stages.map((s) => s.sessions);

function checkFunnel(r: FunnelResult): void {
  assertEquals(r.sessions, 6);
  assertEquals(counts(r.overall), [6, 4, 2, 1]);
  assertEquals(r.overall.steepestDrop, {
    from: "product_view",
    to: "add_to_cart",
    dropRate: 0.5,
  });
  assertEquals(r.byDevice.map((d) => [d.device, counts(d.funnel)]), [
    ["desktop", [2, 1, 0, 0]],
    ["mobile", [3, 3, 2, 1]],
    ["tablet", [1, 0, 0, 0]],
  ]);
  assertEquals(r.byCategory.map((d) => [d.category, counts(d.funnel)]), [
    ["laptops", [2, 2, 0, 0]],
    ["phones", [3, 3, 2, 1]],
  ]);
  assertEquals(r.comparison, {
    converted: {
      sessions: 1,
      avgEvents: 5,
      avgDurationSeconds: 300,
      avgDistinctTypes: 4,
    },
    notConverted: {
      sessions: 5,
      avgEvents: 2.2,
      avgDurationSeconds: 60,
      avgDistinctTypes: 1.8,
    },
  });
}

dbTest(
  "analytics funnel - computes the funnel of the window's sessions from the database",
  async ({ sql }) => {
    await withModels(sql, () => insertClicks(sql, FUNNEL_CLICKS));
    const w = parseWindow(
      { hours: "24", until: "2026-01-05T12:00:00Z" },
      24,
      new Date(),
    );
    checkFunnel(await funnelReport(sql, w));
  },
  ["postgres", "pglite"],
);

dbTest(
  "analytics funnel - the JSON API and CSV download answer the same funnel",
  async ({ sql }) => {
    await withModels(sql, () => insertClicks(sql, FUNNEL_CLICKS));
    const app = analyticsApp(sql);
    const json = await getJson<
      FunnelResult & { window: { from: string; hours: number } }
    >(
      app,
      `/api/analytics/funnel?${QUERY}`,
    );
    checkFunnel(json);
    assertEquals(json.window.from, "2026-01-04T12:00:00.000Z");
    const res = await app.request(`/api/analytics/funnel.csv?${QUERY}`);
    assertEquals(res.status, 200);
    assertEquals(res.headers.get("content-type"), "text/csv; charset=utf-8");
    match(
      res.headers.get("content-disposition") ?? "",
      /filename="funnel.csv"/,
    );
    const lines = (await res.text()).trimEnd().split("\r\n");
    assertEquals(
      lines[0],
      "breakdown,group,stage,sessions,rate_from_previous,rate_from_first",
    );
    assertEquals(lines.slice(1, 5), [
      "overall,all,page_view,6,,1",
      "overall,all,product_view,4,0.6667,0.6667",
      "overall,all,add_to_cart,2,0.5,0.3333",
      "overall,all,purchase,1,0.5,0.1667",
    ]);
    assertEquals(lines.length, 1 + 4 * (1 + 3 + 2));
  },
);

dbTest(
  "analytics funnel - a bad window answers 400 naming the parameter, an empty window answers zeros",
  async ({ sql }) => {
    await withModels(sql);
    const app = analyticsApp(sql);
    const bad = await app.request("/api/analytics/funnel?hours=abc");
    assertEquals(bad.status, 400);
    assertEquals(await bad.json(), {
      error:
        'Parameter "hours" is "abc": expected a whole number from 1 to 2160',
      status: 400,
    });
    const badUntil = await app.request("/api/analytics/funnel?until=yesterday");
    assertEquals(badUntil.status, 400);
    match((await badUntil.json()).error, /Parameter "until" is "yesterday"/);
    const empty = await getJson<FunnelResult>(
      app,
      `/api/analytics/funnel?${QUERY}`,
    );
    assertEquals(counts(empty.overall), [0, 0, 0, 0]);
    assertEquals(empty.overall.steepestDrop, null);
  },
);
