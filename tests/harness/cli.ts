/** A task of `cli/` as a user runs it: a real subprocess, judged by exit code and output. */
import { connect, type Sql } from "../../lib/db/mod.ts";
import { startEmbedded } from "../../lib/db/embedded.ts";
import { migrate } from "../../lib/db/migrate.ts";

const ROOT = new URL("../../", import.meta.url);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `cli/<script>` as its `deno task` does (pinned by runtime.lock, frozen)
 * with `args` and only `env` (plus PATH, HOME, Deno's folder and the machine's
 * TLS settings), from the project root.
 */
export async function runCli(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<CliResult> {
  const keep = [
    "PATH",
    "HOME",
    "DENO_DIR",
    "TMPDIR",
    "DENO_CERT",
    "DENO_TLS_CA_STORE",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "HTTPS_PROXY",
    "NO_PROXY",
  ];
  const base = Object.fromEntries(
    keep.flatMap((k) => {
      const v = Deno.env.get(k);
      return v === undefined ? [] : [[k, v]];
    }),
  );
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--lock=runtime.lock",
      "--frozen",
      `cli/${script}`,
      ...args,
    ],
    cwd: ROOT,
    env: { ...base, LOG_LEVEL: "warn", ...env },
    clearEnv: true,
    stdin: "null",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

/**
 * Runs `fn` beside what a running `deno task start` offers the tasks: its
 * embedded PostgreSQL (in memory here) on a port of its own, migrated.
 * `env` points a task at it.
 */
export async function withRunningPlatform(
  fn: (p: { sql: Sql; env: Record<string, string> }) => Promise<void>,
): Promise<void> {
  const server = await startEmbedded({
    dataDir: "memory://",
    port: 0,
    maxConnections: 8,
  });
  const sql = connect({ url: server.url, max: 2 });
  const dataDir = await Deno.makeTempDir();
  try {
    await migrate(sql);
    await fn({
      sql,
      env: { EMBEDDED_PG_PORT: String(server.port), DATA_DIR: dataDir },
    });
  } finally {
    await sql.end({ timeout: 5 });
    await server.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
}
