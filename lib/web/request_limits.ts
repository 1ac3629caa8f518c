/**
 * Requests the dashboard refuses before any route runs, each with a sentence
 * saying why: an address longer than {@linkcode MAX_URL_CHARS} (414), and a
 * query parameter given more than once (400: which value was meant is
 * anybody's guess, and taking the first silently hid typos).
 *
 * Deno's HTTP server itself refuses a request line above 64 KiB with an
 * empty 400 before the app sees it; this limit sits well below that, so
 * every oversized address that reaches us gets a readable answer.
 */
import type { MiddlewareHandler } from "hono";
import { HttpError } from "./http_error.ts";
import { quoted } from "../query.ts";
import { count } from "../format.ts";

/** Longest request address (path and query) answered normally; nginx's default buffer is 8 KiB too. */
export const MAX_URL_CHARS = 8192;

/** Middleware: 414 for an address over the limit, 400 for a repeated query parameter. */
export function requestLimits(): MiddlewareHandler {
  return async function requestLimits(c, next) {
    const url = new URL(c.req.url);
    const length = url.pathname.length + url.search.length;
    if (length > MAX_URL_CHARS) {
      throw new HttpError(
        414,
        `Cannot read a request address of ${
          count(length)
        } characters: the limit is ${count(MAX_URL_CHARS)}`,
      );
    }
    const seen = new Map<string, number>();
    for (const key of url.searchParams.keys()) {
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    for (const [key, times] of seen) {
      if (times > 1) {
        throw new HttpError(
          400,
          `Parameter ${
            quoted(key)
          } is given ${times} times: give it once (which value was meant cannot be told)`,
        );
      }
    }
    await next();
  };
}
