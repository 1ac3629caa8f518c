/**
 * The one HTTP error type, and the one place errors become responses:
 * `HttpError` keeps its status, an unreachable database becomes 503, anything
 * else 500 with a generic message (the details go to the log, not the page).
 */
import { CONNECTION_LOST_CODES } from "../db/guard.ts";
import { RecommendationError } from "../pricing/apply.ts";
import { StrategyError } from "../pricing/strategy.ts";
import { CatalogImportError } from "../catalog_import/types.ts";
import { AlertError } from "../alerts/rules.ts";

export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status:
      | 400
      | 401
      | 403
      | 404
      | 409
      | 413
      | 414
      | 415
      | 500
      | 502
      | 503,
    message: string,
    /** More fields of the JSON answer, beside `error` and `status` (e.g. `errors`). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** What a page says while the database cannot be reached. */
export const DB_DOWN_MESSAGE =
  "The database is not reachable right now; the dashboard will recover when it is back";

/** True when `err` says the database cannot be reached (not a bad query). */
export function isDatabaseDown(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return typeof code === "string" &&
    (CONNECTION_LOST_CODES.has(code) || code.startsWith("08"));
}

/**
 * What a page says when a table or SQL model it reads does not exist (SQL
 * state 42P01): a database whose models were never built, or whose
 * migrations were not applied, rather than a bug in the page.
 */
function missingRelation(err: unknown): string | null {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (e?.code !== "42P01") return null;
  const name = /relation "([^"]+)"/.exec(String(e.message))?.[1];
  return `This database has no ${
    name ? `"${name}"` : "table of this page"
  } yet: \`deno task models:refresh\` builds the SQL models (the processor and the jobs also build them when they start) and \`deno task db:migrate\` applies the migrations`;
}

/** The status and the message that may be shown to the user for `err`. */
export function describeError(
  err: unknown,
): {
  status: number;
  message: string;
  expected: boolean;
  extra?: Record<string, unknown>;
} {
  if (err instanceof HttpError) {
    return {
      status: err.status,
      message: err.message,
      expected: true,
      extra: err.extra,
    };
  }
  if (err instanceof CatalogImportError) {
    return {
      status: 400,
      message: err.message,
      expected: true,
      extra: { errors: err.errors },
    };
  }
  // The domain's own refusals, mapped here once.
  if (err instanceof StrategyError) {
    return { status: 400, message: err.message, expected: true };
  }
  if (err instanceof AlertError) {
    return { status: err.status, message: err.message, expected: true };
  }
  if (err instanceof RecommendationError) {
    return { status: err.status, message: err.message, expected: true };
  }
  if (isDatabaseDown(err)) {
    return {
      status: 503,
      message: DB_DOWN_MESSAGE,
      expected: true,
    };
  }
  const missing = missingRelation(err);
  if (missing) return { status: 503, message: missing, expected: true };
  return {
    status: 500,
    message: "Something went wrong while building this response",
    expected: false,
  };
}

/**
 * Runs `read` (which parses request parameters) and turns the RangeError a
 * bad parameter throws into a 400 with the same sentence.
 */
export function parsed<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof RangeError) throw new HttpError(400, err.message);
    throw err;
  }
}
