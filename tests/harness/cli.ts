/** Runs a `cli/` command as a user would: a real subprocess, its exit status and output. */

const ROOT = new URL("../../", import.meta.url);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment without any database settings, so a test names its own. */
export function withoutDatabaseEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([k]) =>
      k !== "DATABASE_URL" && !k.startsWith("PG")
    ),
  );
}

/** `deno run -A <script> <args>` from the project root with exactly `env`. */
export async function runCli(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<CliResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    cwd: ROOT,
    env,
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
