/**
 * Talking to a channel: one HTTP POST with a deadline, signed for a generic
 * webhook (`X-Signature-256: sha256=<hex HMAC-SHA256 of the body with the
 * channel's secret>`, as GitHub signs its webhooks). What goes wrong is said
 * without the channel's URL, which for Slack is itself the secret: errors,
 * logs, the delivery log and the API show the channel by name and its URL
 * masked to scheme and host.
 */
import type { AlertChannel } from "../config.ts";

/** `https://hooks.slack.com/services/T/B/X` → `https://hooks.slack.com/…`. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return "(unreadable URL)";
  }
}

const enc = new TextEncoder();

/** `sha256=<hex>`: the HMAC-SHA256 of `body` under `secret`. */
export async function signature(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, enc.encode(body)),
  );
  return "sha256=" +
    Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** How one attempt went. */
export interface Attempt {
  ok: boolean;
  /** The receiver's status; null without an answer. */
  status: number | null;
  /** Why it failed, in words without the URL or secret; null when it worked. */
  error: string | null;
  /** Worth trying again: no answer, a timeout, 408, 425, 429 or 5xx. */
  retry: boolean;
  ms: number;
}

/** Replaces every spelling of the channel's URL in `text` with its mask. */
export function redact(text: string, channel: AlertChannel): string {
  let out = text;
  const spellings = [
    channel.url,
    URL.canParse(channel.url) ? new URL(channel.url).href : "",
  ];
  for (const s of spellings) {
    if (s) out = out.replaceAll(s, maskUrl(channel.url));
  }
  if (channel.secret) out = out.replaceAll(channel.secret, "…");
  return out;
}

function judged(status: number, ms: number): Attempt {
  if (status >= 200 && status < 300) {
    return { ok: true, status, error: null, retry: false, ms };
  }
  const retry = status >= 500 || [408, 425, 429].includes(status);
  const error = status >= 300 && status < 400
    ? `the receiver answered ${status} (a redirect): give the channel its final URL`
    : `the receiver answered ${status}`;
  return { ok: false, status, error, retry, ms };
}

/** POSTs `body` to `channel` once, within `timeoutMs`. Never throws. */
export async function postOnce(
  channel: AlertChannel,
  body: string,
  o: { timeoutMs: number; deliveryId: number; attempt: number },
): Promise<Attempt> {
  const t0 = performance.now();
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "User-Agent": "pricing-platform-alerts/1",
    "X-Alert-Delivery": String(o.deliveryId),
    "X-Alert-Attempt": String(o.attempt),
  };
  if (channel.kind === "webhook") {
    headers["X-Signature-256"] = await signature(channel.secret, body);
  }
  try {
    const res = await fetch(channel.url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(o.timeoutMs),
    });
    await res.body?.cancel();
    return judged(res.status, Math.round(performance.now() - t0));
  } catch (err) {
    const ms = Math.round(performance.now() - t0);
    const timedOut = (err as Error).name === "TimeoutError";
    return {
      ok: false,
      status: null,
      error: timedOut
        ? `no answer within ${o.timeoutMs} ms`
        : redact(`cannot connect: ${(err as Error).message}`, channel),
      retry: true,
      ms,
    };
  }
}
