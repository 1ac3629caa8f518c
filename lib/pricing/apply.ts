/**
 * Acting on recommendations: applying one (our price becomes its price, with
 * a `price_changes` row that says who and why), approving, rejecting and
 * expiring. The engine's auto-apply and the approval API go through the same
 * `applyRecommendation`, so a price never changes any other way.
 */
import type { Sql, TransactionSql } from "../db/mod.ts";

/** A request that cannot be carried out as asked; maps to HTTP 404 or 409. */
export class RecommendationError extends Error {
  override name = "RecommendationError";
  constructor(
    readonly status: 404 | 409,
    message: string,
    /** True when our price moved since: the recommendation should expire. */
    readonly stale = false,
  ) {
    super(message);
  }
}

/** Who applied a price and how. */
export interface Actor {
  /** `engine`, `api` or a person's name. */
  by: string;
  source: "auto" | "approval";
}

interface Locked {
  recommendation_id: string;
  product_id: string;
  status: string;
  recommended_price: string;
  current_price: string;
  is_current: boolean;
  price_now: string;
}

async function lockRecommendation(
  tx: TransactionSql,
  id: number,
): Promise<Locked> {
  const [r] = await tx<Locked[]>`
    select h.recommendation_id::text, h.product_id, h.status, h.recommended_price::text,
           h.current_price::text, p.current_price::text as price_now,
           exists (select 1 from pricing_recommendations c
                   where c.recommendation_id = h.recommendation_id) as is_current
    from pricing_recommendation_history h join products p using (product_id)
    where h.recommendation_id = ${id}
    for update of h, p`;
  if (!r) {
    throw new RecommendationError(404, `Cannot find recommendation ${id}`);
  }
  return r;
}

function assertPending(r: Locked, verb: string): void {
  if (r.status !== "pending") {
    throw new RecommendationError(
      409,
      `Cannot ${verb} recommendation ${r.recommendation_id}: it is ${r.status}, not pending`,
    );
  }
  if (!r.is_current) {
    throw new RecommendationError(
      409,
      `Cannot ${verb} recommendation ${r.recommendation_id}: a later recommendation for ${r.product_id} superseded it`,
    );
  }
}

/**
 * Applies a pending recommendation inside `tx`: our price moves from the
 * price it was computed on to its recommended price. Refuses (409) when our
 * price changed since, which expires the recommendation instead.
 */
export async function applyRecommendation(
  tx: TransactionSql,
  id: number,
  actor: Actor,
): Promise<{ productId: string; oldPrice: number; newPrice: number }> {
  const r = await lockRecommendation(tx, id);
  assertPending(r, "apply");
  if (Number(r.price_now) !== Number(r.current_price)) {
    throw new RecommendationError(
      409,
      `Cannot apply recommendation ${id}: our price of ${r.product_id} is ${r.price_now} now, not the ${r.current_price} it was computed on; the next run recommends again`,
      true,
    );
  }
  await tx`
    update products set current_price = ${r.recommended_price}::numeric, updated_at = now()
    where product_id = ${r.product_id}`;
  await tx`
    insert into price_changes (product_id, old_price, new_price, changed_by, source, recommendation_id)
    values (${r.product_id}, ${r.current_price}::numeric, ${r.recommended_price}::numeric,
            ${actor.by}, ${actor.source}, ${id})`;
  const status = actor.source === "auto" ? "auto_applied" : "applied";
  await setStatus(tx, id, status, actor.by, null);
  return {
    productId: r.product_id,
    oldPrice: Number(r.current_price),
    newPrice: Number(r.recommended_price),
  };
}

/** An analyst approves a pending recommendation: it is applied at once. */
export async function approveRecommendation(
  sql: Sql,
  id: number,
  by: string,
): Promise<{ productId: string; oldPrice: number; newPrice: number }> {
  try {
    return await sql.begin((tx) =>
      applyRecommendation(tx, id, { by, source: "approval" })
    );
  } catch (err) {
    if (err instanceof RecommendationError && err.stale) {
      await sql.begin((tx) =>
        setStatus(tx, id, "expired", by, "our price changed since")
      );
    }
    throw err;
  }
}

/** An analyst rejects a pending recommendation, saying why. */
export async function rejectRecommendation(
  sql: Sql,
  id: number,
  by: string,
  reason: string,
): Promise<void> {
  await sql.begin(async (tx) => {
    const r = await lockRecommendation(tx, id);
    assertPending(r, "reject");
    await setStatus(tx, id, "rejected", by, reason);
  });
}

/** Sets a recommendation's status with who decided and why. */
export async function setStatus(
  tx: TransactionSql,
  id: number,
  status: string,
  by: string,
  reason: string | null,
): Promise<void> {
  await tx`
    update pricing_recommendation_history
    set status = ${status}, decided_at = now(), decided_by = ${by}, decision_reason = ${reason}
    where recommendation_id = ${id}`;
}
