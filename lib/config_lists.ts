/**
 * The two settings that hold lists of secrets: the ingest API's sources
 * (INGEST_TOKENS) and the alert channels (ALERT_CHANNELS). Both are entries
 * separated by `;` (or line breaks), each a few fields separated by spaces:
 *
 *   INGEST_TOKENS="pos inventory,clickstream tok_4f9c…; prices competitor tok_77ab…"
 *   ALERT_CHANNELS="ops webhook https://alerts.example.com/hook s3cret; team slack https://hooks.slack.com/services/…"
 *
 * A mistake is reported naming the entry by its position and name, never
 * quoting a token, a secret or a URL (a Slack URL is itself a secret).
 */

/** The streams a source may write; the same names as lib/stream/topics.ts (a test keeps them equal). */
export const INGEST_STREAMS = [
  "clickstream",
  "inventory",
  "competitor",
] as const;
export type IngestStream = typeof INGEST_STREAMS[number];

/** One producer of the ingest API and what it may write. */
export interface IngestSource {
  readonly name: string;
  readonly streams: readonly IngestStream[];
  readonly token: string;
}

export const CHANNEL_KINDS = ["webhook", "slack"] as const;
export type ChannelKind = typeof CHANNEL_KINDS[number];

/** Where alerts go: a generic signed webhook or a Slack-compatible incoming webhook. */
export interface AlertChannel {
  readonly name: string;
  readonly kind: ChannelKind;
  readonly url: string;
  /** HMAC key of the webhook's X-Signature-256 header (empty for slack). */
  readonly secret: string;
}

/** Shortest token or webhook secret accepted: guessing must stay out of reach. */
export const MIN_SECRET_CHARS = 16;
const NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

function entries(raw: string): string[][] {
  return raw.split(/[;\n]/).map((e) => e.trim()).filter(Boolean).map((e) =>
    e.split(/\s+/)
  );
}

/** Names entry `i` in a message without quoting anything secret. */
function which(i: number, name: string | undefined): string {
  return `entry ${i + 1}${
    name !== undefined && NAME.test(name) ? ` ("${name}")` : ""
  }`;
}

function checkName(name: string, i: number, seen: Set<string>): void {
  if (!NAME.test(name)) {
    throw new RangeError(
      `${
        which(i, undefined)
      } has a bad name: expected lower-case letters, digits, - or _ (at most 40)`,
    );
  }
  if (seen.has(name)) {
    throw new RangeError(`${which(i, name)} repeats the name "${name}"`);
  }
  seen.add(name);
}

function checkSecret(secret: string, what: string, i: number, name: string) {
  if (secret.length < MIN_SECRET_CHARS) {
    throw new RangeError(
      `${
        which(i, name)
      } has a ${what} shorter than ${MIN_SECRET_CHARS} characters`,
    );
  }
}

/** Parses INGEST_TOKENS; throws a RangeError naming the bad entry. */
export function parseIngestSources(raw: string): IngestSource[] {
  const seen = new Set<string>();
  const tokens = new Set<string>();
  return entries(raw).map((fields, i) => {
    const [name = "", streams = "", token = "", ...extra] = fields;
    if (fields.length < 3 || extra.length > 0) {
      throw new RangeError(
        `${
          which(i, name)
        } should be "<source> <streams> <token>", e.g. "pos inventory,clickstream <token>"`,
      );
    }
    checkName(name, i, seen);
    const list = streams === "*" ? [...INGEST_STREAMS] : streams.split(",");
    const bad = list.find((s) =>
      !(INGEST_STREAMS as readonly string[]).includes(s)
    );
    if (bad !== undefined) {
      throw new RangeError(
        `${which(i, name)} names unknown stream "${bad}", expected ${
          INGEST_STREAMS.join(", ")
        } or *`,
      );
    }
    checkSecret(token, "token", i, name);
    if (tokens.has(token)) {
      throw new RangeError(`${which(i, name)} reuses another source's token`);
    }
    tokens.add(token);
    return { name, streams: list as IngestStream[], token };
  });
}

/** Parses ALERT_CHANNELS; throws a RangeError naming the bad entry. */
export function parseAlertChannels(raw: string): AlertChannel[] {
  const seen = new Set<string>();
  return entries(raw).map((fields, i) => {
    const [name = "", kind = "", url = "", secret = "", ...extra] = fields;
    if (fields.length < 3 || extra.length > 0) {
      throw new RangeError(
        `${
          which(i, name)
        } should be "<name> webhook <url> <secret>" or "<name> slack <url>"`,
      );
    }
    checkName(name, i, seen);
    if (!(CHANNEL_KINDS as readonly string[]).includes(kind)) {
      throw new RangeError(
        `${which(i, name)} has kind "${kind}", expected webhook or slack`,
      );
    }
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      throw new RangeError(`${which(i, name)} has no valid http(s) URL`);
    }
    if (kind === "webhook") checkSecret(secret, "secret", i, name);
    else if (secret !== "") {
      throw new RangeError(
        `${which(i, name)} is a slack channel, which takes no secret`,
      );
    }
    return { name, kind: kind as ChannelKind, url, secret };
  });
}
