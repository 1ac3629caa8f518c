/**
 * Acting on alerts, with `Authorization: Bearer <API_TOKEN>`:
 * `PUT /api/alerts/rules/:rule` changes a rule over its settings,
 * `POST /api/alerts/:id/acknowledge` stops an alert's repeats, and
 * `POST /api/alerts/test` sends a test message to a channel now.
 * `GET /api/alerts/rules` lists the rules as they apply.
 */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import { requireToken } from "../lib/web/auth.ts";
import { HttpError, parsed } from "../lib/web/http_error.ts";
import { rowId } from "../lib/query.ts";
import { jsonObject, textField } from "../lib/web/body.ts";
import { changeRule, loadRules, ruleName } from "../lib/alerts/rules.ts";
import { acknowledgeAlert } from "../lib/alerts/store.ts";
import { sendTest } from "../lib/alerts/deliver.ts";
import { bodyFor } from "../lib/alerts/messages.ts";

function alertId(c: Context): number {
  return parsed(() => rowId("alert", c.req.param("id") ?? ""));
}

async function putRule(ctx: AppContext, c: Context) {
  const rule = ruleName(c.req.param("rule") ?? "");
  const body = await jsonObject(c);
  const by = textField(body, "by", 100) ?? "api";
  const names = ctx.config.alertChannels.map((ch) => ch.name);
  await changeRule(ctx.sql, rule, body, by, names);
  const rules = await loadRules(ctx.sql, ctx.config);
  return c.json(rules.find((r) => r.rule === rule));
}

async function acknowledge(ctx: AppContext, c: Context) {
  const id = alertId(c);
  const by = textField(await jsonObject(c), "by", 100) ?? "api";
  return c.json(await acknowledgeAlert(ctx.sql, id, by));
}

async function test(ctx: AppContext, c: Context) {
  const { config } = ctx;
  const name = textField(await jsonObject(c), "channel", 40);
  const channel = config.alertChannels.find((ch) => ch.name === name);
  if (!channel) {
    const known = config.alertChannels.map((ch) => `"${ch.name}"`);
    throw new HttpError(
      400,
      known.length === 0
        ? "Cannot send a test message: no alert channels; set ALERT_CHANNELS"
        : `Cannot send a test message: send {"channel": ...} with one of ${
          known.join(", ")
        }`,
    );
  }
  const body = bodyFor(channel.kind, {
    kind: "test",
    notificationId: null,
    alert: null,
    at: new Date(),
    publicUrl: config.publicUrl,
  });
  const r = await sendTest(
    {
      sql: ctx.sql,
      channels: config.alertChannels,
      timeoutMs: config.alertTimeoutMs,
      retryBaseMs: config.alertRetryBaseMs,
      maxAttempts: 1,
    },
    channel,
    body,
  );
  if (!r.delivered) {
    throw new HttpError(
      502,
      `Cannot deliver a test message to channel "${channel.name}": ${r.error}`,
      { delivery_id: r.delivery_id },
    );
  }
  return c.json(r);
}

export function alertApiRoutes(ctx: AppContext): Hono {
  const token = requireToken(ctx.config.apiToken);
  return new Hono()
    .get(
      "/api/alerts/rules",
      async (c) => c.json(await loadRules(ctx.sql, ctx.config)),
    )
    .put("/api/alerts/rules/:rule", token, (c) => putRule(ctx, c))
    .post("/api/alerts/test", token, (c) => test(ctx, c))
    .post("/api/alerts/:id/acknowledge", token, (c) => acknowledge(ctx, c));
}
