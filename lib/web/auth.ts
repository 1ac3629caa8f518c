/** Bearer-token guard for write endpoints (API_TOKEN; empty disables them). */
import type { MiddlewareHandler } from "hono";
import { HttpError } from "./http_error.ts";

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
    const header = c.req.header("Authorization") ?? "";
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m || !same(m[1]!.trim(), token)) {
      c.header("WWW-Authenticate", 'Bearer realm="pricing-platform"');
      throw new HttpError(
        401,
        'Cannot run a write endpoint: send the header "Authorization: Bearer <API_TOKEN>"',
      );
    }
    await next();
  };
}
