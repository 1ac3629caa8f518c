/**
 * Event timestamps: ISO-8601 with a zone, and a real calendar time (no
 * 30 February, no T24:00), within the limits the settings give.
 */

/** How far in the future an event timestamp may be (clock skew allowance). */
export const MAX_FUTURE_MS = 5 * 60 * 1000;
/** The earliest event timestamp accepted: 2000-01-01T00:00:00Z. */
export const MIN_TIMESTAMP_MS = Date.UTC(2000, 0, 1);

/** The time limits an event timestamp must respect (settings EVENT_MAX_FUTURE_MS, EVENT_MIN_TIMESTAMP). */
export interface TimeLimits {
  maxFutureMs: number;
  minTimestampMs: number;
}

export const DEFAULT_TIME_LIMITS: TimeLimits = {
  maxFutureMs: MAX_FUTURE_MS,
  minTimestampMs: MIN_TIMESTAMP_MS,
};

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):?(\d{2}))$/;

function show(v: string): string {
  const s = JSON.stringify(v);
  return s.length > 40 ? s.slice(0, 37) + "..." : s;
}

/** Days in month `mo` (1–12) of year `y`, proleptic Gregorian. */
function daysInMonth(y: number, mo: number): number {
  if (mo !== 2) return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
}

/**
 * Why the fields of an ISO match are not a real calendar time, or null.
 * `Date.parse` rolls 2024-02-30 over to 1 March and reads T24:00 as the next
 * midnight; an event stamped that way comes from a broken clock or producer.
 */
function calendarProblem(m: RegExpExecArray): string | null {
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as number[];
  if (mo! < 1 || mo! > 12) return `month ${m[2]} does not exist`;
  if (d! < 1 || d! > daysInMonth(y!, mo!)) {
    return `day ${m[3]} does not exist in ${m[1]}-${m[2]}`;
  }
  if (h! > 23 || mi! > 59 || s! > 59) {
    return `time ${m[4]}:${m[5]}:${m[6]} does not exist`;
  }
  if (m[9] !== undefined && (Number(m[9]) > 14 || Number(m[10]) > 59)) {
    return `zone offset ${m[8]} does not exist`;
  }
  return null;
}

/**
 * Why `v` is not an acceptable event timestamp (in one sentence naming the
 * field), or null: ISO-8601 with a zone, a real calendar time, at most
 * `limits.maxFutureMs` ahead of `now` and not before `limits.minTimestampMs`.
 */
export function timestampProblem(
  v: string,
  now: number,
  limits: TimeLimits,
): string | null {
  const m = ISO.exec(v);
  if (!m) {
    return `field "timestamp" must be ISO-8601 with a zone, got ${show(v)}`;
  }
  const wrong = calendarProblem(m);
  const t = Date.parse(v);
  if (wrong || Number.isNaN(t)) {
    return `field "timestamp" is not a calendar time, got ${show(v)}: ${
      wrong ?? "unreadable"
    }`;
  }
  return limitProblem(v, t, now, limits);
}

/** The number of the `n` digits of `v` from `at`, or -1 if one is not a digit. */
function digits(v: string, at: number, n: number): number {
  let out = 0;
  for (let i = at; i < at + n; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    out = out * 10 + d;
  }
  return out;
}

/** Days from 1970-01-01 to `y`-`mo`-`d` (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, mo: number, d: number): number {
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The time of `v` when it is exactly what `Date#toISOString()` writes
 * ("2026-11-26T07:00:00.000Z", as our producers do), or null. Such a string
 * is a real calendar time when its fields are in range, which spares the
 * pattern and the calendar check; read digit by digit, with no Date and no
 * string made, it costs a tenth of parsing and printing it back did (which
 * was 5 % of the processor's CPU).
 */
export function canonicalTimestamp(v: string): number | null {
  if (
    v.length !== 24 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 ||
    v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58 ||
    v.charCodeAt(16) !== 58 || v.charCodeAt(19) !== 46 ||
    v.charCodeAt(23) !== 90
  ) return null; // not "YYYY-MM-DDTHH:MM:SS.mmmZ"
  const y = digits(v, 0, 4), mo = digits(v, 5, 2), d = digits(v, 8, 2);
  const h = digits(v, 11, 2), mi = digits(v, 14, 2), s = digits(v, 17, 2);
  const ms = digits(v, 20, 3);
  if (
    y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) ||
    h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 || ms < 0
  ) return null;
  return daysFromCivil(y, mo, d) * 86_400_000 + h * 3_600_000 +
    mi * 60_000 + s * 1000 + ms;
}

/** Why time `t` (of the text `v`) is outside `limits`, or null. */
export function limitProblem(
  v: string,
  t: number,
  now: number,
  limits: TimeLimits,
): string | null {
  if (t - now > limits.maxFutureMs) {
    return `field "timestamp" is ${
      Math.round((t - now) / 1000)
    } s in the future (limit ${Math.round(limits.maxFutureMs / 1000)} s)`;
  }
  if (t < limits.minTimestampMs) {
    return `field "timestamp" ${show(v)} is before ${
      new Date(limits.minTimestampMs).toISOString()
    }, the earliest accepted`;
  }
  return null;
}
