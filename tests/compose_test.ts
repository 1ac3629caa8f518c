/**
 * compose.yaml, the Dockerfile and the Prometheus and Grafana provisioning,
 * checked without a Docker engine: parsed, and held against what the code
 * really does (the topics it expects, the settings it accepts, the ports it
 * serves /metrics on, the metric names it exports).
 */
import {
  deepStrictEqual as assertEquals,
  match,
  ok as assert,
} from "node:assert/strict";
import YAML from "yaml";
import {
  metricFamilies,
  PROMTOOL,
  startPrometheus,
  toolDbTest,
  toolTest,
} from "./harness/prometheus.ts";
import { loadConfig, ROLES } from "../lib/config.ts";
import { topicSpecs } from "../lib/stream/topics.ts";
import { startRuntime } from "../lib/runtime.ts";

const root = new URL("../", import.meta.url);
const read = (path: string) => Deno.readTextFile(new URL(path, root));

// deno-lint-ignore no-explicit-any
type Any = any;

const compose: Any = YAML.parse(await read("compose.yaml"), { merge: true });
const services: Record<string, Any> = compose.services;
const APP = ["processor", "generators", "web"];

/** A compose value with `${VAR:-default}` resolved to its default and `$$` to `$`. */
function interpolate(s: string): string {
  return s.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _v, d) => d ?? "")
    .replaceAll("$$", "$");
}

function env(service: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(services[service].environment ?? {})) {
    out[k] = interpolate(String(v));
  }
  return out;
}

/** Host port → container port of a service, with the defaults applied. */
function ports(service: string): Map<number, number> {
  return new Map(
    (services[service].ports ?? []).map((p: string) => {
      const [host, container] = interpolate(p).split(":").map(Number);
      return [host!, container!];
    }),
  );
}

Deno.test("compose - the stack has every service, each long-running one with a health check", () => {
  const expected = [
    "kafka",
    "kafka-init",
    "postgres",
    "minio",
    "minio-init",
    "processor",
    "generators",
    "web",
    "prometheus",
    "grafana",
  ];
  assertEquals(Object.keys(services).sort(), [...expected].sort());
  for (const [name, s] of Object.entries(services)) {
    if (name.endsWith("-init")) {
      assertEquals(s.restart, "no", `${name} runs once`);
      continue;
    }
    assert(s.healthcheck?.test, `${name} has no health check`);
    assertEquals(s.restart, "unless-stopped", `${name} restarts`);
  }
  // Every dependency exists, and waits for a state the dependency can reach.
  for (const [name, s] of Object.entries(services)) {
    for (
      const [dep, { condition }] of Object.entries<Any>(s.depends_on ?? {})
    ) {
      assert(services[dep], `${name} depends on unknown service ${dep}`);
      if (condition === "service_healthy") {
        assert(
          services[dep].healthcheck,
          `${name} waits for ${dep} to be healthy, but it has no health check`,
        );
      } else {
        assertEquals(
          condition,
          "service_completed_successfully",
          `${name} -> ${dep}`,
        );
        assert(dep.endsWith("-init"), `${name} waits for ${dep} to exit`);
      }
    }
  }
});

Deno.test("compose - Kafka runs in KRaft mode without auto-creation, and kafka-init creates the topics the app expects", () => {
  const kafka = services.kafka;
  match(kafka.image, /^apache\/kafka:\d+\.\d+\.\d+$/);
  const e = env("kafka");
  assertEquals(e.KAFKA_PROCESS_ROLES, "broker,controller");
  assertEquals(e.KAFKA_AUTO_CREATE_TOPICS_ENABLE, "false");
  assert(!Object.keys(e).some((k) => k.includes("ZOOKEEPER")), "no ZooKeeper");
  match(e.KAFKA_ADVERTISED_LISTENERS!, /INTERNAL:\/\/kafka:9092/);

  const init = services["kafka-init"];
  assertEquals(init.image, kafka.image);
  assertEquals(init.depends_on, { kafka: { condition: "service_healthy" } });
  const script = interpolate(init.command.join("\n"));
  const created = [...script.matchAll(/^\s*create (\S+) (\d+)\s*$/gm)].map((
    m,
  ) => ({
    name: m[1],
    partitions: Number(m[2]),
  }));
  const wanted = topicSpecs("").map((t) => ({
    name: t.name,
    partitions: t.partitions,
  }));
  assertEquals(
    created.sort((a, b) => a.name!.localeCompare(b.name!)),
    wanted.sort((a, b) => a.name.localeCompare(b.name)),
  );
  const week = String(topicSpecs("")[0]!.retentionMs);
  match(script, new RegExp(`--config retention\\.ms=${week}\\b`));
  match(script, /--if-not-exists/);
});

Deno.test("compose - the app services run every role from the Dockerfile with settings the app accepts", () => {
  const roles = new Set<string>();
  for (const name of APP) {
    const s = services[name];
    assertEquals(s.build, ".", `${name} is built from the Dockerfile`);
    const e = env(name);
    const config = loadConfig(e);
    config.roles.forEach((r) => roles.add(r));
    assertEquals(
      config.host,
      "0.0.0.0",
      `${name} listens beyond the container`,
    );
    assertEquals(config.kafkaBrokers, "kafka:9092");
    assertEquals(config.s3Endpoint, "http://minio:9000");
    const db = new URL(config.databaseUrl);
    const pg = env("postgres");
    assertEquals([db.hostname, db.username, db.password, db.pathname], [
      "postgres",
      pg.POSTGRES_USER,
      pg.POSTGRES_PASSWORD,
      `/${pg.POSTGRES_DB}`,
    ]);
    const minio = env("minio");
    assertEquals([config.s3AccessKey, config.s3SecretKey], [
      minio.MINIO_ROOT_USER,
      minio.MINIO_ROOT_PASSWORD,
    ]);
    assertEquals(
      config.s3Bucket,
      env("minio-init").S3_BUCKET,
      "minio-init creates the app's bucket",
    );
    for (const dep of ["postgres", "kafka-init", "minio-init"]) {
      assert(s.depends_on?.[dep], `${name} starts after ${dep}`);
    }
    // Health checks probe the port the process really serves.
    const probe = s.healthcheck.test.join(" ");
    const port = config.roles.includes("web")
      ? config.port
      : config.metricsPort;
    match(probe, new RegExp(`127\\.0\\.0\\.1:${port}/`));
  }
  assertEquals([...roles].sort(), ROLES.filter((r) => r !== "all").sort());
  assertEquals(
    services.processor.ports,
    undefined,
    "processor binds no host port, so it scales",
  );
  assertEquals(services.processor.container_name, undefined);
});

Deno.test("compose - the ports the README documents are published", () => {
  assertEquals(ports("web"), new Map([[8000, 8000]]));
  assertEquals(ports("grafana"), new Map([[3000, 3000]]));
  assertEquals(ports("prometheus"), new Map([[9090, 9090]]));
  assertEquals(ports("minio"), new Map([[9000, 9000], [9001, 9001]]));
  assertEquals(ports("postgres"), new Map([[5432, 5432]]));
  assertEquals(ports("kafka"), new Map([[9094, 9094]]));
  match(
    env("kafka").KAFKA_ADVERTISED_LISTENERS!,
    /EXTERNAL:\/\/localhost:9094/,
  );
  assertEquals(env("grafana").GF_SECURITY_ADMIN_USER, "admin");
  assertEquals(env("grafana").GF_SECURITY_ADMIN_PASSWORD, "admin");
});

Deno.test("compose - the Dockerfile builds on the Deno version the tests run and caches files that exist", async () => {
  const docker = await read("Dockerfile");
  const from = /^FROM (\S+)$/m.exec(docker)?.[1];
  assertEquals(from, `denoland/deno:${Deno.version.deno}`);
  // Dependencies are fetched before the sources are copied, so they stay cached.
  assert(
    docker.indexOf("deno install") <
      docker.indexOf("COPY --chown=deno:deno . ."),
  );
  const cached = /RUN deno cache \S* ?(.+)$/m.exec(docker)?.[1]?.split(/\s+/) ??
    [];
  assert(cached.includes("main.ts"));
  for (const f of cached.filter((f) => !f.startsWith("--"))) {
    await Deno.stat(new URL(f, root)).catch(() => {
      throw new Error(`The Dockerfile caches "${f}", which does not exist`);
    });
  }
  match(docker, /CMD \["run", "-A", "--unstable-cron", "main.ts"\]/);
});

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
