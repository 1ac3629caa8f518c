/**
 * compose.yaml and the Dockerfile, checked without a Docker engine: parsed,
 * and held against what the code really does (the topics it expects, the
 * settings it accepts, the ports it serves on).
 */
import {
  deepStrictEqual as assertEquals,
  match,
  ok as assert,
  throws,
} from "node:assert/strict";
import {
  type Any,
  APP,
  composeText,
  dotEnv,
  env,
  interpolate,
  parseEnvFile,
  ports,
  publishedOn,
  read,
  REQUIRED,
  root,
  services,
} from "./harness/compose.ts";
import { loadConfig, ROLES } from "../lib/config.ts";
import { topicSpecs } from "../lib/stream/topics.ts";
import { PROCESSOR_V8_FLAGS } from "../lib/stream/kafka_tuning.ts";

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
  assertEquals(
    env("processor").DENO_V8_FLAGS,
    PROCESSOR_V8_FLAGS,
    "the processor runs with the V8 flags the Kafka benchmark measures",
  );
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
});

Deno.test("compose - every port is published on 127.0.0.1 only, the dashboard's address alone can be changed", () => {
  const open: string[] = [];
  for (const name of Object.keys(services)) {
    for (const p of publishedOn(name)) {
      if (p.address !== "127.0.0.1") {
        open.push(`${name} ${p.address}:${p.host}`);
      }
    }
  }
  assertEquals(open, []);
  const raw = services.web.ports.join(" ");
  match(raw, /^\$\{WEB_PUBLISH_ADDRESS:-127\.0\.0\.1\}:/);
  for (const name of Object.keys(services).filter((n) => n !== "web")) {
    for (const p of services[name].ports ?? []) {
      assert(String(p).startsWith("127.0.0.1:"), `${name}: "${p}"`);
    }
  }
});

Deno.test("compose - secrets have no defaults: without them in .env compose refuses to start, with one sentence", () => {
  const secrets = [
    "POSTGRES_PASSWORD",
    "MINIO_ROOT_USER",
    "MINIO_ROOT_PASSWORD",
    "GRAFANA_PASSWORD",
  ];
  assertEquals([...REQUIRED].sort(), [...secrets].sort());
  for (const v of secrets) {
    assertEquals(
      new RegExp(`\\$\\{${v}:-`).test(composeText),
      false,
      `${v} has a default`,
    );
  }
  const withoutEnv = { ...dotEnv, POSTGRES_PASSWORD: "" };
  throws(
    () =>
      interpolate(services.postgres.environment.POSTGRES_PASSWORD, withoutEnv),
    /compose: set POSTGRES_PASSWORD in \.env/,
  );
  // No well-known credential is left anywhere in the file.
  assertEquals(
    /minioadmin|:-admin\}|ecommerce@/.test(
      composeText.replace(/GRAFANA_USER:-admin/, ""),
    ),
    false,
  );
});

Deno.test("compose - .env.example names every variable compose reads, and .env stays out of git and the image", async () => {
  const used = new Set(
    [...composeText.matchAll(/\$\{(\w+)/g)].map((m) => m[1]!),
  );
  const example = parseEnvFile(await read(".env.example"));
  const missing = [...used].filter((v) => !(v in example));
  assertEquals(missing, []);
  for (const v of REQUIRED) assertEquals(example[v], "", `${v} ships empty`);
  match(await read(".gitignore"), /^\/\.env$/m);
  match(await read(".dockerignore"), /^\.env$/m);
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
  // The image runs on runtime.lock, as `deno task start` does.
  match(
    docker,
    /CMD \["run", "-A", "--lock=runtime.lock", "--frozen", "--unstable-cron", "main.ts"\]/,
  );
});
