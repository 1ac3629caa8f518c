/**
 * `deno task bench:compare --base REV [--pairs N] -- BENCH ARGS`: what a
 * change did to a benchmark, measured in alternation. On a shared or
 * throttled machine the same build moves by tens of percent within minutes
 * (the machine reference, bench/reference.ts, shows it), so a run of each
 * build, one after the other, mostly measures the machine. This runs the
 * benchmark `--json` on the build at REV (a git worktree, removed after) and
 * on the working tree, pair after pair, each pair in the other order
 * (base-head, head-base, ...) so a steady drift falls on both, and prints
 * every figure of every run with the median of head/base over the pairs and
 * their spread. A median ratio inside the spread of the ratios is no result.
 *
 * Example: `deno task bench:compare --base HEAD~1 --pairs 5 -- --kafka
 * --backlog 400000 --events 20000 --seconds 2 --processors 0`. Only the
 * benchmarks that print `--json` figures can be compared (`--kafka`, `--lake`
 * and the embedded one).
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { complain, say } from "../lib/log.ts";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const fmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** The numeric leaves of a benchmark's JSON figures, by dotted path. */
export function numericFigures(
  value: unknown,
  prefix = "",
  out = new Map<string, number>(),
): Map<string, number> {
  if (typeof value === "number" && Number.isFinite(value)) {
    out.set(prefix, value);
  } else if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      numericFigures(v, prefix ? `${prefix}.${k}` : k, out);
    }
  }
  return out;
}

/** The last line of `stdout` that is a JSON object (what `--json` prints). */
export function lastJsonObject(stdout: string): Record<string, unknown> {
  const lines = stdout.split("\n").map((l) => l.trim()).filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!lines[i]!.startsWith("{")) continue;
    try {
      const v = JSON.parse(lines[i]!);
      if (v && typeof v === "object" && !Array.isArray(v)) return v;
    } catch {
      // not the figures; keep looking
    }
  }
  throw new Error(
    "the benchmark printed no JSON object: does it take --json?",
  );
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** One figure over the pairs: its values and head/base per pair. */
export interface Compared {
  figure: string;
  base: number[];
  head: number[];
  /** head / base of each pair (absent where base is 0). */
  ratios: number[];
  median: number;
  min: number;
  max: number;
}

/**
 * The figures both builds printed in every pair, with head/base per pair;
 * figures equal in every run (the inputs: event counts, loads offered) are
 * left out.
 */
export function compare(
  pairs: readonly { base: Map<string, number>; head: Map<string, number> }[],
): Compared[] {
  const first = pairs[0];
  if (!first) return [];
  const out: Compared[] = [];
  for (const figure of first.base.keys()) {
    if (!pairs.every((p) => p.base.has(figure) && p.head.has(figure))) {
      continue;
    }
    const base = pairs.map((p) => p.base.get(figure)!);
    const head = pairs.map((p) => p.head.get(figure)!);
    if ([...base, ...head].every((v) => v === base[0])) continue;
    const ratios = pairs.flatMap((_, i) =>
      base[i] === 0 ? [] : [head[i]! / base[i]!]
    );
    out.push({
      figure,
      base,
      head,
      ratios,
      median: ratios.length ? median(ratios) : NaN,
      min: ratios.length ? Math.min(...ratios) : NaN,
      max: ratios.length ? Math.max(...ratios) : NaN,
    });
  }
  return out;
}

/** The comparison as aligned text lines. */
export function formatComparison(rows: readonly Compared[]): string[] {
  const width = Math.max(6, ...rows.map((r) => r.figure.length));
  const list = (xs: readonly number[]) =>
    xs.map((x) => fmt.format(x)).join(", ");
  return [
    `${
      "figure".padEnd(width)
    }  head/base median (min-max)  base runs | head runs`,
    ...rows.map((r) =>
      `${r.figure.padEnd(width)}  ${
        `${r.median.toFixed(3)} (${r.min.toFixed(3)}-${r.max.toFixed(3)})`
          .padEnd(27)
      }  ${list(r.base)} | ${list(r.head)}`
    ),
  ];
}

async function git(args: string[], cwd = ROOT): Promise<string> {
  const out = await new Deno.Command("git", { args, cwd }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (!out.success) {
    throw new Error(
      `git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr).trim()}`,
    );
  }
  return text;
}

/** Runs the benchmark in `dir` with `--json`; returns its numeric figures. */
async function runBench(
  dir: string,
  args: readonly string[],
): Promise<Map<string, number>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--lock=deno.lock",
      "--unstable-cron",
      "bench/mod.ts",
      ...args,
      "--json",
    ],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n");
    throw new Error(
      `the benchmark failed in ${dir} (exit ${out.code}):\n${
        err.slice(-15).join("\n")
      }`,
    );
  }
  return numericFigures(lastJsonObject(stdout));
}

async function main(argv: string[]): Promise<void> {
  const dash = argv.indexOf("--");
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const benchArgs = dash < 0 ? [] : argv.slice(dash + 1);
  const opt = (name: string) => {
    const i = own.indexOf(`--${name}`);
    return i < 0 ? undefined : own[i + 1];
  };
  const baseRev = opt("base");
  const pairs = Number(opt("pairs") ?? 3);
  if (!baseRev || !Number.isInteger(pairs) || pairs < 1) {
    throw new Error(
      "usage: deno task bench:compare --base REV [--pairs N] -- BENCH ARGS " +
        "(--base names the build to compare with, e.g. HEAD~1; --pairs a whole number >= 1)",
    );
  }
  const rev = await git(["rev-parse", "--verify", `${baseRev}^{commit}`]);
  say(
    `comparing ${baseRev} (${rev.slice(0, 10)}) with the working tree: ` +
      `${pairs} pairs of \`deno task bench ${benchArgs.join(" ")} --json\``,
  );
  const results = await withWorktree(
    rev,
    (baseDir) => runPairs(pairs, { base: baseDir, head: ROOT }, benchArgs),
  );
  for (const line of formatComparison(compare(results))) say(line);
}

/**
 * Runs `pairs` pairs, each in the other order than the one before, so a
 * steady drift of the machine falls on both builds.
 */
async function runPairs(
  pairs: number,
  dirs: { base: string; head: string },
  benchArgs: readonly string[],
) {
  const results: { base: Map<string, number>; head: Map<string, number> }[] =
    [];
  for (let i = 0; i < pairs; i++) {
    const order = i % 2 === 0
      ? (["base", "head"] as const)
      : (["head", "base"] as const);
    const got: Partial<Record<"base" | "head", Map<string, number>>> = {};
    for (const which of order) {
      const t0 = performance.now();
      got[which] = await runBench(dirs[which], benchArgs);
      say(
        `  pair ${i + 1}/${pairs}: ${which} done in ${
          Math.round((performance.now() - t0) / 1000)
        } s`,
      );
    }
    results.push({ base: got.base!, head: got.head! });
  }
  return results;
}

/**
 * Runs `fn` with `rev` checked out in a temporary git worktree that shares
 * this checkout's `.cache` (the Kafka jars); the worktree is removed after,
 * also when the run is interrupted (Ctrl-C).
 */
async function withWorktree<T>(
  rev: string,
  fn: (dir: string) => Promise<T>,
): Promise<T> {
  const tmp = await Deno.makeTempDir({ prefix: "bench_compare_" });
  const dir = join(tmp, "base");
  await git(["worktree", "add", "--detach", dir, rev]);
  const cache = join(ROOT, ".cache");
  const linked = await Deno.stat(cache).then(() => true, () => false);
  if (linked) await Deno.symlink(cache, join(dir, ".cache"));
  const remove = async () => {
    // The link first: the worktree's removal must not reach into .cache.
    if (linked) await Deno.remove(join(dir, ".cache")).catch(() => {});
    await git(["worktree", "remove", "--force", dir]).catch((err) =>
      complain(`could not remove the worktree ${dir}: ${err.message}`)
    );
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  };
  const interrupted = () => {
    void remove().finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", interrupted);
  try {
    return await fn(dir);
  } finally {
    Deno.removeSignalListener("SIGINT", interrupted);
    await remove();
  }
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (err) {
    complain(`bench:compare: ${(err as Error).message}`);
    Deno.exit(1);
  }
}
