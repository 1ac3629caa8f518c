/**
 * What the ingest API does with a body's events: validates each exactly as
 * the topic's consumers will (`parseEvent` with the same reference data and
 * timestamp limits), then sends the valid ones, as the bytes that were
 * posted and keyed by product like every producer, to the topic in one send.
 * From there they reach the database effectively once like any event: the
 * consumers store each event_id once, so posting a body twice stores
 * nothing twice. The answer lists the invalid events, and they are sent
 * too, in their place in the body, so the consumers record them as they
 * record any bad event: the dead-letter topic and `rejected_events` with
 * the reason, from where `deno task rejected:replay` sends an event for a
 * product the catalog lacked once the catalog has it.
 */
import {
  parseEvent,
  type Reference,
  type RejectionCode,
  type TimeLimits,
} from "../events/schema.ts";
import type { Message } from "../stream/log.ts";
import type { StreamName } from "../stream/topics.ts";
import { withCatalog } from "../ingest/reference.ts";
import type { BodyEvent } from "./lines.ts";

/** One refused event of a request. */
export interface LineRejection {
  line: number;
  reason: string;
  event_id?: string;
  code?: RejectionCode;
}

export interface AcceptResult {
  accepted: number;
  rejected: number;
  /** The first {@linkcode MAX_ERRORS} rejections, in body order. */
  errors: LineRejection[];
}

/** Rejections listed in one answer; the count covers them all. */
export const MAX_ERRORS = 1000;

export interface AcceptOptions {
  stream: StreamName;
  events: readonly BodyEvent[];
  reference: Reference;
  limits: TimeLimits;
  /** Appends the events to the stream's topic; resolves once they are durable. */
  send(messages: Message[]): Promise<void>;
  now?: number;
}

function validate(o: AcceptOptions, now: number) {
  const messages: Message[] = [];
  const errors: LineRejection[] = [];
  let rejected = 0;
  for (const e of o.events) {
    const p = parseEvent(o.stream, e.bytes, o.reference, now, o.limits);
    if (p.ok) {
      messages.push({ key: p.event.product_id, value: e.bytes });
      continue;
    }
    messages.push({ key: p.productId, value: e.bytes });
    rejected++;
    if (errors.length < MAX_ERRORS) {
      errors.push({
        line: e.line,
        reason: p.reason,
        ...(p.eventId ? { event_id: p.eventId } : {}),
        ...(p.code ? { code: p.code } : {}),
      });
    }
  }
  return { messages, errors, rejected };
}

/** Validates `o.events`, sends them all and says which the consumers will store. */
export async function acceptEvents(o: AcceptOptions): Promise<AcceptResult> {
  const now = o.now ?? Date.now();
  // A product imported a moment ago is known here as soon as the catalog says so.
  const v = await withCatalog(
    o.reference,
    () => Promise.resolve(validate(o, now)),
  );
  if (v.messages.length > 0) await o.send(v.messages);
  return {
    accepted: v.messages.length - v.rejected,
    rejected: v.rejected,
    errors: v.errors,
  };
}
