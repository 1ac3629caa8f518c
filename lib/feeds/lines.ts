/**
 * The events of an ingest request body: NDJSON (one JSON event a line,
 * blank lines skipped, CRLF allowed) or one JSON array of events. Each
 * event keeps its position — the line in NDJSON, the 1-based index in an
 * array — so the answer can say which one was refused.
 */

/** One event of a body: its position and its bytes, as the log will carry them. */
export interface BodyEvent {
  line: number;
  bytes: Uint8Array;
}

const enc = new TextEncoder();

/** True when the body's first non-blank byte opens a JSON array. */
export function isJsonArray(body: Uint8Array): boolean {
  for (const b of body) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    return b === 0x5b; // [
  }
  return false;
}

/** Splits NDJSON without decoding it: each line stays the bytes that were sent. */
export function ndjsonEvents(body: Uint8Array): BodyEvent[] {
  const out: BodyEvent[] = [];
  let start = 0;
  let line = 1;
  for (let i = 0; i <= body.length; i++) {
    if (i < body.length && body[i] !== 0x0a) continue;
    let end = i;
    if (end > start && body[end - 1] === 0x0d) end--;
    if (!blank(body, start, end)) {
      out.push({ line, bytes: body.subarray(start, end) });
    }
    start = i + 1;
    line++;
  }
  return out;
}

function blank(body: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = body[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  }
  return true;
}

/**
 * The elements of a JSON array body, each re-encoded on its own. Throws a
 * RangeError saying why when the body is not a JSON array.
 */
export function arrayEvents(body: Uint8Array): BodyEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch (err) {
    throw new RangeError(
      `Cannot read the body as a JSON array: ${(err as Error).message}`,
    );
  }
  if (!Array.isArray(parsed)) {
    throw new RangeError("Cannot read the body as a JSON array of events");
  }
  return parsed.map((e, i) => ({
    line: i + 1,
    bytes: enc.encode(JSON.stringify(e) ?? "null"),
  }));
}

/** The events of `body`, whichever of the two forms it is. */
export function bodyEvents(body: Uint8Array): BodyEvent[] {
  return isJsonArray(body) ? arrayEvents(body) : ndjsonEvents(body);
}
