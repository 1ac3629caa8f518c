/**
 * Real Prometheus tools for the metrics tests: `promtool check metrics` and a
 * Prometheus server (Debian's `prometheus` package) started on a free
 * loopback port with its own config and data folder. Where a binary is
 * missing the test is skipped with a loud message, and under CI=true it fails.
 */
import { type Backend, dbTest, IN_CI, type TestDb } from "./db.ts";
import { freePort } from "./process.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Absolute path of `name` on PATH (or PROMETHEUS_BIN / PROMTOOL_BIN), or null. */
function findBinary(name: string, envVar: string): string | null {
  const explicit = Deno.env.get(envVar);
  if (explicit) return explicit;
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (!dir) continue;
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
    } catch {
      // Not in this folder.
    }
  }
  return null;
}

export const PROMTOOL = findBinary("promtool", "PROMTOOL_BIN");
export const PROMETHEUS = findBinary("prometheus", "PROMETHEUS_BIN");

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

/** Runs `promtool check metrics` on `text`; returns its verdict and output. */
export async function checkMetrics(
  text: string,
): Promise<{ ok: boolean; output: string }> {
  if (!PROMTOOL) throw new Error("promtool is not installed");
  const child = new Deno.Command(PROMTOOL, {
    args: ["check", "metrics"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(enc.encode(text));
  await writer.close();
  const out = await child.output();
  return {
    ok: out.success,
    output: dec.decode(out.stdout) + dec.decode(out.stderr),
  };
}

export { freePort };

export interface PrometheusServer {
  readonly url: string;
  /** Runs an instant query; returns the result vector. */
  query(expr: string): Promise<
    { metric: Record<string, string>; value: [number, string] }[]
  >;
  stop(): Promise<void>;
}

/** Starts Prometheus scraping `targets` (host:port, path /metrics) every second. */
export async function startPrometheus(
  targets: readonly string[],
): Promise<PrometheusServer> {
  if (!PROMETHEUS) throw new Error("prometheus is not installed");
  const dir = await Deno.makeTempDir({ prefix: "prometheus-" });
  const config = [
    "global:",
    "  scrape_interval: 1s",
    "  scrape_timeout: 1s",
    "scrape_configs:",
    "  - job_name: app",
    "    static_configs:",
    `      - targets: [${targets.map((t) => JSON.stringify(t)).join(", ")}]`,
  ].join("\n");
  await Deno.writeTextFile(`${dir}/prometheus.yml`, config);
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = new Deno.Command(PROMETHEUS, {
    args: [
      `--config.file=${dir}/prometheus.yml`,
      `--storage.tsdb.path=${dir}/data`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = child.stderr.pipeTo(
    (await Deno.open(`${dir}/prometheus.log`, { write: true, create: true }))
      .writable,
  );
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // Already gone.
    }
    await child.status;
    await stderr.catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  try {
    await waitReady(url, child.status, `${dir}/prometheus.log`);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    stop,
    async query(expr) {
      const res = await fetch(
        `${url}/api/v1/query?query=${encodeURIComponent(expr)}`,
      );
      const body = await res.json();
      if (body.status !== "success") {
        throw new Error(`Prometheus query "${expr}" failed: ${body.error}`);
      }
      return body.data.result;
    },
  };
}

async function waitReady(
  url: string,
  exited: Promise<Deno.CommandStatus>,
  logPath: string,
): Promise<void> {
  let gone = false;
  exited.then(() => gone = true);
  for (let i = 0; i < 300; i++) {
    if (gone) {
      const log = await Deno.readTextFile(logPath).catch(() => "");
      throw new Error(`Prometheus exited at start-up:\n${log.slice(-2000)}`);
    }
    const ok = await fetch(`${url}/-/ready`).then(
      (r) => r.body?.cancel().then(() => r.ok),
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Prometheus at ${url} was not ready after 30 s`);
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
