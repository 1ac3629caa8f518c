import {
  deepStrictEqual as assertEquals,
  match as assertMatch,
} from "node:assert/strict";
import { supervise } from "./supervisor.ts";
import { WorkerRegistry } from "./registry.ts";
import type { ConsumerHandle } from "../stream/log.ts";

const FAST = {
  firstDelayMs: 10,
  maxDelayMs: 40,
  maxFailures: 3,
  stableMs: 60_000,
};

/** A consumer whose `done` rejects at once (a crash kafkajs will not restart). */
function crashing(): Promise<ConsumerHandle> {
  return Promise.resolve({
    done: Promise.reject(
      new Error("The group member's supported protocols are incompatible"),
    ),
    stop: () => Promise.resolve(),
  });
}

Deno.test("supervisor - a consumer that dies is restarted, and one that keeps dying is fatal", async () => {
  const registry = new WorkerRegistry();
  let starts = 0;
  const fatal = await new Promise<Error>((resolve) => {
    supervise(
      "consumer raw.clickstream",
      () => (starts++, crashing()),
      registry,
      resolve,
      FAST,
    );
  });
  assertEquals(starts, FAST.maxFailures + 1);
  assertMatch(
    fatal.message,
    /^consumer raw\.clickstream died 4 times in a row: The group member's supported protocols/,
  );
  assertEquals(registry.list()[0]!.state, "down");
  assertEquals(registry.healthy, false);
});

Deno.test("supervisor - after a restart the worker is running again and counted", async () => {
  const registry = new WorkerRegistry();
  let starts = 0;
  let stopped = false;
  const healthy: ConsumerHandle = {
    done: new Promise(() => {}),
    stop: () => (stopped = true, Promise.resolve()),
  };
  const s = await supervise(
    "consumer raw.inventory_updates",
    () => (starts++ === 0 ? crashing() : Promise.resolve(healthy)),
    registry,
    () => {},
    FAST,
  );
  await new Promise((r) => setTimeout(r, 100));
  const [w] = registry.list();
  assertEquals([w!.state, w!.restarts, registry.healthy], ["running", 1, true]);
  await s.stop();
  assertEquals([stopped, registry.list()[0]!.state], [true, "stopped"]);
});
