/**
 * Acting on a recommendation: `POST /api/recommendations/:id/approve` applies
 * it at once, `/reject` records why not. Both need `Authorization: Bearer
 * <API_TOKEN>`; the body may name who decides (`{"by": "alice"}`).
 */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import { requireToken } from "../lib/web/auth.ts";
import { HttpError, parsed } from "../lib/web/http_error.ts";
import { rowId } from "../lib/query.ts";
import { jsonObject, textField } from "../lib/web/body.ts";
import {
  approveRecommendation,
  rejectRecommendation,
} from "../lib/pricing/apply.ts";

/** The recommendation id from the path: a positive whole number. */
function idOf(c: Context): number {
  return parsed(() => rowId("recommendation", c.req.param("id") ?? ""));
}

/** The JSON body (empty allowed, at most 64 KiB), with `by` and `reason` checked. */
async function bodyOf(c: Context): Promise<{ by: string; reason: string }> {
  const body = await jsonObject(c);
  return {
    by: textField(body, "by", 100) ?? "api",
    reason: textField(body, "reason", 500) ?? "",
  };
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
