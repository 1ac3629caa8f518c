/**
 * The platform (`main.ts`) as a real child process: for tests that kill it,
 * and for the benchmarks and scripts that drive it from outside.
 */

const MAIN = new URL("../main.ts", import.meta.url).pathname;
/** Children resolve packages as the tests do: pinned by deno.lock (deno.json sets "lock": false). */
const LOCK = `--lock=${new URL("../deno.lock", import.meta.url).pathname}`;

/** A running `main.ts` whose output is kept (see {@linkcode startApp}). */
export interface AppProcess {
  child: Deno.ChildProcess;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  kill(signal: Deno.Signal): Promise<Deno.CommandStatus>;
}

/** Starts `main.ts` with `args` and `env` (added to a minimal environment). */
export function startApp(
  args: string[],
  env: Record<string, string>,
): AppProcess {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", LOCK, "--unstable-cron", MAIN, ...args],
    env: {
      STATS_INTERVAL_MS: "0",
      METRICS_PORT: "0",
      PORT: "0",
      LOG_LEVEL: "info",
      ...env,
    },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  let text = "";
  const dec = new TextDecoder();
  const pump = async (s: ReadableStream<Uint8Array>) => {
    for await (const chunk of s) text += dec.decode(chunk);
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  return {
    child,
    output: () => text,
    async kill(signal) {
      try {
        child.kill(signal);
      } catch { /* already gone */ }
      const status = await child.status;
      await pumps;
      return status;
    },
  };
}

/** A running platform with its dashboard (see {@linkcode startPlatform}). */
export interface Platform {
  /** The dashboard's URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Everything the process wrote to stderr so far (its log). */
  output(): string;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `main.ts` (every role, unless `env` says ROLE) with exactly `env`
 * and waits for its dashboard URL; its log is kept so that it never blocks.
 * `denoFlags` go before the module, e.g. `--deny-run`.
 */
export async function startPlatform(
  env: Record<string, string>,
  denoFlags: string[] = [],
): Promise<Platform> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", LOCK, ...denoFlags, "--unstable-cron", MAIN],
    cwd: new URL("..", import.meta.url).pathname,
    env,
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`Cannot start the platform: ${text.slice(-500)}`);
    text += value;
    const m = /dashboard ready url=(\S+)/.exec(text);
    if (m) {
      // Keep draining stderr so the child never blocks on a full pipe.
      (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          text = (text + value).slice(-200_000);
        }
      })().catch(() => {});
      return {
        url: m[1]!,
        output: () => text,
        async stop() {
          child.kill("SIGTERM");
          await child.status;
        },
      };
    }
  }
}

/**
 * Runs `module` with `deno serve` (its default export's `fetch`) on a free
 * port with exactly `env` and `denoFlags`, and waits until it listens.
 */
export async function startServe(
  module: string,
  env: Record<string, string>,
  denoFlags: string[] = [],
): Promise<Platform> {
  const root = new URL("..", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "serve",
      LOCK,
      ...denoFlags,
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      module,
    ],
    cwd: root,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const dec = new TextDecoder();
  const pump = async (s: ReadableStream<Uint8Array>) => {
    for await (const chunk of s) {
      text = (text + dec.decode(chunk)).slice(-200_000);
    }
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  const exited = child.status.then(() => null);
  for (let i = 0; i < 600; i++) {
    const m = /Listening on (http:\/\/\S+?)\/?\s/.exec(text);
    if (m) {
      return {
        url: m[1]!,
        output: () => text,
        async stop() {
          // deno serve waits for open requests (live streams) to end: not for long.
          child.kill("SIGTERM");
          const timer = setTimeout(() => {
            try {
              child.kill("SIGKILL");
            } catch { /* gone */ }
          }, 3000);
          await child.status;
          clearTimeout(timer);
          await pumps;
        },
      };
    }
    if (
      await Promise.race([
        exited,
        new Promise((r) => setTimeout(() => r(1), 100)),
      ]) === null
    ) break;
  }
  try {
    child.kill("SIGKILL");
  } catch { /* gone */ }
  throw new Error(`Cannot start deno serve ${module}: ${text.slice(-800)}`);
}
