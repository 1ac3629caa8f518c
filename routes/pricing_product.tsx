/** One product's pricing: the page and `GET /api/pricing/:id`. */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import {
  type ProductPricing,
  productPricing,
  RANGES,
} from "../lib/dashboard/product_pricing.ts";
import { oneOf, page } from "../lib/web/page.ts";
import { HttpError } from "../lib/web/http_error.ts";
import { Layout } from "../components/Layout.tsx";
import { PricingProductView } from "../components/PricingProduct.tsx";

async function read(ctx: AppContext, c: Context): Promise<ProductPricing> {
  const id = c.req.param("id")!;
  const range = oneOf(
    c,
    "range",
    Object.keys(RANGES) as (keyof typeof RANGES)[],
  );
  const p = await productPricing(ctx.sql, id, range);
  if (!p) {
    throw new HttpError(404, `Cannot show product "${id}": no such product`);
  }
  return p;
}

/** GET /pricing/:id */
async function productPage(ctx: AppContext, c: Context) {
  const p = await read(ctx, c);
  return page(
    c,
    <Layout title={p.product.product_name} active="pricing" live={false}>
      <PricingProductView p={p} approvals={ctx.config.apiToken !== ""} />
    </Layout>,
  );
}

export function pricingProductRoutes(ctx: AppContext): Hono {
  return new Hono()
    .get("/api/pricing/:id", async (c) => c.json(await read(ctx, c)))
    .get("/pricing/:id", (c) => productPage(ctx, c));
}
