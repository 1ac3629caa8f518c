/**
 * A short-lived response cache for dashboard GETs. Fifty people looking at
 * the same page cost one set of queries per TTL, like the live feed:
 * - a miss while the page is being computed waits for that computation
 *   (single flight) instead of querying again;
 * - once the TTL has passed, ONE request recomputes while the others are
 *   served the previous answer (stale while revalidate, at most `maxStaleMs`
 *   old), so nobody queues behind the refresh.
 * Only 200 responses are kept and the number of URLs is bounded. Live
 * updates still arrive through `/api/live`.
 */
import type { MiddlewareHandler } from "hono";

interface Stored {
  status: number;
  headers: [string, string][];
  body: ArrayBuffer;
  /** The body compressed once per refresh, for clients that accept gzip. */
  gzip: ArrayBuffer | null;
}

interface Entry {
  at: number;
  value: Stored | null;
  pending: Promise<Stored | null> | null;
}

const MIN_GZIP_BYTES = 1024;

function serve(s: Stored, acceptEncoding: string | undefined): Response {
  const headers = new Headers(s.headers);
  headers.append("Vary", "Accept-Encoding");
  if (s.gzip && /\bgzip\b/.test(acceptEncoding ?? "")) {
    headers.set("Content-Encoding", "gzip");
    return new Response(s.gzip, { status: s.status, headers });
  }
  return new Response(s.body, { status: s.status, headers });
}

async function store(res: Response): Promise<Stored> {
  const body = await res.clone().arrayBuffer();
  const gzip =
    body.byteLength < MIN_GZIP_BYTES || res.headers.has("Content-Encoding")
      ? null
      : await new Response(
        new Blob([body]).stream().pipeThrough(new CompressionStream("gzip")),
      ).arrayBuffer();
  return { status: 200, headers: [...res.headers], body, gzip };
}

/** Caches GET responses by URL for `ttlMs`, at most `maxEntries` URLs. */
export function microCache(
  ttlMs = 1000,
  maxEntries = 500,
  maxStaleMs = ttlMs * 5,
): MiddlewareHandler {
  const entries = new Map<string, Entry>();
  return async function microCacheMiddleware(c, next) {
    if (c.req.method !== "GET" || ttlMs <= 0) return await next();
    const key = c.req.url;
    const accept = c.req.header("Accept-Encoding");
    const now = performance.now();
    let e = entries.get(key);
    if (e?.value) {
      const age = now - e.at;
      if (age < ttlMs || (e.pending && age < maxStaleMs)) {
        return serve(e.value, accept);
      }
    } else if (e?.pending) {
      const v = await e.pending;
      if (v) return serve(v, accept);
    }
    if (!e) {
      e = { at: 0, value: null, pending: null };
      entries.set(key, e);
      if (entries.size > maxEntries) {
        entries.delete(entries.keys().next().value!);
      }
    }
    const entry = e;
    let settle!: (s: Stored | null) => void;
    entry.pending = new Promise((r) => (settle = r));
    let stored: Stored | null = null;
    try {
      await next();
      if (c.res.status === 200 && !c.error) {
        stored = await store(c.res);
        entry.value = stored;
        entry.at = now;
        c.res = serve(stored, accept);
      }
    } finally {
      entry.pending = null;
      settle(stored);
      if (!entry.value) entries.delete(key);
    }
  };
}
