/**
 * Local Prometheus tools (Debian's `prometheus` package): `promtool check
 * metrics`, and a Prometheus server started on a free loopback port with its
 * own config and data folder, deleted when it stops. PROMTOOL_BIN and
 * PROMETHEUS_BIN override where they are.
 */
import { freePort } from "./ports.ts";

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

/** Path of `promtool`, or null when it is not installed. */
export const PROMTOOL = findBinary("promtool", "PROMTOOL_BIN");
/** Path of `prometheus`, or null when it is not installed. */
export const PROMETHEUS = findBinary("prometheus", "PROMETHEUS_BIN");

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

/** A running Prometheus server (see {@linkcode startPrometheus}). */
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
