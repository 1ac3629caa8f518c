/**
 * `deno task start` runs under START_V8_FLAGS, the flags the embedded
 * pipeline benchmark measures its memory with.
 */
import { ok } from "node:assert/strict";
import { START_V8_FLAGS } from "../lib/db/embedded.ts";

Deno.test("start task - runs main.ts with the V8 flags the embedded benchmark measures", async () => {
  const { tasks } = JSON.parse(
    await Deno.readTextFile(new URL("../deno.json", import.meta.url)),
  ) as { tasks: Record<string, string> };
  const main = tasks.start!.split("&&").find((c) => c.includes("main.ts"))!;
  ok(
    main.includes(`--v8-flags=${START_V8_FLAGS} `),
    `deno.json's start task runs main.ts without --v8-flags=${START_V8_FLAGS}: ${main}`,
  );
});
