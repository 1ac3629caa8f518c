/**
 * A local S3 API server that checks request signatures: S3Proxy
 * (org.gaul:s3proxy from Maven Central, `ops/s3proxy/pom.xml`, jars cached in
 * `.cache/s3proxy/libs`) with `s3proxy.authorization=aws-v2-or-v4` over a
 * temporary folder. Unlike s3rver (dev/s3.ts), a request signed with any
 * other key pair is refused, so tests can prove the lake's credentials are
 * used and checked.
 *
 *   deno task s3proxy:fetch    fetches the jars once (CI does this up front)
 */
import { fetchJars } from "./maven.ts";
import { freePort } from "./ports.ts";

const ROOT = new URL("../", import.meta.url).pathname;
/** Where the S3Proxy jars are cached. */
export const S3PROXY_LIBS = `${ROOT}.cache/s3proxy/libs`;
const POM = `${ROOT}ops/s3proxy/pom.xml`;

/** A running S3Proxy (see {@linkcode startS3Proxy}). */
export interface LocalS3Proxy {
  /** S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY and S3_REGION that it accepts. */
  readonly env: Record<string, string>;
  /** Stops it and deletes what it stored. */
  stop(): Promise<void>;
}

/** Fetches the S3Proxy jars with Maven unless they are cached already. */
export function fetchS3ProxyJars(): Promise<void> {
  return fetchJars("the S3Proxy jars", POM, S3PROXY_LIBS);
}

const LOGBACK = `<configuration>
  <appender name="file" class="ch.qos.logback.core.FileAppender">
    <file>\${S3PROXY_LOG}</file>
    <encoder><pattern>%d %level %logger{20} %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="file"/></root>
</configuration>`;

function properties(port: number, dir: string, key: string, secret: string) {
  return [
    `s3proxy.endpoint=http://127.0.0.1:${port}`,
    "s3proxy.authorization=aws-v2-or-v4",
    `s3proxy.identity=${key}`,
    `s3proxy.credential=${secret}`,
    "jclouds.provider=filesystem",
    `jclouds.filesystem.basedir=${dir}/data`,
  ].join("\n") + "\n";
}

/** Resolves once the server answers HTTP (any status: unsigned requests get 403). */
async function waitForHttp(url: string, child: Deno.ChildProcess, ms: number) {
  let exited = false;
  child.status.then(() => (exited = true));
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !exited) {
    try {
      await (await fetch(url)).body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(
    exited
      ? "S3Proxy exited during start-up"
      : `S3Proxy did not answer within ${ms} ms`,
  );
}

/** Starts S3Proxy on a free port of 127.0.0.1 with a random key pair. */
export async function startS3Proxy(): Promise<LocalS3Proxy> {
  await fetchS3ProxyJars();
  const dir = await Deno.makeTempDir({ prefix: "s3proxy-" });
  await Deno.mkdir(`${dir}/data`);
  const port = freePort();
  const key = `AK${
    crypto.randomUUID().replaceAll("-", "").slice(0, 18).toUpperCase()
  }`;
  const secret = crypto.randomUUID() + crypto.randomUUID();
  await Deno.writeTextFile(
    `${dir}/s3proxy.conf`,
    properties(port, dir, key, secret),
  );
  await Deno.writeTextFile(`${dir}/logback.xml`, LOGBACK);
  const child = new Deno.Command("java", {
    args: [
      "-Xms64m",
      "-Xmx256m",
      "-XX:TieredStopAtLevel=1",
      `-Dlogback.configurationFile=${dir}/logback.xml`,
      `-DS3PROXY_LOG=${dir}/s3proxy.log`,
      "-cp",
      `${S3PROXY_LIBS}/*`,
      "org.gaul.s3proxy.Main",
      "--properties",
      `${dir}/s3proxy.conf`,
    ],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const stop = async () => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, child, 60_000);
  } catch (err) {
    const tail = await Deno.readTextFile(`${dir}/s3proxy.log`).catch(() => "");
    await stop();
    throw new Error(
      `${(err as Error).message}; log: ${tail.slice(-500) || "(empty)"}`,
    );
  }
  return {
    env: {
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_ACCESS_KEY: key,
      S3_SECRET_KEY: secret,
      S3_REGION: "us-east-1",
    },
    stop,
  };
}

if (import.meta.main) {
  if (Deno.args[0] !== "fetch") {
    throw new Error("Usage: deno run -A dev/s3proxy.ts fetch");
  }
  await fetchS3ProxyJars();
}
