/**
 * Acting on a recommendation: `POST /api/recommendations/:id/approve` applies
 * it at once, `/reject` records why not. Both need `Authorization: Bearer
 * <API_TOKEN>`; the body may name who decides (`{"by": "alice"}`).
 */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import { requireToken } from "../lib/web/auth.ts";
import { HttpError } from "../lib/web/http_error.ts";
import {
  approveRecommendation,
  rejectRecommendation,
} from "../lib/pricing/apply.ts";

/** The recommendation id from the path: a positive whole number. */
function idOf(c: Context): number {
  const raw = c.req.param("id") ?? "";
  if (!/^[1-9][0-9]{0,17}$/.test(raw)) {
    throw new HttpError(
      400,
      `Cannot read recommendation id "${raw}": expected a positive whole number`,
    );
  }
  return Number(raw);
}

/** The JSON body (empty allowed), with `by` and `reason` checked. */
async function bodyOf(c: Context): Promise<{ by: string; reason: string }> {
  const text = await c.req.text();
  let body: Record<string, unknown> = {};
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(400, "Cannot read the request body: it is not JSON");
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw new HttpError(
        400,
        "Cannot read the request body: expected a JSON object",
      );
    }
  }
  return {
    by: text1(body.by, "by", 100) ?? "api",
    reason: text1(body.reason, "reason", 500) ?? "",
  };
}

function text1(v: unknown, field: string, max: number): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (
    typeof v !== "string" || v.trim() === "" || v.length > max ||
    // deno-lint-ignore no-control-regex -- refusing control characters is the point
    /[\u0000-\u001f]/.test(v)
  ) {
    throw new HttpError(
      400,
      `Cannot read field "${field}": expected text of 1 to ${max} characters without control characters`,
    );
  }
  return v.trim();
}

async function approve(ctx: AppContext, c: Context) {
  const id = idOf(c);
  const { by } = await bodyOf(c);
  const r = await approveRecommendation(ctx.sql, id, by);
  return c.json({
    recommendation_id: id,
    status: "applied",
    product_id: r.productId,
    old_price: r.oldPrice,
    new_price: r.newPrice,
    by,
  });
}

async function reject(ctx: AppContext, c: Context) {
  const id = idOf(c);
  const { by, reason } = await bodyOf(c);
  if (!reason) {
    throw new HttpError(
      400,
      'Cannot reject without a reason: send {"reason": "..."}',
    );
  }
  await rejectRecommendation(ctx.sql, id, by, reason);
  return c.json({ recommendation_id: id, status: "rejected", reason, by });
}

export function recommendationRoutes(ctx: AppContext): Hono {
  const token = requireToken(ctx.config.apiToken);
  return new Hono()
    .post("/api/recommendations/:id/approve", token, (c) => approve(ctx, c))
    .post("/api/recommendations/:id/reject", token, (c) => reject(ctx, c));
}
