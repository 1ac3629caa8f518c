/**
 * A local S3 API server: s3rver (npm) in its own Deno process, on 127.0.0.1
 * and a free port, storing objects in a temporary folder that `stop()`
 * deletes. It checks request signatures against its access key pair
 * (S3RVER/S3RVER).
 *
 * `startLocalS3()` starts it; run as a script (`--serve DIR`) this file is
 * the server process itself and prints `S3_PORT=<port>` when ready.
 */

const ACCESS_KEY = "S3RVER";
const SECRET_KEY = "S3RVER";

/** A running local S3 server (see {@linkcode startLocalS3}). */
export interface LocalS3 {
  /** The settings of lib/config.ts that point the lake at it (S3_ENDPOINT, keys, region). */
  readonly env: Record<string, string>;
  /** Stops the server and deletes what it stored. */
  stop(): Promise<void>;
}

/** Starts s3rver in a child process; resolves once it accepts requests. */
export async function startLocalS3(): Promise<LocalS3> {
  const dir = await Deno.makeTempDir({ prefix: "s3rver-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, "--serve", dir],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    while (!/S3_PORT=\d+\n/.test(seen)) {
      const { value, done } = await reader.read();
      if (done) {
        throw new Error(`s3rver exited before it was ready: ${seen.trim()}`);
      }
      seen += value;
    }
  } finally {
    clearTimeout(timer);
  }
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  const port = /S3_PORT=(\d+)/.exec(seen)![1];
  return {
    env: {
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_ACCESS_KEY: ACCESS_KEY,
      S3_SECRET_KEY: SECRET_KEY,
      S3_REGION: "us-east-1",
    },
    async stop() {
      await child.stdin.close().catch(() => {});
      const done = child.status;
      const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
      await done;
      clearTimeout(kill);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

async function serve(dir: string): Promise<void> {
  const { default: S3rver } = await import("s3rver");
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [],
  });
  const { port } = await server.run();
  Deno.stdout.writeSync(new TextEncoder().encode(`S3_PORT=${port}\n`));
  // The parent closes stdin to stop the server (also when it dies).
  for await (const _ of Deno.stdin.readable) { /* wait for EOF */ }
  await server.close();
  Deno.exit(0);
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--serve");
  if (at < 0 || !Deno.args[at + 1]) {
    throw new Error("Usage: deno run -A dev/s3.ts --serve DIR");
  }
  await serve(Deno.args[at + 1]!);
}
