/** Running the app as a real subprocess, for tests that kill it. */

/** A TCP port that was free a moment ago. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

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
    args: [
      "run",
      "-A",
      "--unstable-cron",
      new URL("../../main.ts", import.meta.url).pathname,
      ...args,
    ],
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
