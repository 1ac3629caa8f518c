import { deepStrictEqual as assertEquals } from "node:assert/strict";
import process from "node:process";
import { originalSchedule, RequestQueue } from "./kafka_guard.ts";

/** A request queue as kafkajs builds one for a new connection. */
function newQueue() {
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  return new RequestQueue({
    instrumentationEmitter: null,
    maxInFlightRequests: 1,
    requestTimeout: 1000,
    enforceRequestTimeout: false,
    clientId: "test",
    broker: "127.0.0.1:1",
    logger: { namespace: () => quiet },
    isConnected: () => true,
  }) as {
    scheduleCheckPendingRequests(): void;
    throttleCheckTimeoutId: number | null;
    pending: unknown[];
    destroy(): void;
  };
}

/** The names of the process warnings `fn` causes. */
async function warningsOf(fn: () => void): Promise<string[]> {
  const seen: string[] = [];
  const listener = (w: Error) => seen.push(w.name);
  process.on("warning", listener);
  try {
    fn();
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    process.off("warning", listener);
  }
  return seen;
}

Deno.test("kafka guard - an idle request queue sets no timer and causes no TimeoutNegativeWarning", async () => {
  const bugged = newQueue();
  const before = await warningsOf(() => originalSchedule.call(bugged as never));
  bugged.destroy();
  // If this fails, kafkajs fixed the bug itself and kafka_guard.ts can go.
  assertEquals(before, ["TimeoutNegativeWarning"]);
  const q = newQueue();
  assertEquals(await warningsOf(() => q.scheduleCheckPendingRequests()), []);
  assertEquals(q.throttleCheckTimeoutId, null, "no timer while nothing waits");
});

Deno.test("kafka guard - a request that waits is checked again in 10 ms", async () => {
  const q = newQueue();
  q.pending.push({});
  const warnings = await warningsOf(() => {
    q.scheduleCheckPendingRequests();
    assertEquals(q.throttleCheckTimeoutId !== null, true);
    q.pending.length = 0;
    q.destroy();
  });
  assertEquals(warnings, []);
});
