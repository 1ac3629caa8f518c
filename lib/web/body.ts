/**
 * Request bodies read with a ceiling: a declared Content-Length above it is
 * refused before a byte is read, and a body without one (chunked) is cut off
 * as soon as it passes it, so a client cannot make the server buffer more
 * than the limit.
 */
import type { Context } from "hono";
import { HttpError } from "./http_error.ts";
import { count } from "../format.ts";

function tooLarge(maxBytes: number, what: string): HttpError {
  return new HttpError(
    413,
    `Cannot accept ${what} over ${
      count(maxBytes)
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

/** A JSON object body of at most 64 KiB (empty means `{}`); 400 naming what is wrong. */
export async function jsonObject(c: Context): Promise<Record<string, unknown>> {
  const bytes = await readBody(c, 64 * 1024, "a request body");
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, "Cannot read the request body: it is not JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new HttpError(
      400,
      "Cannot read the request body: expected a JSON object",
    );
  }
  return body as Record<string, unknown>;
}

/** Field `field` of `body`: text of 1 to `max` characters without control characters, or undefined. */
export function textField(
  body: Record<string, unknown>,
  field: string,
  max: number,
): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (
    typeof v !== "string" || v.trim() === "" || v.length > max ||
    // deno-lint-ignore no-control-regex -- refusing control characters is the point
    /[\u0000-\u001f]/.test(v)
  ) {
    throw new HttpError(
      400,
      `Cannot read field "${field}": expected text of 1 to ${max} characters without control characters`,
    );
  }
  return v.trim();
}
