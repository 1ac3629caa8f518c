/**
 * Every setting of the platform, parsed once from the environment and the
 * command line into a read-only object. Each setting is one row of
 * {@linkcode SETTINGS}: `--help` and the README table are derived from it.
 *
 * A flag wins over its environment variable; defaults are the embedded mode.
 */

import { parseAlertChannels, parseIngestSources } from "./config_lists.ts";
import {
  type Config,
  type ConfigValues,
  ROLES,
  type Setting,
  SETTINGS,
} from "./config_settings.ts";

export type { AlertChannel, IngestSource } from "./config_lists.ts";
export {
  type Config,
  type ConfigValues,
  type Role,
  ROLES,
  SETTINGS,
} from "./config_settings.ts";

/** Segment sizes the embedded log accepts: its index stores u32 positions. */
const MIN_SEGMENT = 4096;
const MAX_SEGMENT = 1024 * 1024 * 1024;

/** A configuration problem, reported at start-up in one sentence. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

function parseValue(s: Setting, raw: string, source: string): unknown {
  switch (s.kind) {
    case "string":
      return raw;
    case "bool":
      if (!["true", "false", "1", "0"].includes(raw)) {
        throw new ConfigError(
          `Cannot read ${source}: expected true or false, got "${raw}"`,
        );
      }
      return raw === "true" || raw === "1";
    case "duration":
      return parseDuration(raw, source);
    case "sources":
    case "channels":
      return parseList(s.kind, raw, source);
    case "int":
    case "number": {
      const n = Number(raw);
      if (
        raw.trim() === "" || !Number.isFinite(n) ||
        (s.kind === "int" && !Number.isInteger(n)) || n < 0
      ) {
        throw new ConfigError(
          `Cannot read ${source}: expected a non-negative ${
            s.kind === "int" ? "integer" : "number"
          }, got "${raw}"`,
        );
      }
      if (s.max !== undefined && n > s.max) {
        throw new ConfigError(
          `Cannot read ${source}: expected at most ${s.max}, got "${raw}"`,
        );
      }
      return n;
    }
    case "roles": {
      const roles = raw.split(",").map((r) => r.trim()).filter(Boolean);
      const bad = roles.find((r) => !(ROLES as readonly string[]).includes(r));
      if (bad !== undefined || roles.length === 0) {
        throw new ConfigError(
          `Cannot read ${source}: unknown role "${
            bad ?? raw
          }", expected one of ${ROLES.join(", ")}`,
        );
      }
      return roles.includes("all")
        ? ["generators", "processor", "web", "jobs"]
        : roles;
    }
  }
}

/** A list of secrets (config_lists.ts), its mistake reported naming the variable. */
function parseList(
  kind: "sources" | "channels",
  raw: string,
  source: string,
): unknown {
  try {
    return kind === "sources"
      ? parseIngestSources(raw)
      : parseAlertChannels(raw);
  } catch (err) {
    throw new ConfigError(`Cannot read ${source}: ${(err as Error).message}`);
  }
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** `90m`, `6h`, `2d`, `30s` or `500ms` as milliseconds. */
function parseDuration(raw: string, source: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(raw.trim());
  if (!m || Number(m[1]) <= 0) {
    throw new ConfigError(
      `Cannot read ${source}: expected a positive duration such as 90m, 6h or 2d, got "${raw}"`,
    );
  }
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
}

/** Splits `--name value` / `--name=value` arguments; returns flags and leftovers. */
export function parseArgs(
  args: readonly string[],
): { flags: Map<string, string>; rest: string[] } {
  const flags = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith("--")) {
      rest.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < args.length && !args[i + 1]!.startsWith("--")) {
      flags.set(a.slice(2), args[++i]!);
    } else flags.set(a.slice(2), "true");
  }
  return { flags, rest };
}

/**
 * A PostgreSQL URL from libpq's standard variables (PGHOST, PGPORT,
 * PGDATABASE, PGUSER, PGPASSWORD); empty when none of host, port and
 * database is set, which means embedded PGlite.
 */
function urlFromPgEnv(env: Record<string, string | undefined>): string {
  if (!env.PGHOST && !env.PGDATABASE && !env.PGPORT) return "";
  const host = env.PGHOST || "127.0.0.1";
  const user = encodeURIComponent(env.PGUSER || "postgres");
  const pass = env.PGPASSWORD ? `:${encodeURIComponent(env.PGPASSWORD)}` : "";
  return `postgres://${user}${pass}@${host}:${env.PGPORT || 5432}/${
    env.PGDATABASE || "postgres"
  }`;
}

/**
 * Resolves the configuration from environment variables and flags.
 * Throws {@linkcode ConfigError} naming the variable or flag that is wrong.
 */
export function loadConfig(
  env: Record<string, string | undefined> = Deno.env.toObject(),
  args: readonly string[] = [],
  extraFlags: readonly string[] = [],
): Config {
  const { flags } = parseArgs(args);
  refuseUnknownFlags(flags, extraFlags);
  const out: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    const fromFlag = s.flag ? flags.get(s.flag) : undefined;
    const fromEnv = env[s.env];
    const raw = fromFlag ??
      (fromEnv !== undefined && fromEnv !== "" ? fromEnv : s.default);
    const source = fromFlag !== undefined
      ? `option "--${s.flag}"`
      : `environment variable ${s.env}`;
    out[s.key] = parseValue(s, raw, source);
  }
  const c = out as unknown as ConfigValues;
  if (!c.databaseUrl) c.databaseUrl = urlFromPgEnv(env);
  if (!c.lakeDir) c.lakeDir = `${c.dataDir}/lake`;
  checkValues(c);
  return Object.freeze(c);
}

function refuseUnknownFlags(
  flags: Map<string, string>,
  extraFlags: readonly string[],
): void {
  const known = new Set(
    SETTINGS.flatMap((s) => s.flag ? [s.flag] : []).concat([
      "help",
      ...extraFlags,
    ]),
  );
  for (const f of flags.keys()) {
    if (!known.has(f)) {
      throw new ConfigError(
        `Unknown option "--${f}"; run with --help to list the options`,
      );
    }
  }
}

/** What a value's kind alone cannot tell: ranges and closed sets. */
function checkValues(c: ConfigValues): void {
  const refuse = (message: string) => {
    throw new ConfigError(message);
  };
  if (c.batchSize < 1) {
    refuse(`Cannot read BATCH_SIZE: must be at least 1, got ${c.batchSize}`);
  }
  if (c.users < 1) {
    refuse(`Cannot read GENERATOR_USERS: must be at least 1, got ${c.users}`);
  }
  if (c.customers < 1) {
    refuse(
      `Cannot read GENERATOR_CUSTOMERS: must be at least 1, got ${c.customers}`,
    );
  }
  if (Number.isNaN(Date.parse(c.eventMinTimestamp))) {
    refuse(
      `Cannot read environment variable EVENT_MIN_TIMESTAMP: expected an ISO time such as 2000-01-01T00:00:00Z, got "${c.eventMinTimestamp}"`,
    );
  }
  if (c.salesRateHours < 1) {
    refuse(
      `Cannot read SALES_RATE_HOURS: must be at least 1, got ${c.salesRateHours}`,
    );
  }
  if (!(c.reorderLeadTimeHours > 0)) {
    refuse(
      `Cannot read REORDER_LEAD_TIME_HOURS: must be more than 0, got ${c.reorderLeadTimeHours}`,
    );
  }
  if (!["always", "never"].includes(c.logFsync)) {
    refuse(
      `Cannot read environment variable LOG_FSYNC: expected always or never, got "${c.logFsync}"`,
    );
  }
  if (c.logSegmentBytes < MIN_SEGMENT || c.logSegmentBytes > MAX_SEGMENT) {
    refuse(
      `Cannot read LOG_SEGMENT_BYTES: must be between ${MIN_SEGMENT} and ${MAX_SEGMENT}, got ${c.logSegmentBytes}`,
    );
  }
  if (c.publicUrl && !/^https?:\/\/[^/]/.test(c.publicUrl)) {
    refuse(
      `Cannot read environment variable PUBLIC_URL: expected an http(s) address such as https://prices.example.com, got "${c.publicUrl}"`,
    );
  }
  if (c.alertMaxAttempts < 1 || c.alertDailyCap < 1) {
    refuse(
      `Cannot read ${
        c.alertMaxAttempts < 1 ? "ALERT_MAX_ATTEMPTS" : "ALERT_DAILY_CAP"
      }: must be at least 1`,
    );
  }
  if (!["text", "json"].includes(c.logFormat)) {
    refuse(
      `Cannot read environment variable LOG_FORMAT: expected text or json, got "${c.logFormat}"`,
    );
  }
}

/** The `--help` text, generated from the settings table. */
export function helpText(): string {
  const lines = [
    "Usage: deno task start [options]",
    "",
    "Runs the e-commerce pricing and inventory platform. Roles:",
    "  all         everything below in one process (default)",
    "  generators  simulated shop traffic -> the log",
    "  processor   consumer workers: the log -> PostgreSQL (start several to scale out)",
    "  web         dashboard, JSON API and /metrics",
    "  jobs        pricing engine, alerts, quality checks, model refresh, lake export (Deno.cron)",
    "",
    "Options (each also an environment variable):",
  ];
  for (const s of SETTINGS) {
    const name = s.flag ? `--${s.flag} ${s.env}` : `  ${s.env}`;
    lines.push(
      `  ${name.padEnd(34)} ${s.doc} (default: ${
        s.default === "" ? "unset" : s.default
      })`,
    );
  }
  lines.push("  --help                             Show this text");
  return lines.join("\n");
}
