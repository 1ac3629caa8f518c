/**
 * The time window an analysis looks at, read from URL parameters:
 * `hours` (how far back) and `until` (ISO time the window ends, default now).
 */
import { isoTime, wholeNumber } from "../query.ts";
import { HOUR_MS as HOUR } from "../time.ts";

export const MAX_WINDOW_HOURS = 24 * 90;

export interface AnalysisWindow {
  from: Date;
  to: Date;
  hours: number;
}

/**
 * Parses `hours` (a whole number from 1 to 2160 in plain digits, default
 * `defaultHours`) and `until` (an ISO time, default `now`). With `wholeHours` the end is floored
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
    : wholeNumber("hours", params.hours, { min: 1, max: MAX_WINDOW_HOURS });
  const to = params.until == null || params.until === ""
    ? now
    : isoTime("until", params.until);
  const end = wholeHours
    ? new Date(Math.floor(to.getTime() / HOUR) * HOUR)
    : to;
  return { from: new Date(end.getTime() - hours * HOUR), to: end, hours };
}
