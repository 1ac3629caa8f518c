/**
 * The platform (`main.ts`) as a real child process: for tests that kill it,
 * and for the benchmarks and scripts that drive it from outside.
 */

const MAIN = new URL("../main.ts", import.meta.url).pathname;

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
    args: ["run", "-A", "--unstable-cron", MAIN, ...args],
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
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `main.ts` (every role) with exactly `env` and waits for its
 * dashboard URL; its output is read and dropped so that it never blocks.
 */
export async function startPlatform(
  env: Record<string, string>,
): Promise<Platform> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-cron", MAIN],
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
        while (!(await reader.read()).done);
      })().catch(() => {});
      return {
        url: m[1]!,
        async stop() {
          child.kill("SIGTERM");
          await child.status;
        },
      };
    }
  }
}
