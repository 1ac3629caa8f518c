/**
 * The ingest API: `POST /api/ingest/clickstream|inventory|competitor` with a
 * source's token (INGEST_TOKENS), an NDJSON body (one event a line) or a
 * JSON array of events, up to INGEST_MAX_BYTES (5 MiB). The events go to
 * the stream's topic (the invalid ones too, for the consumers to record);
 * the answer is `202 {accepted, rejected, errors: [{line,
 * reason}]}` (lib/feeds/accept.ts). 401 without a known token, 403 for a
 * stream the source may not write, 413 over the size limit, 503 where this
 * process cannot write to the log.
 */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import { ingestSource } from "../lib/web/auth.ts";
import { HttpError } from "../lib/web/http_error.ts";
import { readBody } from "../lib/web/body.ts";
import { bodyEvents } from "../lib/feeds/lines.ts";
import { acceptEvents } from "../lib/feeds/accept.ts";
import { CatalogCache } from "../lib/ingest/reference.ts";
import { count } from "../lib/format.ts";
import {
  STREAM_NAMES,
  type StreamName,
  STREAMS,
} from "../lib/stream/topics.ts";

/** The one sentence a web role without the log answers. */
export const NO_LOG =
  "The ingest API needs the log: run the web role with the processor (ROLE=all) or set KAFKA_BROKERS";

function streamOf(c: Context): StreamName {
  const s = c.req.param("stream") ?? "";
  if (!(STREAM_NAMES as readonly string[]).includes(s)) {
    throw new HttpError(
      404,
      `Cannot ingest into "${s}": expected one of ${STREAM_NAMES.join(", ")}`,
    );
  }
  return s as StreamName;
}

/**
 * Most events one request may carry: 5 MiB of real events is under 20,000,
 * and validating millions of tiny ones would hold the event loop for seconds.
 */
export const MAX_EVENTS = 50_000;

function eventsOf(body: Uint8Array) {
  try {
    const events = bodyEvents(body);
    if (events.length > MAX_EVENTS) {
      throw new HttpError(
        413,
        `Cannot accept ${
          count(events.length)
        } events in one request: the limit is ${
          count(MAX_EVENTS)
        }; split them into smaller requests`,
      );
    }
    if (events.length > 0) return events;
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new HttpError(400, err.message);
  }
  throw new HttpError(
    400,
    "Cannot ingest an empty body: send one JSON event a line (NDJSON) or a JSON array of events",
  );
}

export function ingestRoutes(ctx: AppContext): Hono {
  const { config } = ctx;
  // Loaded on the first request; reloaded when an event names an id it lacks and the catalog moved.
  let catalog: Promise<CatalogCache> | null = null;
  const limits = {
    maxFutureMs: config.eventMaxFutureMs,
    minTimestampMs: Date.parse(config.eventMinTimestamp),
  };
  return new Hono().post("/api/ingest/:stream", async (c) => {
    const stream = streamOf(c);
    const source = ingestSource(c, config.ingestTokens);
    if (!source.streams.includes(stream)) {
      throw new HttpError(
        403,
        `Source "${source.name}" may not write "${stream}": its token allows ${
          source.streams.join(", ")
        }`,
      );
    }
    const log = ctx.log;
    if (!log) throw new HttpError(503, NO_LOG);
    const body = await readBody(c, config.ingestMaxBytes, "an ingest request");
    const events = eventsOf(body);
    catalog ??= CatalogCache.load(ctx.sql).catch((err) => {
      catalog = null;
      throw err;
    });
    const topic = config.topicPrefix + STREAMS[stream].topic;
    const result = await acceptEvents({
      stream,
      events,
      reference: (await catalog).reference(),
      limits,
      send: (messages) => log.send(topic, messages),
    });
    const counter = ctx.metrics?.metrics.ingestApiEvents;
    const labels = { source: source.name, stream };
    counter?.inc({ ...labels, outcome: "accepted" }, result.accepted);
    counter?.inc({ ...labels, outcome: "rejected" }, result.rejected);
    return c.json(result, 202);
  });
}
