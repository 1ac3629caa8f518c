/**
 * `deno task bench [--kafka | --web | --lake | --log | --pricing | --ingest] [options]`: each benchmark is a
 * module of this folder exporting `run(args)`; it prints its progress and its
 * figures. Without a flag, the embedded pipeline benchmark runs.
 */
import { say } from "../lib/log.ts";

const BENCHES: Record<string, { file: string; doc: string }> = {
  pipeline: {
    file: "./pipeline.ts",
    doc: "embedded pipeline: generators at full speed -> rows committed",
  },
  kafka: {
    file: "./kafka.ts",
    doc:
      "Apache Kafka + PostgreSQL: sustained events/s, latency at fixed load, memory",
  },
  web: {
    file: "./web.ts",
    doc: "dashboard pages and API under 50 concurrent clients while ingesting",
  },
  lake: { file: "./lake.ts", doc: "Parquet lake export rows/s" },
  pricing: {
    file: "./pricing.ts",
    doc: "pricing engine: one run over 100k and 1M products on PostgreSQL",
  },
  ingest: {
    file: "./ingest.ts",
    doc:
      "ingest API: events/s accepted over HTTP in 1,000-event NDJSON bodies, then committed",
  },
  log: {
    file: "./log.ts",
    doc: "embedded log writes: events/s with LOG_FSYNC always vs never",
  },
};

const flag =
  Deno.args.find((a) => a.startsWith("--") && a.slice(2) in BENCHES)?.slice(
    2,
  ) ?? "pipeline";
if (Deno.args.includes("--help")) {
  say(
    "Usage: deno task bench [--kafka|--web|--lake|--log|--pricing|--ingest] [options]",
  );
  for (const [k, v] of Object.entries(BENCHES)) {
    say(`  --${k.padEnd(9)} ${v.doc}`);
  }
  Deno.exit(0);
}
const mod = await import(BENCHES[flag]!.file) as {
  run(args: string[]): Promise<void>;
};
await mod.run(Deno.args.filter((a) => a !== `--${flag}`));
Deno.exit(0);
