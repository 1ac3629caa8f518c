/**
 * A fix for kafkajs 2.2.4's request queue, applied once when the Kafka adapter
 * loads. `RequestQueue.scheduleCheckPendingRequests` sets a timer for
 * `throttledUntil - Date.now()`, and `throttledUntil` starts at -1, so it asks
 * `setTimeout` for about minus the epoch: the runtime turns that into 1 ms and
 * prints a `TimeoutNegativeWarning` (kafkajs issue #1751). Worse, the timer's
 * callback schedules the next one, so every connection that has answered a
 * request wakes the process every millisecond for nothing.
 *
 * The replacement schedules a check only when requests are waiting (at the
 * end of a client-side throttle, or in 10 ms as kafkajs does): `push()` calls
 * it again whenever a request has to wait, so an empty queue needs no timer.
 * It can go once kafkajs ships a fix (tests/kafka_guard_test.ts checks that
 * the original still has the bug).
 */
// @ts-types="./kafka_guard_types.d.ts"
import RequestQueue from "kafkajs/src/network/requestQueue/index.js";

/** kafkajs's `CHECK_PENDING_REQUESTS_INTERVAL`, not exported by it. */
const CHECK_PENDING_REQUESTS_INTERVAL = 10;

interface Queue {
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  pending: unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

const proto = (RequestQueue as unknown as { prototype: Queue }).prototype;

/** kafkajs's own method, kept so a test can show the bug it has. */
export const originalSchedule = proto.scheduleCheckPendingRequests;

/** kafkajs's schedule for waiting requests; nothing when none wait. */
function scheduleCheckPendingRequests(this: Queue): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const throttled = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, throttled > 0 ? throttled : CHECK_PENDING_REQUESTS_INTERVAL);
}

proto.scheduleCheckPendingRequests = scheduleCheckPendingRequests;

/** The request queue class kafkajs uses (for the test). */
export { RequestQueue };
