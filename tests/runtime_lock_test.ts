/**
 * `deno task start` runs with `--lock=runtime.lock --frozen`: Deno installs
 * every npm package of the lock file it is given, so a first start on an
 * empty cache fetches only what main.ts and the islands build import, not
 * the test and bench tools of deno.lock (DuckDB alone is 140 MB).
 */
import { ok } from "node:assert/strict";

const root = new URL("../", import.meta.url);
const DEV_ONLY = [
  "s3rver",
  "playwright-core",
  "@duckdb/node-api",
  "fast-check",
  "yaml",
];

Deno.test("runtime lock - holds what the running roles import and no test or bench tool", async () => {
  const lock = JSON.parse(
    await Deno.readTextFile(new URL("runtime.lock", root)),
  ) as { npm: Record<string, unknown> };
  const packages = Object.keys(lock.npm).map((k) =>
    k.slice(0, k.indexOf("@", 1))
  );
  const dev = DEV_ONLY.filter((d) => packages.includes(d));
  ok(dev.length === 0, `runtime.lock holds ${dev.join(", ")}`);
  for (const p of ["postgres", "kafkajs", "@electric-sql/pglite", "hono"]) {
    ok(packages.includes(p), `runtime.lock misses ${p}`);
  }
});

Deno.test("runtime lock - is current for main.ts and cli/build.ts (else: deno task lock:runtime)", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "cache",
      "--lock=runtime.lock",
      "--frozen",
      "main.ts",
      "cli/build.ts",
    ],
    cwd: root.pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  ok(
    out.success,
    `runtime.lock is out of date; run "deno task lock:runtime": ${
      new TextDecoder().decode(out.stderr).slice(0, 500)
    }`,
  );
});
