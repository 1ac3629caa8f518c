/**
 * The alerts over HTTP: the page and its JSON list what fires with the
 * channels masked (no secret, no URL path, anywhere); rules change through
 * the API and the next evaluation uses them; acknowledging stops repeats;
 * a test message reaches a real receiver signed, and a failing channel is
 * answered 502; every write needs the token.
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { webApp } from "./harness/web_app.ts";
import { startReceiver } from "./harness/receiver.ts";
import { loadConfig } from "../lib/config.ts";
import { evaluateAlerts } from "../lib/alerts/evaluate.ts";
import { changeRule, RULE_NAMES } from "../lib/alerts/rules.ts";
import type { Sql } from "../lib/db/mod.ts";
import { startMetrics } from "../lib/metrics/mod.ts";
import { CommitBus } from "../lib/feed/bus.ts";

const TOKEN = "alerts-api-token-0123";
const SECRET = "alerts-api-secret-0123456789";
const SLACK_PATH = "/services/T00SECRET/B00SECRET/xoxSECRETPATH";

function env(url: string) {
  return {
    API_TOKEN: TOKEN,
    ALERT_CHANNELS:
      `ops webhook ${url}/hook ${SECRET}; team slack ${url}${SLACK_PATH}`,
    ALERT_TIMEOUT_MS: "500",
  };
}

async function onlyStockOut(sql: Sql) {
  for (const rule of RULE_NAMES) {
    if (rule !== "stock_out_risk") {
      await changeRule(sql, rule, { enabled: false }, "test", []);
    }
  }
}

function call(
  app: ReturnType<typeof webApp>["app"],
  method: string,
  path: string,
  body?: unknown,
  token = TOKEN,
) {
  return app.request(path, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

dbTest(
  "alerts API - the page and GET /api/alerts show what fires and the channels masked, never a secret or a URL path",
  async ({ sql }) => {
    const r = startReceiver(SECRET);
    try {
      const { app } = webApp(sql, env(r.url));
      await onlyStockOut(sql);
      await sql`update inventory_state set current_stock = 0 where product_id = 'P004' and warehouse_id = 'WH-PH'`;
      await evaluateAlerts(sql, { config: loadConfig(env(r.url)) });
      const json = await (await app.request("/api/alerts")).text();
      const html = await (await app.request("/alerts")).text();
      for (const text of [json, html]) {
        ok(
          !text.includes(SECRET) && !text.includes("SECRET") &&
            !text.includes("/hook"),
        );
        ok(text.includes("stock_out_risk") || text.includes("Stock-out risk"));
      }
      const v = JSON.parse(json);
      assertEquals(v.firing.map((a: { key: string }) => a.key), [
        "stock_out_risk:P004:WH-PH",
      ]);
      assertEquals(v.channels, [
        {
          name: "ops",
          kind: "webhook",
          url: `${new URL(r.url).origin}/…`,
          signed: true,
        },
        {
          name: "team",
          kind: "slack",
          url: `${new URL(r.url).origin}/…`,
          signed: false,
        },
      ]);
      match(html, /data-island="AlertList"/);
      const metrics = startMetrics({
        sql,
        bus: new CommitBus(),
        topicPrefix: "",
        dbPoolMax: 2,
      });
      const text = await metrics.render();
      metrics.stop();
      match(text, /ecommerce_alerts_firing\{rule="stock_out_risk"\} 1/);
    } finally {
      await r.stop();
    }
  },
);

dbTest(
  "alerts API - a rule change is validated, stored over the settings and used by the next evaluation; null returns a field to its setting",
  async ({ sql }) => {
    const r = startReceiver(SECRET);
    try {
      const { app } = webApp(sql, env(r.url));
      const config = loadConfig(env(r.url));
      await onlyStockOut(sql);
      assertEquals(
        (await call(app, "PUT", "/api/alerts/rules/stock_out_risk", {
          threshold: 5,
        }, "no")).status,
        401,
      );
      const unknown = await call(app, "PUT", "/api/alerts/rules/weather", {
        threshold: 5,
      });
      assertEquals(unknown.status, 404);
      const bad = await call(app, "PUT", "/api/alerts/rules/stock_out_risk", {
        threshold: -1,
      });
      assertEquals(await bad.json(), {
        error:
          'Cannot read field "threshold": expected a number above 0 (days)',
        status: 400,
      });
      const badChannel = await call(
        app,
        "PUT",
        "/api/alerts/rules/stock_out_risk",
        { channels: ["pager"] },
      );
      assertEquals(badChannel.status, 400);

      // 40 units selling 12 a day: over 3 days of cover, above the default 2.
      await sql`update inventory_state set current_stock = 40 where product_id = 'P013' and warehouse_id = 'WH-PH'`;
      await sql`
        insert into inventory_events (event_id, product_id, warehouse_id, event_type, quantity_change, "timestamp")
        select gen_random_uuid(), 'P013', 'WH-PH', 'stock_sold', -1, now() - interval '2 hours' * g
        from generate_series(1, 30) g`;
      assertEquals((await evaluateAlerts(sql, { config })).fired, 0);
      const put = await call(app, "PUT", "/api/alerts/rules/stock_out_risk", {
        threshold: 30,
        cooldown_minutes: 15,
        by: "ada",
      });
      assertEquals(put.status, 200);
      const rule = await put.json();
      assertEquals([
        rule.threshold,
        rule.cooldown_minutes,
        rule.changed,
        rule.updated_by,
      ], [
        30,
        15,
        ["threshold", "cooldown_minutes"],
        "ada",
      ]);
      const e = await evaluateAlerts(sql, { config });
      ok(e.fired >= 1, "the higher threshold catches P013");
      const reset =
        await (await call(app, "PUT", "/api/alerts/rules/stock_out_risk", {
          threshold: null,
        })).json();
      assertEquals([reset.threshold, reset.changed], [2, ["cooldown_minutes"]]);
    } finally {
      await r.stop();
    }
  },
);

dbTest(
  "alerts API - acknowledging stops repeats (404 unknown, 409 resolved); a test message reaches the receiver signed, a failing channel answers 502",
  async ({ sql }) => {
    const r = startReceiver(SECRET);
    try {
      const { app } = webApp(sql, env(r.url));
      const config = loadConfig(env(r.url));
      await onlyStockOut(sql);
      await sql`update inventory_state set current_stock = 0 where product_id = 'P004' and warehouse_id = 'WH-PH'`;
      const t0 = Date.now();
      await evaluateAlerts(sql, { config, now: new Date(t0) });
      const [a] = await sql<
        { id: number }[]
      >`select alert_id::int as id from alerts`;
      const ack = await call(app, "POST", `/api/alerts/${a!.id}/acknowledge`, {
        by: "ada",
      });
      assertEquals([(await ack.json()).acknowledged_by, ack.status], [
        "ada",
        200,
      ]);
      const later = await evaluateAlerts(sql, {
        config,
        now: new Date(t0 + 3 * 3_600_000),
      });
      assertEquals([later.firing, later.repeated, later.deliveries], [1, 0, 0]);
      assertEquals(
        (await call(app, "POST", "/api/alerts/999999/acknowledge", {})).status,
        404,
      );
      await sql`update inventory_state set current_stock = 100 where product_id = 'P004' and warehouse_id = 'WH-PH'`;
      await evaluateAlerts(sql, { config, now: new Date(t0 + 4 * 3_600_000) });
      assertEquals(
        (await call(app, "POST", `/api/alerts/${a!.id}/acknowledge`, {}))
          .status,
        409,
      );

      const sent = await call(app, "POST", "/api/alerts/test", {
        channel: "ops",
      });
      assertEquals(sent.status, 200);
      assertEquals((await sent.json()).delivered, true);
      const got = r.received.find((x) =>
        x.path === "/hook" && JSON.parse(x.body).type === "test"
      );
      ok(got && got.verified === true, "the test message is signed");
      r.script(SLACK_PATH, [503]);
      const failed = await call(app, "POST", "/api/alerts/test", {
        channel: "team",
      });
      assertEquals(failed.status, 502);
      const body = await failed.json();
      assertEquals(
        body.error,
        'Cannot deliver a test message to channel "team": the receiver answered 503',
      );
      ok(!JSON.stringify(body).includes("SECRET"));
      assertEquals(
        (await call(app, "POST", "/api/alerts/test", { channel: "pager" }))
          .status,
        400,
      );
      assertEquals(
        (await call(app, "POST", "/api/alerts/test", { channel: "ops" }, "no"))
          .status,
        401,
      );
    } finally {
      await r.stop();
    }
  },
);
