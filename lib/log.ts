/**
 * The one logging module: structured lines to stderr (text or JSON).
 * Everything else in the project goes through it (`no-console` is linted).
 * Never pass SQL parameters or secrets as fields.
 */

export type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
};

let minLevel: Level = "info";
let json = false;
const encoder = new TextEncoder();

/** Sets the minimum level and output format (called once by `main.ts`). */
export function configureLog(opts: { level?: string; format?: string }): void {
  if (opts.level && opts.level in ORDER) minLevel = opts.level as Level;
  json = opts.format === "json";
}

function fmtField(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(v.message);
  if (typeof v === "string") {
    return /^[\w.:/@+-]+$/.test(v) ? v : JSON.stringify(v);
  }
  return String(v);
}

/** One log line in the text format: time, level, [scope], message, then `key=value` fields. */
export function textLine(
  ts: string,
  level: Level,
  scope: string,
  msg: string,
  fields?: Record<string, unknown>,
): string {
  // An absent field is left out, as JSON.stringify leaves it out.
  const extra = Object.entries(fields ?? {}).flatMap(([k, v]) =>
    v === undefined ? [] : [`${k}=${fmtField(v)}`]
  ).join(" ");
  return `${ts} ${level.toUpperCase().padEnd(5)} [${scope}] ${msg}${
    extra ? " " + extra : ""
  }`;
}

function write(
  level: Level,
  scope: string,
  msg: string,
  fields?: Record<string, unknown>,
): void {
  if (ORDER[level] < ORDER[minLevel]) return;
  const ts = new Date().toISOString();
  let line: string;
  if (json) {
    const f: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields ?? {})) {
      f[k] = v instanceof Error ? v.message : v;
    }
    line = JSON.stringify({ ts, level, scope, msg, ...f });
  } else {
    line = textLine(ts, level, scope, msg, fields);
  }
  Deno.stderr.writeSync(encoder.encode(line + "\n"));
}

/** A logger bound to one scope, e.g. `logger("consumer")`. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Returns a logger whose lines carry `scope`. */
export function logger(scope: string): Logger {
  return {
    debug: (m, f) => write("debug", scope, m, f),
    info: (m, f) => write("info", scope, m, f),
    warn: (m, f) => write("warn", scope, m, f),
    error: (m, f) => write("error", scope, m, f),
  };
}

/** Writes a line meant for the person at the terminal (stdout), e.g. the throughput line. */
export function say(line: string): void {
  Deno.stdout.writeSync(encoder.encode(line + "\n"));
}

/** Prints a line for a person on stderr (a command's error, its progress), never filtered. */
export function complain(line: string): void {
  Deno.stderr.writeSync(encoder.encode(line + "\n"));
}
