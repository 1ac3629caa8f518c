/**
 * Metrics tests with the real Prometheus tools (dev/prometheus.ts): tests
 * that need a missing binary are skipped with a loud message, and under
 * CI=true they fail; and the parsing of the text exposition format.
 */
import { PROMETHEUS, PROMTOOL } from "../../dev/prometheus.ts";
import type { Backend } from "../../dev/db.ts";
import { dbTest, IN_CI, type TestDb } from "./db.ts";

const enc = new TextEncoder();

for (
  const [name, path] of [["promtool", PROMTOOL], ["prometheus", PROMETHEUS]]
) {
  if (path) continue;
  Deno.stderr.writeSync(enc.encode(
    `\n!!! ${name} is not installed (apt-get install prometheus); ` +
      (IN_CI ? "CI=true, so its tests FAIL.\n" : "its tests are SKIPPED.\n"),
  ));
}

/**
 * Registers a test that needs `tools`: skipped (loudly, above) when one is
 * missing, failed instead under CI=true.
 */
export function toolTest(
  name: string,
  tools: ("promtool" | "prometheus")[],
  fn: () => Promise<void>,
): void {
  const missing = tools.filter((t) =>
    (t === "promtool" ? PROMTOOL : PROMETHEUS) === null
  );
  Deno.test({
    name,
    ignore: missing.length > 0 && !IN_CI,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      if (missing.length > 0) {
        throw new Error(`${missing.join(", ")} not installed and CI=true`);
      }
      await fn();
    },
  });
}

/** Like {@linkcode toolTest}, for a test that also needs its own database (see dbTest). */
export function toolDbTest(
  name: string,
  tools: ("promtool" | "prometheus")[],
  fn: (db: TestDb) => Promise<void>,
  backends: readonly Backend[] = ["postgres"],
): void {
  const missing = tools.filter((t) =>
    (t === "promtool" ? PROMTOOL : PROMETHEUS) === null
  );
  if (missing.length === 0) return dbTest(name, fn, backends);
  toolTest(name, tools, () => Promise.resolve());
}

/** One sample line of the text exposition format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the sample lines of exposition `text` (comments skipped). */
export function parseSamples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) throw new Error(`Cannot parse exposition line "${line}"`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]!] = l[2]!;
    }
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/**
 * Sum of the samples named `name` whose labels include `labels`; undefined
 * when there is none (so "absent" and "zero" stay different).
 */
export function sampleValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const hits = parseSamples(text).filter((s) =>
    s.name === name &&
    Object.entries(labels).every(([k, v]) => s.labels[k] === v)
  );
  return hits.length ? hits.reduce((n, s) => n + s.value, 0) : undefined;
}

/** Metric family names declared by `# TYPE` lines, with their types. */
export function metricFamilies(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    out.set(m[1]!, m[2]!);
  }
  return out;
}
