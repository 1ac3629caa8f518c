import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { RFM_CLICKS } from "./analytics_data.ts";
import { dbTest } from "./harness/db.ts";
import {
  analyticsApp,
  getJson,
  insertClicks,
  withModels,
} from "./analytics_fixtures.ts";
import { type PageInfo, rfmReport } from "../lib/analytics/mod.ts";
import { parseWindow } from "../lib/analytics/window.ts";
import type { RfmResult } from "../lib/analytics/rfm.ts";

const UNTIL = "2026-01-31T00:00:00Z";

function checkRfm(r: RfmResult): void {
  assertEquals(
    r.customers.map((
      c,
    ) => [
      c.userId,
      c.recencyDays,
      c.orders,
      c.revenue,
      c.r,
      c.f,
      c.m,
      c.segment,
      c.preferredDevice,
    ]),
    [
      ["u1", 0.8333, 5, 1000, 5, 5, 5, "Champions", "mobile"],
      ["u2", 2, 4, 800, 4, 4, 4, "Champions", "desktop"],
      ["u3", 10, 1, 50, 3, 1, 2, "Needs Attention", "tablet"],
      ["u4", 29.9167, 3, 600, 2, 3, 3, "At Risk", "desktop"],
      ["u5", 61, 1, 20, 1, 1, 1, "Lost", "mobile"],
    ],
  );
  assertEquals(
    r.segments.map((
      s,
    ) => [s.segment, s.customers, s.revenue, s.preferredDevice]),
    [
      ["Champions", 2, 1800, "mobile"],
      ["Loyal Customers", 0, 0, null],
      ["Big Spenders", 0, 0, null],
      ["Potential Loyalists", 0, 0, null],
      ["At Risk", 1, 600, "desktop"],
      ["Lost", 1, 20, "mobile"],
      ["Needs Attention", 1, 50, "tablet"],
    ],
  );
}

dbTest(
  "analytics rfm - scores every purchasing user in the window and sums segments from the database",
  async ({ sql }) => {
    await withModels(sql, () => insertClicks(sql, RFM_CLICKS));
    checkRfm(
      await rfmReport(sql, parseWindow({ until: UNTIL }, 24 * 90, new Date())),
    );
  },
);

dbTest(
  "analytics rfm - the JSON API shows the rules and the CSV lists every customer",
  async ({ sql }) => {
    await withModels(sql, () => insertClicks(sql, RFM_CLICKS));
    const app = analyticsApp(sql);
    const json = await getJson<
      RfmResult & { rules: Array<{ segment: string; rule: string }> }
    >(
      app,
      `/api/analytics/rfm?until=${UNTIL}`,
    );
    checkRfm(json);
    assertEquals(json.rules[0], {
      segment: "Champions",
      rule: "R ≥ 4 and F ≥ 4 and M ≥ 4",
    });
    const res = await app.request(`/api/analytics/rfm.csv?until=${UNTIL}`);
    match(res.headers.get("content-disposition") ?? "", /rfm_segments\.csv/);
    const lines = (await res.text()).trimEnd().split("\r\n");
    assertEquals(lines, [
      "user_id,recency_days,orders,revenue_usd,r,f,m,segment,preferred_device",
      "u1,0.8333,5,1000,5,5,5,Champions,mobile",
      "u2,2,4,800,4,4,4,Champions,desktop",
      "u3,10,1,50,3,1,2,Needs Attention,tablet",
      "u4,29.9167,3,600,2,3,3,At Risk,desktop",
      "u5,61,1,20,1,1,1,Lost,mobile",
    ]);
  },
);

dbTest(
  "analytics rfm - the JSON API lists customers a page at a time, by segment, with the segments whole",
  async ({ sql }) => {
    await withModels(sql, () => insertClicks(sql, RFM_CLICKS));
    const app = analyticsApp(sql);
    type Paged = RfmResult & { page: PageInfo };
    const ids = (r: Paged) => r.customers.map((c) => c.userId);
    const first = await getJson<Paged>(
      app,
      `/api/analytics/rfm?until=${UNTIL}&limit=2`,
    );
    assertEquals(ids(first), ["u1", "u2"]);
    assertEquals(first.page, {
      segment: null,
      offset: 0,
      limit: 2,
      total: 5,
      next: 2,
    });
    // The summary counts every customer whatever the page shows.
    assertEquals(first.segments[0]!.customers, 2);
    const last = await getJson<Paged>(
      app,
      `/api/analytics/rfm?until=${UNTIL}&limit=2&offset=4`,
    );
    assertEquals([ids(last), last.page.next], [["u5"], null]);
    const champions = await getJson<Paged>(
      app,
      `/api/analytics/rfm?until=${UNTIL}&segment=Champions`,
    );
    assertEquals([ids(champions), champions.page.total], [["u1", "u2"], 2]);

    const bad = await app.request(`/api/analytics/rfm?segment=VIP`);
    assertEquals(bad.status, 400);
    match(
      (await bad.json()).error,
      /^Cannot list segment "VIP": expected one of "Champions", /,
    );
    const tooMany = await app.request(`/api/analytics/rfm?limit=10001`);
    assertEquals(tooMany.status, 400);
    match((await tooMany.json()).error, /^Parameter "limit" is "10001"/);
  },
);
