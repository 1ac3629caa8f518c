/**
 * Request bodies read with a ceiling: a declared Content-Length above it is
 * refused before a byte is read, and a body without one (chunked) is cut off
 * as soon as it passes it, so a client cannot make the server buffer more
 * than the limit.
 */
import type { Context } from "hono";
import { HttpError } from "./http_error.ts";

function tooLarge(maxBytes: number, what: string): HttpError {
  return new HttpError(
    413,
    `Cannot accept ${what} over ${
      maxBytes.toLocaleString("en-US")
    } bytes: split it into smaller requests`,
  );
}

/** The body's bytes; 413 naming the limit when it is larger than `maxBytes`. */
export async function readBody(
  c: Context,
  maxBytes: number,
  what: string,
): Promise<Uint8Array> {
  const declared = Number(c.req.header("Content-Length") ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes, what);
  const stream = c.req.raw.body;
  if (!stream) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes, what);
    chunks.push(chunk);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const ch of chunks) {
    out.set(ch, at);
    at += ch.length;
  }
  return out;
}

/** True when the request says its body is JSON (or sniffing its first byte does). */
export function looksLikeJson(c: Context, body: Uint8Array): boolean {
  const type = c.req.header("Content-Type") ?? "";
  if (/json/i.test(type) && !/ndjson|jsonl|json-seq/i.test(type)) return true;
  for (const b of body) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    return b === 0x7b || b === 0x5b; // { or [
  }
  return false;
}
