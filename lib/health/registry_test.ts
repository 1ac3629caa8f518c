import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { WorkerRegistry } from "./registry.ts";

Deno.test("worker registry - a worker down, restarting or refusing a partition makes the process unhealthy", () => {
  const r = new WorkerRegistry();
  r.set("consumer raw.clickstream", "running");
  assertEquals(r.healthy, true);
  r.set("consumer raw.clickstream", "down", "crashed");
  assertEquals([r.healthy, r.list()[0]!.error], [false, "crashed"]);
  r.set("consumer raw.clickstream", "restarting", "crashed");
  r.set("consumer raw.clickstream", "running");
  assertEquals([r.healthy, r.list()[0]!.restarts], [true, 1]);
  r.refuse("consumer raw.clickstream", 2, "past the log end");
  assertEquals(r.healthy, false);
  assertEquals(r.list()[0]!.refused, { "2": "past the log end" });
});
