/**
 * Strict readers for values typed into a URL. `Number()` is too kind for
 * them: it reads "0x10" as 16, "1e2" as 100 and " 5 " as 5, so a typo or a
 * probe passes as a whole number. These accept only the plain decimal
 * spelling a person writes, and throw a RangeError naming the parameter and
 * its value; the web layer answers that with a 400.
 */

const WHOLE = /^[0-9]+$/;
const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;
/** ISO 8601 as the pages write it: a date, optionally a time and a zone. */
const ISO_TIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** Quotes a value for a message, cut short so a huge value cannot flood a page or a log. */
export function quoted(raw: string): string {
  const cut = [...raw].slice(0, 40).join("");
  return `"${cut}${cut.length < raw.length ? "…" : ""}"`;
}

/** A whole number from `min` to `max`, written in plain decimal digits. */
export function wholeNumber(
  name: string,
  raw: string,
  range: { min: number; max: number },
): number {
  const n = WHOLE.test(raw) ? Number(raw) : NaN;
  if (!(n >= range.min && n <= range.max)) {
    throw new RangeError(
      `Parameter "${name}" is ${
        quoted(raw)
      }: expected a whole number from ${range.min} to ${range.max}`,
    );
  }
  return n;
}

/** The id of a stored row, as a path names it: a positive whole number of at most 18 digits (exact as a JS number up to 2^53). */
export function rowId(what: string, raw: string): number {
  if (!/^[1-9][0-9]{0,17}$/.test(raw)) {
    throw new RangeError(
      `Cannot read ${what} id ${quoted(raw)}: expected a positive whole number`,
    );
  }
  return Number(raw);
}

/** A decimal number such as `-1.5` (no exponent, hex or spaces). */
export function decimal(name: string, raw: string, example: string): number {
  if (!DECIMAL.test(raw)) {
    throw new RangeError(
      `Parameter "${name}" is ${
        quoted(raw)
      }: expected a number such as ${example}`,
    );
  }
  return Number(raw);
}

/** A time in ISO 8601 (`2026-01-05`, `2026-01-05T04:00:00Z`). */
export function isoTime(name: string, raw: string): Date {
  const d = ISO_TIME.test(raw) ? new Date(raw) : new Date(NaN);
  if (Number.isNaN(d.getTime())) {
    throw new RangeError(
      `Parameter "${name}" is ${
        quoted(raw)
      }: expected an ISO time such as 2026-01-05T04:00:00Z`,
    );
  }
  return d;
}
