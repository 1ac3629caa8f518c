/**
 * Bearer tokens: API_TOKEN for the write endpoints (empty disables them),
 * and one token per ingest source (INGEST_TOKENS). Tokens are compared in
 * constant time, every configured one each time, so the answer's timing
 * says nothing about how much of a guess was right or which source matched.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { IngestSource } from "../config.ts";
import { HttpError } from "./http_error.ts";

/** Compares two secrets in time that depends only on their lengths. */
function same(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a), y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  }
  return diff === 0;
}

/** Requires `Authorization: Bearer <token>`; 403 when no token is configured. */
export function requireToken(token: string): MiddlewareHandler {
  return async function bearerToken(c, next) {
    if (!token) {
      throw new HttpError(
        403,
        "Write endpoints are disabled: set API_TOKEN to enable them",
      );
    }
    const given = bearer(c);
    if (given === null || !same(given, token)) {
      c.header("WWW-Authenticate", 'Bearer realm="pricing-platform"');
      throw new HttpError(
        401,
        'Cannot run a write endpoint: send the header "Authorization: Bearer <API_TOKEN>"',
      );
    }
    await next();
  };
}

function bearer(c: Context): string | null {
  const m = /^Bearer\s+(.+)$/i.exec(c.req.header("Authorization") ?? "");
  return m ? m[1]!.trim() : null;
}

/**
 * The ingest source whose token the request carries: 403 while no source is
 * configured (the API is off), 401 for a missing or unknown token.
 */
export function ingestSource(
  c: Context,
  sources: readonly IngestSource[],
): IngestSource {
  if (sources.length === 0) {
    throw new HttpError(
      403,
      "The ingest API is disabled: set INGEST_TOKENS to enable it",
    );
  }
  const token = bearer(c) ?? "";
  let found: IngestSource | undefined;
  for (const s of sources) if (same(token, s.token) && !found) found = s;
  if (!found) {
    c.header("WWW-Authenticate", 'Bearer realm="ingest"');
    throw new HttpError(
      401,
      'Cannot ingest events: send the header "Authorization: Bearer <token>" with a token of INGEST_TOKENS',
    );
  }
  return found;
}
