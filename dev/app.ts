/** The platform (`main.ts`) as a real child process, for tests that kill it. */

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
