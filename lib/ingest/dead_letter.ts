/**
 * Dead-letter envelopes: a rejected record, its reason and (part of) its
 * payload, as JSON for the `dlq.*` topic. The envelope is bounded by its
 * ENCODED size: JSON escaping can make a payload six times larger (a 0x01
 * byte becomes `\u0001`), and an envelope over the topic's message limit
 * would be refused by the broker on every retry.
 *
 * The dead-letter topic is a copy for operators; `rejected_events` is the
 * record. A send that fails is logged at error level and counted
 * (`ecommerce_dead_letter_failures_total`), and the batch commits anyway:
 * a broken DLQ never blocks a partition.
 */
import type { Rejection } from "./types.ts";
import { pgText } from "./types.ts";
import { logger } from "../log.ts";

const log = logger("consumer");
const enc = new TextEncoder();
const dec = new TextDecoder();

/** Largest envelope produced: a quarter of the 4 MiB topic limit. */
export const MAX_ENVELOPE_BYTES = 1024 * 1024;

/** The envelope of `r` read from `topic`, at most `maxBytes` bytes of UTF-8 JSON. */
export function deadLetterEnvelope(
  topic: string,
  r: Rejection,
  maxBytes = MAX_ENVELOPE_BYTES,
): string {
  const base = {
    topic,
    partition: r.record.partition,
    offset: r.record.offset,
    kind: r.kind,
    reason: r.reason.slice(0, 4096),
    field: r.field,
    payload_bytes: r.record.value.length,
  };
  const full = pgText(dec.decode(r.record.value.subarray(0, maxBytes)));
  let keep = full.length;
  for (let attempt = 0;; attempt++) {
    const truncated = keep < full.length ||
      r.record.value.length > maxBytes;
    const text = JSON.stringify({
      ...base,
      payload_truncated: truncated,
      payload: full.slice(0, keep),
    });
    const size = enc.encode(text).length;
    if (size <= maxBytes) return text;
    // Shrink in proportion to the overshoot, with 5% to spare; converges in
    // two or three rounds whatever the escaping ratio.
    keep = attempt > 8 ? 0 : Math.floor(keep * (maxBytes / size) * 0.95);
  }
}

/**
 * Sends `rejections` with `send`; never throws. Returns how many could not
 * be dead-lettered (0 or all of them).
 */
export async function deadLetterSafely(
  send: ((rejections: readonly Rejection[]) => Promise<void>) | undefined,
  topic: string,
  rejections: readonly Rejection[],
): Promise<number> {
  if (!send || rejections.length === 0) return 0;
  try {
    await send(rejections);
    return 0;
  } catch (err) {
    log.error(
      "cannot produce rejections to the dead-letter topic; they are stored in rejected_events only",
      {
        topic,
        rejections: rejections.length,
        first_offset: rejections[0]!.record.offset,
        error: err,
      },
    );
    return rejections.length;
  }
}
