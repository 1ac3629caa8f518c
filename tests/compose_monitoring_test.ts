/**
 * The monitoring half of compose.yaml: the Prometheus config (promtool), the
 * Grafana provisioning, and the dashboard's queries held against the metric
 * names a running app really exports and evaluated by a real Prometheus.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import YAML from "yaml";
import { type Any, APP, env, read, root, services } from "./harness/compose.ts";
import { PROMTOOL, startPrometheus } from "../dev/prometheus.ts";
import { metricFamilies, toolDbTest, toolTest } from "./harness/prometheus.ts";
import { loadConfig } from "../lib/config.ts";
import { startRuntime } from "../workers/runtime.ts";

toolTest(
  "compose - promtool accepts the Prometheus config, which scrapes every app service where it serves /metrics",
  ["promtool"],
  async () => {
    const out = await new Deno.Command(PROMTOOL!, {
      args: [
        "check",
        "config",
        new URL("ops/prometheus/prometheus.yml", root).pathname,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(
      out.success,
      new TextDecoder().decode(out.stdout) +
        new TextDecoder().decode(out.stderr),
    );
    const prom: Any = YAML.parse(await read("ops/prometheus/prometheus.yml"));
    const jobs = new Map<string, Any>(
      prom.scrape_configs.map((j: Any) => [j.job_name, j]),
    );
    for (const name of APP) {
      const job = jobs.get(name);
      assert(job, `Prometheus does not scrape ${name}`);
      const config = loadConfig(env(name));
      const port = config.roles.includes("web")
        ? config.port
        : config.metricsPort;
      const targets: string[] = job.static_configs?.flatMap((s: Any) =>
        s.targets
      ) ??
        job.dns_sd_configs.flatMap((d: Any) =>
          d.names.map((n: string) => `${n}:${d.port}`)
        );
      assertEquals(targets, [`${name}:${port}`]);
    }
    const mount = services.prometheus.volumes.find((v: string) =>
      v.startsWith("./ops/prometheus/")
    );
    assertEquals(
      mount,
      "./ops/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
    );
    assert(
      services.prometheus.command.includes(
        "--config.file=/etc/prometheus/prometheus.yml",
      ),
    );
  },
);

Deno.test("compose - Grafana provisions the Prometheus datasource and loads the dashboard folder compose mounts", async () => {
  const ds: Any = YAML.parse(
    await read("ops/grafana/provisioning/datasources/prometheus.yml"),
  );
  const [source] = ds.datasources;
  assertEquals([source.type, source.url, source.uid], [
    "prometheus",
    "http://prometheus:9090",
    "prometheus",
  ]);
  const prov: Any = YAML.parse(
    await read("ops/grafana/provisioning/dashboards/dashboards.yml"),
  );
  const path = prov.providers[0].options.path;
  const volumes: string[] = services.grafana.volumes;
  assert(
    volumes.includes(`./ops/grafana/dashboards:${path}:ro`),
    `nothing is mounted at ${path}`,
  );
  assert(
    volumes.includes("./ops/grafana/provisioning:/etc/grafana/provisioning:ro"),
  );
  const dash = JSON.parse(await read("ops/grafana/dashboards/ecommerce.json"));
  const home = env("grafana").GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
  assertEquals(home, `${path}/ecommerce.json`);
  for (const p of dash.panels.filter((p: Any) => p.type !== "row")) {
    assertEquals(
      p.datasource.uid,
      source.uid,
      `panel "${p.title}" uses another datasource`,
    );
    assert(p.targets.length > 0, `panel "${p.title}" has no query`);
  }
  const titles = dash.panels.map((p: Any) => p.title.toLowerCase()).join("|");
  for (
    const topic of [
      "committed",
      "lag",
      "latency",
      "rejected",
      "pricing",
      "quality",
      "lake",
    ]
  ) {
    assert(titles.includes(topic), `the dashboard has no ${topic} panel`);
  }
});

/** Every dashboard query, with Grafana's interval variable given a value. */
async function dashboardQueries(): Promise<{ title: string; expr: string }[]> {
  const dash = JSON.parse(await read("ops/grafana/dashboards/ecommerce.json"));
  return dash.panels.flatMap((p: Any) =>
    (p.targets ?? []).map((t: Any) => ({
      title: p.title,
      expr: String(t.expr).replaceAll("$__rate_interval", "1m"),
    }))
  );
}

toolDbTest(
  "compose - every Grafana dashboard query names metrics the running app exports, and Prometheus evaluates it",
  ["prometheus"],
  async (db) => {
    const dir = await Deno.makeTempDir({ prefix: "compose-app-" });
    const runtime = await startRuntime(loadConfig({
      DATABASE_URL: db.url,
      DATA_DIR: dir,
      TOPIC_PREFIX: `t${crypto.randomUUID().slice(0, 8)}_`,
      ROLE: "processor,web,jobs",
      HOST: "127.0.0.1",
      PORT: "0",
      STATS_INTERVAL_MS: "0",
      DB_POOL_MAX: "4",
    }));
    let prometheus: Awaited<ReturnType<typeof startPrometheus>> | undefined;
    try {
      const text = await fetch(`${runtime.web!.url}/metrics`).then((r) =>
        r.text()
      );
      const exported = new Set<string>();
      for (const [name, type] of metricFamilies(text)) {
        exported.add(name);
        if (type === "histogram") {
          for (const s of ["_bucket", "_sum", "_count"]) exported.add(name + s);
        }
      }
      const queries = await dashboardQueries();
      for (const { title, expr } of queries) {
        const names = [
          ...expr.matchAll(/\b(?:ecommerce|process|nodejs)_[a-z0-9_]+/g),
        ].map((m) => m[0]);
        assert(
          names.length > 0,
          `panel "${title}" queries no platform metric: ${expr}`,
        );
        for (const n of names) {
          assert(
            exported.has(n),
            `panel "${title}" queries "${n}", which the app does not export`,
          );
        }
      }
      prometheus = await startPrometheus([new URL(runtime.web!.url).host]);
      for (const { title, expr } of queries) {
        await prometheus.query(expr).catch((err) => {
          throw new Error(`panel "${title}": ${err.message}`);
        });
      }
    } finally {
      await prometheus?.stop();
      await runtime.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
);
