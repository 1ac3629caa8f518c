/**
 * A product's stock page (`/inventory/:id`): per warehouse its cover, risk
 * and reorder suggestion, the stock history and the moves behind it; live.
 * `GET /api/inventory/:id` is its JSON twin.
 */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import { productStock } from "../lib/dashboard/stock.ts";
import { stockSettingsOf } from "../lib/dashboard/stock_items.ts";
import { HttpError } from "../lib/web/http_error.ts";
import { page } from "../lib/web/page.ts";
import { Layout } from "../components/Layout.tsx";
import StockBoard from "../islands/StockBoard.tsx";

async function read(ctx: AppContext, id: string) {
  const s = await productStock(ctx.sql, id, stockSettingsOf(ctx.config));
  if (!s) {
    throw new HttpError(404, `Cannot show product "${id}": no such product`);
  }
  return s;
}

/** GET /inventory/:id: the product's stock board. */
async function stockPage(ctx: AppContext, c: Context) {
  const id = c.req.param("id")!;
  const s = await read(ctx, id);
  const path = `/api/inventory/${encodeURIComponent(id)}`;
  return page(
    c,
    <Layout title={`Stock: ${s.product.productName}`} active="inventory">
      <p class="crumbs">
        <a href="/inventory">← Inventory</a> · {s.product.productId} ·{" "}
        {s.product.category} ·{" "}
        <a href={`/pricing/${s.product.productId}`}>
          price history
        </a>
      </p>
      <StockBoard initial={s} url={path} />
    </Layout>,
  );
}

export function inventoryProductRoutes(ctx: AppContext): Hono {
  return new Hono()
    .get(
      "/api/inventory/:id",
      async (c) => c.json(await read(ctx, c.req.param("id"))),
    )
    .get("/inventory/:id", (c) => stockPage(ctx, c));
}
