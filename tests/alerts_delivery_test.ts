/**
 * Alerts to a real HTTP receiver, through the outbox and the sender loop:
 * signed bodies the receiver verifies, retries while it hangs or answers
 * 503, exactly one delivery per message, nothing again within the cooldown,
 * a repeat after it, a resolved message when the condition clears, and a
 * daily cap that holds messages back without hiding the alert.
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { type Receiver, startReceiver } from "./harness/receiver.ts";
import { loadConfig } from "../lib/config.ts";
import type { Sql } from "../lib/db/mod.ts";
import { evaluateAlerts } from "../lib/alerts/evaluate.ts";
import { changeRule, RULE_NAMES } from "../lib/alerts/rules.ts";
import { startAlertSender } from "../lib/alerts/deliver.ts";
import { until } from "../dev/wait.ts";

const SECRET = "receiver-secret-0123456789";
const MINUTE = 60_000;

function settings(r: Receiver, extra: Record<string, string> = {}) {
  return loadConfig({
    ALERT_CHANNELS:
      `ops webhook ${r.url}/hook ${SECRET}; team slack ${r.url}/slack/T0/B0/XYZ`,
    ALERT_RETRY_BASE_MS: "60",
    ALERT_TIMEOUT_MS: "400",
    ALERT_COOLDOWN: "30m",
    ...extra,
  });
}

/** Only the stock-out rule speaks in these tests. */
async function onlyStockOut(sql: Sql) {
  for (const rule of RULE_NAMES) {
    if (rule !== "stock_out_risk") {
      await changeRule(sql, rule, { enabled: false }, "test", []);
    }
  }
}

const emptyShelf = (sql: Sql, product: string, stock: number) =>
  sql`update inventory_state set current_stock = ${stock}
      where product_id = ${product} and warehouse_id = 'WH-PH'`;

/** The answered-2xx requests to `path`, as parsed bodies. */
function delivered(r: Receiver, path: string) {
  return r.received.filter((x) => x.path === path && x.answered === 200)
    .map((x) => JSON.parse(x.body));
}

async function settle(ms = 400) {
  await new Promise((r) => setTimeout(r, ms));
}

dbTest(
  "alerts - a signed webhook is retried through a hang and two 503s, delivered once per message, repeated after the cooldown and resolved",
  async ({ sql }) => {
    const r = startReceiver(SECRET);
    const config = settings(r);
    const sender = startAlertSender({
      sql,
      channels: config.alertChannels,
      timeoutMs: config.alertTimeoutMs,
      retryBaseMs: config.alertRetryBaseMs,
      maxAttempts: config.alertMaxAttempts,
    });
    try {
      await onlyStockOut(sql);
      r.script("/hook", ["hang", 503, 503]);
      await emptyShelf(sql, "P004", 0);
      const t0 = Date.now();
      const first = await evaluateAlerts(sql, { config, now: new Date(t0) });
      assertEquals([first.fired, first.deliveries], [1, 2]);
      sender.wake();
      await until(
        "the webhook to get through",
        () => delivered(r, "/hook").length === 1,
        { timeoutMs: 20_000 },
      );
      const hook = r.received.filter((x) => x.path === "/hook");
      assertEquals(hook.map((x) => x.answered), [null, 503, 503, 200]);
      assertEquals(hook.map((x) => x.attempt), ["1", "2", "3", "4"]);
      ok(hook.every((x) => x.verified === true), "every attempt is signed");
      ok(
        hook.every((x) =>
          x.body === hook[0]!.body && x.delivery === hook[0]!.delivery
        ),
      );
      const body = JSON.parse(hook[0]!.body);
      assertEquals(
        [body.type, body.alert.key, body.alert.state, body.alert.value],
        ["alert.firing", "stock_out_risk:P004:WH-PH", "firing", 0],
      );
      await until(
        "slack to get its message",
        () => delivered(r, "/slack/T0/B0/XYZ").length === 1,
      );
      match(
        delivered(r, "/slack/T0/B0/XYZ")[0].text,
        /Firing\* Stock-out risk: P004 at WH-PH/,
      );
      // The receiver counts the 200 when it answers; the sender records the
      // attempt once the answer reaches it.
      const opsAttempts = () =>
        sql<{ http_status: number | null; error: string | null }[]>`
          select http_status, error from alert_delivery_attempts a
          join alert_deliveries d using (delivery_id) where d.channel = 'ops' order by attempt`;
      await until(
        "the sender to record the fourth attempt",
        async () => (await opsAttempts()).length >= 4,
      );
      const attempts = await opsAttempts();
      assertEquals(attempts.map((a) => a.http_status), [null, 503, 503, 200]);
      match(attempts[0]!.error!, /no answer within 400 ms/);

      // Within the cooldown: still firing, nothing sent.
      const again = await evaluateAlerts(sql, {
        config,
        now: new Date(t0 + 10 * MINUTE),
      });
      assertEquals([again.firing, again.deliveries], [1, 0]);
      await settle();
      assertEquals(delivered(r, "/hook").length, 1);

      // After the cooldown: one repeat.
      const later = await evaluateAlerts(sql, {
        config,
        now: new Date(t0 + 31 * MINUTE),
      });
      assertEquals([later.repeated, later.deliveries], [1, 2]);
      sender.wake();
      await until("the repeat", () => delivered(r, "/hook").length === 2);

      // Cleared: one resolved message per channel, then silence.
      await emptyShelf(sql, "P004", 100);
      const cleared = await evaluateAlerts(sql, {
        config,
        now: new Date(t0 + 32 * MINUTE),
      });
      assertEquals([cleared.resolved, cleared.firing, cleared.deliveries], [
        1,
        0,
        2,
      ]);
      sender.wake();
      await until(
        "the resolved message",
        () =>
          delivered(r, "/hook").length === 3 &&
          delivered(r, "/slack/T0/B0/XYZ").length === 3,
      );
      await evaluateAlerts(sql, { config, now: new Date(t0 + 40 * MINUTE) });
      await settle();
      const msgs = delivered(r, "/hook");
      assertEquals(msgs.map((m) => m.type), [
        "alert.firing",
        "alert.repeat",
        "alert.resolved",
      ]);
      assertEquals(new Set(msgs.map((m) => m.notification_id)).size, 3);
      match(delivered(r, "/slack/T0/B0/XYZ")[2].text, /Resolved/);
    } finally {
      await sender.stop();
      await r.stop();
    }
  },
);

dbTest(
  "alerts - the daily cap holds messages back but not the alert, and an alert never announced resolves quietly",
  async ({ sql }) => {
    const r = startReceiver(SECRET);
    const config = settings(r, { ALERT_DAILY_CAP: "1" });
    const sender = startAlertSender({
      sql,
      channels: config.alertChannels,
      timeoutMs: 400,
      retryBaseMs: 60,
      maxAttempts: 3,
    });
    try {
      await onlyStockOut(sql);
      await changeRule(sql, "stock_out_risk", { channels: ["ops"] }, "test", [
        "ops",
        "team",
      ]);
      await emptyShelf(sql, "P004", 0);
      await emptyShelf(sql, "P005", 0);
      const e = await evaluateAlerts(sql, { config });
      assertEquals([e.firing, e.fired, e.held, e.deliveries], [2, 2, 1, 1]);
      sender.wake();
      await until(
        "the one message the cap allows",
        () => delivered(r, "/hook").length === 1,
      );
      assertEquals(
        delivered(r, "/slack/T0/B0/XYZ").length,
        0,
        "the rule sends to ops only",
      );
      const [held] = await sql<{ key: string; suppressed: number }[]>`
        select alert_key as key, suppressed_count as suppressed from alerts where suppressed_count > 0`;
      assertEquals(held, { key: "stock_out_risk:P005:WH-PH", suppressed: 1 });
      await emptyShelf(sql, "P005", 100);
      const cleared = await evaluateAlerts(sql, { config });
      assertEquals([cleared.resolved, cleared.deliveries], [1, 0]);
    } finally {
      await sender.stop();
      await r.stop();
    }
  },
);
