/**
 * `deno task test`: starts the real services the suite needs (see
 * harness/services.ts), runs `deno test` with their addresses in the
 * environment, and stops them, whatever the outcome.
 */
import { SERVICES, type StartedService } from "./harness/services.ts";

const enc = new TextEncoder();
const note = (s: string) => Deno.stderr.writeSync(enc.encode(s + "\n"));
const env: Record<string, string> = {};
const started: StartedService[] = [];

for (const s of SERVICES) {
  if (Deno.env.get(s.envVar)) {
    note(`[test] ${s.name}: using ${s.envVar}=${Deno.env.get(s.envVar)}`);
    continue;
  }
  const t0 = performance.now();
  try {
    const svc = await s.start();
    started.push(svc);
    Object.assign(env, svc.env);
    note(
      `[test] ${s.name}: started in ${Math.round(performance.now() - t0)} ms (${
        JSON.stringify(svc.env)
      })`,
    );
  } catch (err) {
    note(
      `\n!!! [test] ${s.name} could not start: ${
        (err as Error).message
      }\n!!! its tests will be SKIPPED (FAIL under CI=true)\n`,
    );
    env[`${s.envVar}_UNAVAILABLE`] = (err as Error).message;
  }
}

// The island bundles, built once here rather than in memory by every test
// process; the edge tests need them current on disk anyway.
const build = await new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "--lock=deno.lock", "cli/build.ts", "--if-stale"],
  cwd: new URL("..", import.meta.url).pathname,
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (!build.success) {
  note("[test] deno task build failed; islands build in memory");
}

let code = 1;
const t0 = performance.now();
let summary = "";
try {
  const args = [
    "test",
    "-A",
    "--lock=deno.lock",
    "--unstable-cron",
    "--parallel",
    ...Deno.args,
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args,
    env,
    stdin: "null",
    stdout: "piped",
  }).spawn();
  // Echo deno test's output and keep its closing line for the plain summary below.
  const dec = new TextDecoder();
  let tail = "";
  for await (const chunk of child.stdout) {
    Deno.stdout.writeSync(chunk);
    tail = (tail + dec.decode(chunk)).slice(-4000);
  }
  code = (await child.status).code;
  // deno test closes with e.g. "ok | 97 passed (3 steps) | 0 failed | 2 ignored (4m)".
  // deno-lint-ignore no-control-regex -- stripping the ANSI colours deno test prints
  const plain = tail.replace(/\x1b\[[0-9;]*m/g, "");
  const m =
    /(\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed(?: \| (\d+) ignored)?/
      .exec(plain);
  if (m) {
    summary = `${m[1]} passed, ${m[2]} failed${
      m[3] ? `, ${m[3]} skipped` : ""
    }`;
  }
} finally {
  for (const s of started.reverse()) {
    await s.stop().catch((err) => note(`[test] stop failed: ${err}`));
  }
}
note(`[test] finished in ${Math.round((performance.now() - t0) / 1000)} s`);
if (summary) Deno.stdout.writeSync(enc.encode(`tests: ${summary}\n`));
Deno.exit(code);
