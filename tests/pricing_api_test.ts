/**
 * Acting on recommendations and strategies over HTTP: approve applies the
 * price (and the next run starts from it), reject records why, strategies
 * are validated and audited, and every write endpoint needs the token.
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { webApp } from "./harness/web_app.ts";
import {
  current,
  MINUTE,
  NOW,
  observe,
  observeAll,
  run,
  strategy,
} from "./harness/pricing.ts";

const TOKEN = "t0ken-for-tests";
const auth = { Authorization: `Bearer ${TOKEN}` };

function post(
  app: ReturnType<typeof webApp>["app"],
  path: string,
  body?: unknown,
  headers = auth,
) {
  return app.request(path, {
    method: "POST",
    headers: { ...headers, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** P013 gets a pending `lower` (no auto-apply) and its id is returned. */
async function pendingLower(sql: Parameters<typeof observe>[0]) {
  await observeAll(sql, "P013", 250);
  await strategy(sql, "default", "", { autoApply: null });
  await run(sql);
  const r = await current(sql, "P013");
  assertEquals([r.status, r.recommendation], ["pending", "lower"]);
  return r;
}

dbTest(
  "recommendations API - approve applies the price, records who, and the next run starts from it",
  async ({ sql }) => {
    const r = await pendingLower(sql);
    const { app } = webApp(sql, { API_TOKEN: TOKEN });
    const res = await post(
      app,
      `/api/recommendations/${r.recommendation_id}/approve`,
      {
        by: "ada",
      },
    );
    assertEquals(res.status, 200);
    const body = await res.json();
    assertEquals([body.status, body.old_price, body.new_price, body.by], [
      "applied",
      349.99,
      Number(r.recommended_price),
      "ada",
    ]);
    const [p] = await sql<{ price: string }[]>`
      select current_price::text as price from products where product_id = 'P013'`;
    assertEquals(p!.price, r.recommended_price);
    const [change] = await sql<
      {
        old_price: string;
        new_price: string;
        changed_by: string;
        source: string;
        rid: string;
      }[]
    >`select old_price::text, new_price::text, changed_by, source, recommendation_id::text as rid
      from price_changes where product_id = 'P013'`;
    assertEquals(
      [
        change!.old_price,
        change!.new_price,
        change!.changed_by,
        change!.source,
        change!.rid,
      ],
      ["349.99", r.recommended_price, "ada", "approval", r.recommendation_id],
    );
    assertEquals((await current(sql, "P013")).status, "applied");
    // The current row carries the same status (the run reads it from there).
    const [copy] = await sql<{ status: string }[]>`
      select status from pricing_recommendations where product_id = 'P013'`;
    assertEquals(copy!.status, "applied");
    // Two hours later the cooldown is over: the next run prices from the applied price.
    await run(sql, new Date(NOW.getTime() + 120 * MINUTE));
    const next = await current(sql, "P013");
    assertEquals(next.current_price, r.recommended_price);
    ok(next.recommendation_id !== r.recommendation_id);
    // Approving twice is refused: it is applied, not pending.
    const again = await post(
      app,
      `/api/recommendations/${r.recommendation_id}/approve`,
    );
    assertEquals(again.status, 409);
    match((await again.json()).error, /it is applied, not pending/);
  },
);

dbTest(
  "recommendations API - reject needs a reason and keeps it; unknown ids are 404, bad ids 400",
  async ({ sql }) => {
    const r = await pendingLower(sql);
    const { app } = webApp(sql, { API_TOKEN: TOKEN });
    const path = `/api/recommendations/${r.recommendation_id}/reject`;
    const none = await post(app, path, {});
    assertEquals(none.status, 400);
    match((await none.json()).error, /Cannot reject without a reason/);
    const ok200 = await post(app, path, {
      reason: "brand launch next week",
      by: "lin",
    });
    assertEquals(ok200.status, 200);
    const [h] = await sql<
      { status: string; decided_by: string; decision_reason: string }[]
    >`
      select status, decided_by, decision_reason from pricing_recommendation_history
      where recommendation_id = ${r.recommendation_id}`;
    assertEquals({ ...h }, {
      status: "rejected",
      decided_by: "lin",
      decision_reason: "brand launch next week",
    });
    const [p] = await sql<{ price: string }[]>`
      select current_price::text as price from products where product_id = 'P013'`;
    assertEquals(p!.price, "349.99");
    assertEquals(
      (await post(app, "/api/recommendations/999999/approve")).status,
      404,
    );
    assertEquals(
      (await post(app, "/api/recommendations/abc/approve")).status,
      400,
    );
    const notJson = await app.request(path, {
      method: "POST",
      headers: auth,
      body: "{reason",
    });
    assertEquals(notJson.status, 400);
  },
);

dbTest(
  "recommendations API - a price changed since the recommendation expires it instead of applying it",
  async ({ sql }) => {
    const r = await pendingLower(sql);
    await sql`update products set current_price = 339.99 where product_id = 'P013'`;
    const { app } = webApp(sql, { API_TOKEN: TOKEN });
    const res = await post(
      app,
      `/api/recommendations/${r.recommendation_id}/approve`,
    );
    assertEquals(res.status, 409);
    match(
      (await res.json()).error,
      /is 339.99 now, not the 349.99 it was computed on/,
    );
    assertEquals((await current(sql, "P013")).status, "expired");
  },
);

dbTest(
  "write endpoints - 401 without or with a wrong token, 403 while API_TOKEN is unset",
  async ({ sql }) => {
    const r = await pendingLower(sql);
    const writes: [string, string, unknown][] = [
      ["POST", `/api/recommendations/${r.recommendation_id}/approve`, {}],
      ["POST", `/api/recommendations/${r.recommendation_id}/reject`, {
        reason: "x",
      }],
      ["PUT", "/api/strategies/default", { strategy: {} }],
      ["PUT", "/api/strategies/category/phones", { strategy: {} }],
      ["DELETE", "/api/strategies/category/phones", undefined],
      ["POST", "/api/pricing/run", undefined],
    ];
    const off = webApp(sql).app;
    const on = webApp(sql, { API_TOKEN: TOKEN }).app;
    for (const [method, path, body] of writes) {
      const send = (app: typeof on, headers: Record<string, string>) =>
        app.request(path, {
          method,
          headers: { ...headers, "Content-Type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      assertEquals(
        (await send(off, auth)).status,
        403,
        `${method} ${path} unset`,
      );
      assertEquals(
        (await send(on, {})).status,
        401,
        `${method} ${path} without`,
      );
      assertEquals(
        (await send(on, { Authorization: "Bearer wrong" })).status,
        401,
        `${method} ${path} wrong`,
      );
    }
    assertEquals(
      (await current(sql, "P013")).status,
      "pending",
      "nothing was decided",
    );
  },
);

dbTest(
  "strategies API - a bad field is refused naming it; a good override is stored, audited and used by the next run",
  async ({ sql }) => {
    const { app } = webApp(sql, { API_TOKEN: TOKEN });
    const put = (path: string, body: unknown) =>
      app.request(path, {
        method: "PUT",
        headers: { ...auth, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const bad = await put("/api/strategies/category/headphones", {
      strategy: { maxStepPct: 2 },
    });
    assertEquals(bad.status, 400);
    match(
      (await bad.json()).error,
      /field "maxStepPct" must be between 0 and 1, got 2/,
    );
    const unknown = await put("/api/strategies/category/boats", {
      strategy: {},
    });
    assertEquals(unknown.status, 400);
    match((await unknown.json()).error, /no such category/);
    const good = await put("/api/strategies/category/headphones", {
      strategy: {
        target: { kind: "cheapest", offsetPct: -0.01 },
        maxStepPct: 0.1,
      },
      by: "ada",
    });
    assertEquals(good.status, 200);
    const [audit] = await sql<{ changed_by: string; new_value: unknown }[]>`
      select changed_by, new_value from pricing_strategy_changes`;
    assertEquals(audit!.changed_by, "ada");
    await observe(sql, "P013", "TechMart", 340);
    await observe(sql, "P013", "GadgetZone", 345);
    await run(sql);
    const [r] = await sql<
      { strategy: { target: { kind: string }; maxStepPct: number } }[]
    >`
      select s.strategy from pricing_recommendations c
      join pricing_recommendation_history h using (recommendation_id)
      join pricing_strategy_snapshots s using (strategy_hash) where c.product_id = 'P013'`;
    assertEquals([r!.strategy.target.kind, r!.strategy.maxStepPct], [
      "cheapest",
      0.1,
    ]);
    const listed = await (await app.request("/api/strategies")).json();
    ok(
      listed.levels.some((l: { scope: string; key: string }) =>
        l.scope === "category" && l.key === "headphones"
      ),
    );
    const del = await app.request("/api/strategies/category/headphones", {
      method: "DELETE",
      headers: auth,
    });
    assertEquals(del.status, 204);
    const again = await app.request("/api/strategies/category/headphones", {
      method: "DELETE",
      headers: auth,
    });
    assertEquals(again.status, 404);
  },
);
