/**
 * Pricing strategies as data: the page that lists the default and every
 * override (editable), `GET /api/strategies`, and the write endpoints
 * `PUT /api/strategies/default`, `PUT|DELETE /api/strategies/{category|product}/:key`
 * (Bearer API_TOKEN; body `{"strategy": {...}, "note": "...", "by": "..."}`).
 */
import { TableWrap } from "../components/Table.tsx";
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import { requireToken } from "../lib/web/auth.ts";
import { HttpError } from "../lib/web/http_error.ts";
import { page } from "../lib/web/page.ts";
import {
  deleteStrategy,
  loadStrategies,
  saveStrategy,
  type Scope,
  type Strategies,
} from "../lib/pricing/strategies.ts";
import { filterOptions } from "../lib/dashboard/filters.ts";
import { Layout, Panel } from "../components/Layout.tsx";
import { StrategyFacts } from "../components/StrategyFacts.tsx";
import StrategyEditor from "../islands/StrategyEditor.tsx";

function scopeOf(c: Context): Exclude<Scope, "default"> {
  const s = c.req.param("scope");
  if (s !== "category" && s !== "product") {
    throw new HttpError(
      404,
      `Cannot find strategy level "${s}": expected "default", "category" or "product"`,
    );
  }
  return s;
}

async function bodyOf(
  c: Context,
): Promise<{ strategy: unknown; note: string | null; by: string }> {
  let body: Record<string, unknown>;
  try {
    body = await c.req.json();
  } catch {
    throw new HttpError(400, "Cannot read the request body: it is not JSON");
  }
  if (!body || typeof body !== "object" || !("strategy" in body)) {
    throw new HttpError(
      400,
      'Cannot read the request body: expected {"strategy": {...}}',
    );
  }
  const text = (v: unknown) =>
    typeof v === "string" && v.trim() ? v.trim().slice(0, 200) : null;
  return {
    strategy: body.strategy,
    note: text(body.note),
    by: text(body.by) ?? "api",
  };
}

function json(s: Strategies) {
  return {
    default: s.base,
    levels: s.rows.map((r) => ({
      scope: r.scope,
      key: r.key,
      strategy: r.strategy,
      note: r.note,
      updated_at: r.updatedAt.toISOString(),
      updated_by: r.updatedBy,
    })),
  };
}

function LevelsTable({ s }: { s: Strategies }) {
  return (
    <TableWrap label="Stored strategy levels" columns={4}>
      <table class="data" id="strategy-levels">
        <thead>
          <tr>
            <th>Level</th>
            <th>Fields set here</th>
            <th>Note</th>
            <th>Changed</th>
          </tr>
        </thead>
        <tbody>
          {s.rows.map((r) => (
            <tr data-level={`${r.scope}:${r.key}`}>
              <td>
                {r.scope === "product"
                  ? <a href={`/pricing/${r.key}`}>product {r.key}</a>
                  : r.scope === "category"
                  ? `category ${r.key}`
                  : "default"}
              </td>
              <td class="mono">{JSON.stringify(r.strategy)}</td>
              <td>{r.note ?? ""}</td>
              <td>
                {r.updatedAt.toISOString().slice(0, 16).replace("T", " ")} by
                {" "}
                {r.updatedBy}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

async function strategiesPage(ctx: AppContext, c: Context) {
  const [s, opts, products] = await Promise.all([
    loadStrategies(ctx.sql),
    filterOptions(ctx.sql),
    ctx.sql<{ id: string; name: string }[]>`
      select product_id as id, product_name as name from products order by product_id`,
  ]);
  const defaultLayer = s.rows.filter((r) => r.scope === "default")
    .map((r) => ({ scope: r.scope, key: r.key, fields: r.strategy }));
  return page(
    c,
    <Layout title="Pricing strategies" active="pricing" live={false}>
      <p class="muted">
        A product's strategy is its own fields over its category's over the
        default. Guardrails apply in this order: floor and ceiling, stock rules,
        largest step, cooldown, price war, rounding.{" "}
        <a href="/pricing">Back to pricing</a>
      </p>
      <Panel
        title="Default strategy in force"
        note="every product unless overridden"
      >
        <StrategyFacts strategy={s.base} layers={defaultLayer} />
      </Panel>
      <Panel title="Stored levels" note="default and overrides" wide>
        <LevelsTable s={s} />
      </Panel>
      <Panel
        title="Edit a level"
        note="checked by the server before it is stored"
        wide
      >
        <StrategyEditor
          levels={s.rows.map((r) => ({
            scope: r.scope,
            key: r.key,
            strategy: r.strategy as Record<string, unknown>,
          }))}
          categories={opts.categories}
          products={[...products]}
          enabled={ctx.config.apiToken !== ""}
        />
      </Panel>
    </Layout>,
  );
}

export function strategyRoutes(ctx: AppContext): Hono {
  const token = requireToken(ctx.config.apiToken);
  return new Hono()
    .get("/pricing/strategies", (c) => strategiesPage(ctx, c))
    .get(
      "/api/strategies",
      async (c) => c.json(json(await loadStrategies(ctx.sql))),
    )
    .put("/api/strategies/default", token, async (c) => {
      const b = await bodyOf(c);
      await saveStrategy(ctx.sql, "default", "", b.strategy, b.by, b.note);
      return c.json(json(await loadStrategies(ctx.sql)));
    })
    .put("/api/strategies/:scope/:key", token, async (c) => {
      const scope = scopeOf(c);
      const b = await bodyOf(c);
      await saveStrategy(
        ctx.sql,
        scope,
        c.req.param("key"),
        b.strategy,
        b.by,
        b.note,
      );
      return c.json(json(await loadStrategies(ctx.sql)));
    })
    .delete("/api/strategies/:scope/:key", token, async (c) => {
      const scope = scopeOf(c);
      const key = c.req.param("key");
      if (!(await deleteStrategy(ctx.sql, scope, key, "api"))) {
        throw new HttpError(
          404,
          `Cannot delete the ${scope} strategy "${key}": there is none`,
        );
      }
      return c.body(null, 204);
    });
}
