import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { maskUrl, postOnce, signature } from "./channels.ts";

Deno.test("alert channels - a URL is shown as scheme and host only", () => {
  assertEquals(
    maskUrl("https://hooks.slack.com/services/T0/B0/secretpart?x=1"),
    "https://hooks.slack.com/…",
  );
});

Deno.test("alert channels - the signature is GitHub's: sha256= and the hex HMAC-SHA256 of the body", async () => {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  assertEquals(
    await signature("Jefe", "what do ya want for nothing?"),
    "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  );
});

Deno.test("alert channels - a channel that cannot be reached is retried, and the error never quotes its URL or secret", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const a = await postOnce(
    {
      name: "team",
      kind: "webhook",
      url: `http://127.0.0.1:${port}/services/T0/B0/secretpart`,
      secret: "s".repeat(20),
    },
    "{}",
    { timeoutMs: 1000, deliveryId: 1, attempt: 1 },
  );
  assertEquals([a.ok, a.retry, a.status], [false, true, null]);
  ok(a.error && !a.error.includes("secretpart"), a.error ?? "");
});
