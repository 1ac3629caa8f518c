/** Small helpers the benchmarks share. */
import { fileURLToPath } from "node:url";

/** The `p` quantile (0–1) of an ascending array, by nearest rank; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/**
 * Runs this benchmark again in a child process under `v8Flags`, the flags
 * what it measures is deployed with, unless DENO_V8_FLAGS is already set or
 * `--v8-default` asks for Deno's defaults. Returns the child's exit code, or
 * null when this process is the one to measure.
 */
export async function rerunAsDeployed(
  flags: Map<string, string>,
  v8Flags: string,
): Promise<number | null> {
  if (flags.has("v8-default") || Deno.env.get("DENO_V8_FLAGS") !== undefined) {
    return null;
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `--lock=${fileURLToPath(new URL("../deno.lock", import.meta.url))}`,
      "--unstable-cron",
      fileURLToPath(new URL("./mod.ts", import.meta.url)),
      ...Deno.args,
    ],
    env: { DENO_V8_FLAGS: v8Flags },
    stdin: "null",
  }).spawn();
  return (await child.status).code;
}
