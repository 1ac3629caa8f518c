/**
 * The time window an analysis looks at, read from URL parameters:
 * `hours` (how far back) and `until` (ISO time the window ends, default now).
 */

const HOUR = 3_600_000;
export const MAX_WINDOW_HOURS = 24 * 90;

export interface AnalysisWindow {
  from: Date;
  to: Date;
  hours: number;
}

/**
 * Parses `hours` (a whole number from 1 to 2160, default `defaultHours`) and
 * `until` (an ISO time, default `now`). With `wholeHours` the end is floored
 * to the start of its hour so only complete hours are counted. Throws a
 * RangeError naming the parameter and value when either is invalid.
 */
export function parseWindow(
  params: { hours?: string | null; until?: string | null },
  defaultHours: number,
  now: Date,
  wholeHours = false,
): AnalysisWindow {
  const hours = params.hours == null || params.hours === ""
    ? defaultHours
    : Number(params.hours);
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_WINDOW_HOURS) {
    throw new RangeError(
      `Parameter "hours" is "${params.hours}": expected a whole number from 1 to ${MAX_WINDOW_HOURS}`,
    );
  }
  let to = now;
  if (params.until != null && params.until !== "") {
    to = new Date(params.until);
    if (Number.isNaN(to.getTime())) {
      throw new RangeError(
        `Parameter "until" is "${params.until}": expected an ISO time such as 2026-01-05T04:00:00Z`,
      );
    }
  }
  if (wholeHours) to = new Date(Math.floor(to.getTime() / HOUR) * HOUR);
  return { from: new Date(to.getTime() - hours * HOUR), to, hours };
}
