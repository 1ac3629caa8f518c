/**
 * `deno task bench --lake [--rows N] [--days D] [--file-rows N] [--parallel N] [--json]`:
 * exports a few million rows from a fresh database on the real PostgreSQL to
 * a local folder and reports rows/s; then an incremental run over 10% new
 * rows, and a DuckDB check that the lake equals the database. `--json`
 * prints the figures as one JSON object on stdout (the report goes to stderr).
 */
import { isDeepStrictEqual } from "node:util";
import { parseArgs } from "../lib/config.ts";
import { say as sayOut } from "../lib/log.ts";
import { progress } from "../lib/progress.ts";
import { withDb } from "../dev/db.ts";
import {
  exportLake,
  type ExportResult,
  formatBytes,
  LocalTarget,
  PARALLEL,
} from "../lib/lake/mod.ts";
import { insertSampleRows } from "../lib/lake/sample.ts";
import { compareLake } from "../lib/lake/verify.ts";
import type { Sql } from "../lib/db/mod.ts";
import { cpuMeter, type CpuSplit, per100k } from "./cpu.ts";
import {
  machineReference,
  referenceFigures,
  referenceLine,
} from "./reference.ts";

const fmt = (n: number) => Math.round(n).toLocaleString("en");

/** Where the report goes: stdout, or stderr under `--json` (stdout then holds the figures). */
let say = sayOut;

/** An export's result and the CPU seconds it cost, per component. */
interface Measured extends ExportResult {
  cpu: CpuSplit | null;
}

/** One export with its progress on stderr, ended before the report prints. */
async function exportWithProgress(
  sql: Sql,
  target: LocalTarget,
  o: { fileRows: number; parallel: number },
): Promise<Measured> {
  const bar = progress({ unit: "rows" });
  const meter = await cpuMeter();
  try {
    const r = await exportLake(sql, target, {
      ...o,
      onProgress: (p) =>
        bar.update(`    ${p.stream}`, p.rows, p.total, `${p.files} files`),
    });
    return { ...r, cpu: await meter.stop() };
  } finally {
    bar.end();
  }
}

function report(label: string, r: Measured): void {
  say(
    `  ${label}: ${fmt(r.rows)} rows in ${(r.ms / 1000).toFixed(1)} s = ${
      fmt(r.rows / (r.ms / 1000))
    } rows/s, ${r.files} files, ${formatBytes(r.bytes)} (${
      (r.bytes / r.rows).toFixed(1)
    } bytes/row)`,
  );
  const c = per100k(r.cpu, r.rows);
  if (c) {
    say(
      `    CPU-s per 100k rows: exporter ${c.processor}, PostgreSQL ${c.postgres}`,
    );
  }
  for (const s of r.streams) {
    say(
      `    ${s.stream.padEnd(32)} ${fmt(s.rows).padStart(11)} rows ${
        formatBytes(s.bytes).padStart(9)
      }`,
    );
  }
}

/** Reads the lake back with DuckDB and throws, naming each difference, unless it equals the database. */
async function checkLake(sql: Sql, dir: string): Promise<void> {
  const t = performance.now();
  const cmp = await compareLake(sql, dir);
  const equal = cmp.every((c) => isDeepStrictEqual(c.db, c.lake));
  say(
    `  DuckDB check (counts and sums per stream and date): ${
      equal ? "lake equals the database" : "MISMATCH"
    } (${((performance.now() - t) / 1000).toFixed(1)} s)`,
  );
  if (equal) return;
  for (const c of cmp) {
    c.db.forEach((d, i) => {
      if (!isDeepStrictEqual(d, c.lake[i])) {
        say(
          `    ${c.stream}: database ${JSON.stringify(d)} lake ${
            JSON.stringify(c.lake[i])
          }`,
        );
      }
    });
  }
  throw new Error("The lake differs from the database");
}

/**
 * Fills the database with sample rows, exports them in full, adds a tenth
 * more and exports again, checks the lake with DuckDB; returns the figures.
 */
async function exportTwice(
  sql: Sql,
  o: { rows: number; days: number; fileRows: number; parallel: number },
): Promise<Record<string, number>> {
  const t = performance.now();
  await insertSampleRows(sql, {
    rows: o.rows,
    days: o.days,
    start: "2026-10-01",
  });
  await sql`vacuum analyze`;
  say(
    `  inserted ${fmt(o.rows * 4)} rows in ${
      ((performance.now() - t) / 1000).toFixed(1)
    } s (generate_series)`,
  );
  const dir = await Deno.makeTempDir({ prefix: "lake-bench-" });
  try {
    const target = new LocalTarget(dir);
    say("  full export:");
    const full = await exportWithProgress(sql, target, o);
    report("full export", full);
    await insertSampleRows(sql, {
      rows: Math.round(o.rows / 10),
      days: o.days,
      start: "2026-10-01",
    });
    say("  incremental export (10% new rows):");
    const inc = await exportWithProgress(sql, target, o);
    report("incremental export", inc);
    await checkLake(sql, dir);
    const rate = (r: Measured) => Math.round(r.rows / (r.ms / 1000));
    const cpu = per100k(full.cpu, full.rows);
    return {
      rows: full.rows,
      full_rows_per_s: rate(full),
      incremental_rows: inc.rows,
      incremental_rows_per_s: rate(inc),
      bytes_per_row: Number((full.bytes / full.rows).toFixed(1)),
      // Absent without /proc.
      ...(cpu && {
        full_exporter_cpu_s_per_100k: cpu.processor,
        full_postgres_cpu_s_per_100k: cpu.postgres,
      }),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs the lake benchmark; see the module comment for the options. */
export async function run(args: string[]): Promise<void> {
  const { flags } = parseArgs(args);
  const rows = Number(flags.get("rows") ?? 750_000);
  const days = Number(flags.get("days") ?? 30);
  const fileRows = Number(flags.get("file-rows") ?? 500_000);
  const parallel = Number(flags.get("parallel") ?? PARALLEL);
  const json = flags.has("json");
  if (json) {
    const enc = new TextEncoder();
    say = (line) => Deno.stderr.writeSync(enc.encode(line + "\n"));
  }
  say(
    `lake benchmark: ${
      fmt(rows)
    } rows per stream x 4 streams over ${days} days, fresh database, ${parallel} streams at once; load average ${
      (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(
        " ",
      )
    }`,
  );
  const start = await machineReference();
  say(referenceLine("start", start));
  let figures: Record<string, number> = {};
  await withDb("postgres", async ({ sql }) => {
    figures = await exportTwice(sql, { rows, days, fileRows, parallel });
  });
  const end = await machineReference();
  say(referenceLine("end", end));
  if (json) {
    sayOut(JSON.stringify({
      ...figures,
      parallel,
      machine_reference_us_per_event: referenceFigures({ start, end }),
    }));
  }
}
