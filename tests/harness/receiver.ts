/**
 * A local HTTP receiver for alert deliveries: records every request, checks
 * its X-Signature-256 against the secret the way a receiver should (HMAC of
 * the raw body, compared in constant time by WebCrypto's verify), and
 * answers from a script per path: a status, or "hang" to never answer.
 */

export interface Received {
  path: string;
  body: string;
  delivery: string | null;
  attempt: string | null;
  /** True when the signature header matches the body under the secret; null when there is none. */
  verified: boolean | null;
  /** What the receiver answered (null: it hung). */
  answered: number | null;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answers for the next requests to `path`, in order; afterwards 200. */
  script(path: string, answers: (number | "hang")[]): void;
  stop(): Promise<void>;
}

async function verify(secret: string, body: string, header: string | null) {
  if (!header) return null;
  const m = /^sha256=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const mac = new Uint8Array(
    m[1]!.match(/../g)!.map((h) => parseInt(h, 16)),
  );
  return await crypto.subtle.verify("HMAC", key, mac, enc.encode(body));
}

/** Starts a receiver on a free port that checks signatures with `secret`. */
export function startReceiver(secret: string): Receiver {
  const received: Received[] = [];
  const scripts = new Map<string, (number | "hang")[]>();
  const hanging = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      const path = new URL(req.url).pathname;
      const body = await req.text();
      const answer = scripts.get(path)?.shift() ?? 200;
      received.push({
        path,
        body,
        delivery: req.headers.get("X-Alert-Delivery"),
        attempt: req.headers.get("X-Alert-Attempt"),
        verified: await verify(
          secret,
          body,
          req.headers.get("X-Signature-256"),
        ),
        answered: answer === "hang" ? null : answer,
      });
      if (answer === "hang") {
        await new Promise((r) => hanging.signal.addEventListener("abort", r));
        return new Response("late", { status: 200 });
      }
      return new Response(answer < 300 ? "ok" : "unavailable", {
        status: answer,
      });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    received,
    script: (path, answers) => scripts.set(path, [...answers]),
    async stop() {
      hanging.abort();
      await server.shutdown();
    },
  };
}
