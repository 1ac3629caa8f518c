/**
 * Strategies as data in `pricing_strategies`: the default row and the
 * overrides per category and per product, each holding only the fields set
 * at its level. Reading resolves them for every product of a run (cached per
 * category, so a million products resolve a handful of strategies); writing
 * validates first and keeps an audit row of every change.
 */
import type { Sql } from "../db/mod.ts";
import {
  DEFAULT_STRATEGY,
  resolveStrategy,
  StrategyError,
  validateStrategy,
  validateStrategyOverride,
} from "./strategy.ts";
import type { Strategy, StrategyOverride } from "./types.ts";

export type Scope = "default" | "category" | "product";
export const SCOPES: readonly Scope[] = ["default", "category", "product"];

/** One stored strategy row, as the API and the strategy page show it. */
export interface StoredStrategy {
  scope: Scope;
  key: string;
  strategy: StrategyOverride;
  note: string | null;
  updatedAt: Date;
  updatedBy: string;
}

/** Every stored row and the resolver the engine uses. */
export interface Strategies {
  rows: StoredStrategy[];
  /** The default with the built-in values filled in. */
  base: Strategy;
  /** The strategy in force for one product. */
  forProduct(category: string, productId: string): Strategy;
}

/** Reads every strategy row; throws naming the row when one cannot be used. */
export async function loadStrategies(sql: Sql): Promise<Strategies> {
  const rows = (await sql<
    {
      scope: Scope;
      scope_key: string;
      strategy: unknown;
      note: string | null;
      updated_at: Date;
      updated_by: string;
    }[]
  >`select scope, scope_key, strategy, note, updated_at, updated_by
    from pricing_strategies order by scope, scope_key`).map((r) => ({
    scope: r.scope,
    key: r.scope_key,
    strategy: checked(r.scope, r.scope_key, r.strategy),
    note: r.note,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  }));
  return resolver(rows);
}

function checked(scope: Scope, key: string, json: unknown): StrategyOverride {
  try {
    return validateStrategyOverride(json);
  } catch (err) {
    throw new StrategyError(
      `The stored ${scope} strategy${key ? ` "${key}"` : ""} cannot be used: ${
        (err as Error).message
      }`,
    );
  }
}

/** The resolver over stored rows: product over category over default. */
export function resolver(rows: readonly StoredStrategy[]): Strategies {
  const find = (scope: Scope, key: string) =>
    rows.find((r) => r.scope === scope && r.key === key)?.strategy ?? null;
  const base = validateStrategy({
    ...DEFAULT_STRATEGY,
    ...(find("default", "") ?? {}),
  });
  const byCategory = new Map<string, Strategy>();
  const products = new Map(
    rows.filter((r) => r.scope === "product").map((r) => [r.key, r.strategy]),
  );
  const forCategory = (category: string) => {
    let s = byCategory.get(category);
    if (!s) {
      s = resolveStrategy(base, find("category", category));
      byCategory.set(category, s);
    }
    return s;
  };
  return {
    rows: [...rows],
    base,
    forProduct(category, productId) {
      const own = products.get(productId);
      return own
        ? resolveStrategy(base, find("category", category), own)
        : forCategory(category);
    },
  };
}

/**
 * Stores the strategy of a scope (replacing its fields), after checking that
 * it validates, that the key names a real category or product, and that
 * every stored strategy still resolves with it (an override must not clash
 * with a new default, e.g. overstock cover below low cover).
 */
export async function saveStrategy(
  sql: Sql,
  scope: Scope,
  key: string,
  json: unknown,
  by: string,
  note: string | null = null,
): Promise<StoredStrategy> {
  const strategy = validateStrategyOverride(json);
  await assertKey(sql, scope, key);
  return await sql.begin(async (tx) => {
    const [old] = await tx<{ strategy: unknown }[]>`
      select strategy from pricing_strategies
      where scope = ${scope} and scope_key = ${key} for update`;
    await assertResolvable(tx as unknown as Sql, scope, key, strategy);
    const [row] = await tx<{ updated_at: Date }[]>`
      insert into pricing_strategies (scope, scope_key, strategy, note, updated_by)
      values (${scope}, ${key}, ${tx.json(strategy as never)}, ${note}, ${by})
      on conflict (scope, scope_key) do update set strategy = excluded.strategy,
        note = coalesce(excluded.note, pricing_strategies.note),
        updated_at = now(), updated_by = excluded.updated_by
      returning updated_at`;
    await tx`
      insert into pricing_strategy_changes (scope, scope_key, old_value, new_value, changed_by)
      values (${scope}, ${key}, ${old ? tx.json(old.strategy as never) : null},
              ${tx.json(strategy as never)}, ${by})`;
    return {
      scope,
      key,
      strategy,
      note,
      updatedAt: row!.updated_at,
      updatedBy: by,
    };
  });
}

/** Resolves every stored strategy as it would be with `strategy` stored at scope/key. */
async function assertResolvable(
  sql: Sql,
  scope: Scope,
  key: string,
  strategy: StrategyOverride,
): Promise<void> {
  const rows = await sql<
    {
      scope: Scope;
      scope_key: string;
      strategy: StrategyOverride;
      category: string | null;
    }[]
  >`
    select s.scope, s.scope_key, s.strategy, p.category
    from pricing_strategies s
    left join products p on s.scope = 'product' and p.product_id = s.scope_key`;
  const others = rows.filter((r) =>
    !(r.scope === scope && r.scope_key === key)
  );
  const stored = [...others, {
    scope,
    scope_key: key,
    strategy,
    category: null,
  }]
    .map((r) => ({ ...r, key: r.scope_key }));
  const all = resolver(stored.map((r) => ({
    scope: r.scope,
    key: r.key,
    strategy: r.strategy,
    note: null,
    updatedAt: new Date(0),
    updatedBy: "",
  })));
  const categoryOf = new Map(rows.map((r) => [r.scope_key, r.category]));
  if (scope === "product") {
    const [p] = await sql<{ category: string }[]>`
      select category from products where product_id = ${key}`;
    categoryOf.set(key, p!.category);
  }
  for (const r of stored) {
    if (r.scope === "category") all.forProduct(r.key, "");
    if (r.scope === "product") {
      all.forProduct(categoryOf.get(r.key) ?? "", r.key);
    }
  }
}

/** Deletes a category's or a product's override; false when there was none. */
export async function deleteStrategy(
  sql: Sql,
  scope: Exclude<Scope, "default">,
  key: string,
  by: string,
): Promise<boolean> {
  return await sql.begin(async (tx) => {
    const [old] = await tx<{ strategy: unknown }[]>`
      delete from pricing_strategies where scope = ${scope} and scope_key = ${key}
      returning strategy`;
    if (!old) return false;
    await tx`
      insert into pricing_strategy_changes (scope, scope_key, old_value, new_value, changed_by)
      values (${scope}, ${key}, ${
      tx.json(old.strategy as never)
    }, null, ${by})`;
    return true;
  });
}

async function assertKey(sql: Sql, scope: Scope, key: string): Promise<void> {
  if (scope === "default") {
    if (key !== "") throw new StrategyError("The default strategy has no key");
    return;
  }
  const [found] = scope === "category"
    ? await sql`select 1 from products where category = ${key} limit 1`
    : await sql`select 1 from products where product_id = ${key}`;
  if (!found) {
    throw new StrategyError(
      `Cannot store a strategy for ${scope} "${key}": no such ${scope} in the catalog`,
    );
  }
}
