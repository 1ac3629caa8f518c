/**
 * The bodies sent to channels. A generic webhook gets JSON with the alert's
 * every field (and `notification_id`, the same for every channel and every
 * retry, to drop a repeat by); a Slack-compatible incoming webhook gets
 * `{"text": ...}` in Slack's mrkdwn. Bodies are built once, when a message is
 * decided, and stored: every retry sends, and signs, the same bytes.
 */
import type { ChannelKind } from "../config_lists.ts";
import { type RuleName, RULES } from "./rules.ts";

export type MessageKind = "firing" | "repeat" | "resolved" | "test";

/** An alert as a message tells it. */
export interface AlertFacts {
  alert_id: number;
  key: string;
  rule: RuleName;
  subject: string;
  state: "firing" | "resolved";
  message: string;
  value: number | null;
  threshold: number | null;
  fired_at: Date;
  resolved_at: Date | null;
  acknowledged: boolean;
}

export interface Message {
  kind: MessageKind;
  notificationId: number | null;
  alert: AlertFacts | null;
  at: Date;
  /** Where the alerts page is, when PUBLIC_URL says (no link otherwise). */
  publicUrl: string;
}

/** The generic webhook's JSON. */
export function webhookBody(m: Message): string {
  const a = m.alert;
  const link = m.publicUrl ? `${m.publicUrl.replace(/\/$/, "")}/alerts` : null;
  return JSON.stringify({
    type: m.kind === "test" ? "test" : `alert.${m.kind}`,
    notification_id: m.notificationId,
    sent_for: m.at.toISOString(),
    alert: a && {
      id: a.alert_id,
      key: a.key,
      rule: a.rule,
      title: RULES[a.rule].title,
      severity: RULES[a.rule].severity,
      state: a.state,
      subject: a.subject,
      message: a.message,
      value: a.value,
      threshold: a.threshold,
      unit: RULES[a.rule].unit,
      fired_at: a.fired_at.toISOString(),
      resolved_at: a.resolved_at?.toISOString() ?? null,
      acknowledged: a.acknowledged,
    },
    url: link,
    ...(m.kind === "test"
      ? { message: "A test message from the pricing platform's alerts" }
      : {}),
  });
}

const HEAD: Record<MessageKind, string> = {
  firing: ":red_circle: *Firing*",
  repeat: ":large_orange_circle: *Still firing*",
  resolved: ":large_green_circle: *Resolved*",
  test: ":white_circle: *Test*",
};

/** Slack's `&`, `<` and `>` are control characters in mrkdwn. */
function escapeSlack(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(
    ">",
    "&gt;",
  );
}

/** The Slack-compatible `{"text": ...}`. */
export function slackBody(m: Message): string {
  const a = m.alert;
  const link = m.publicUrl
    ? ` <${m.publicUrl.replace(/\/$/, "")}/alerts|Open the alerts page>`
    : "";
  const text = a
    ? `${HEAD[m.kind]} ${escapeSlack(RULES[a.rule].title)}: ${
      escapeSlack(a.subject)
    }\n${escapeSlack(a.message)}${link}`
    : `${HEAD.test} A test message from the pricing platform's alerts.${link}`;
  return JSON.stringify({ text });
}

/** The body for a channel of `kind`. */
export function bodyFor(kind: ChannelKind, m: Message): string {
  return kind === "slack" ? slackBody(m) : webhookBody(m);
}
