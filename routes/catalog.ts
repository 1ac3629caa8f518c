/**
 * `POST /api/catalog[?dry_run=true]`: the catalog import over HTTP
 * (lib/catalog_import/), needing `Authorization: Bearer <API_TOKEN>`. The
 * body is one CSV file (its header says what it holds) or JSON
 * `{"products": [...], "warehouses": [...], "competitors": [...]}`. 200 with
 * what changed (or would), 400 with `errors: [{file, line, column, value,
 * reason}]` and nothing applied, 413 over 32 MiB.
 */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import { requireToken } from "../lib/web/auth.ts";
import { HttpError } from "../lib/web/http_error.ts";
import { looksLikeJson, readBody } from "../lib/web/body.ts";
import {
  type CatalogSource,
  importCatalog,
  planJson,
} from "../lib/catalog_import/mod.ts";

/** Largest catalog body: about 300,000 product lines. */
export const MAX_CATALOG_BYTES = 32 * 1024 * 1024;

function dryRunOf(c: Context): boolean {
  const v = c.req.query("dry_run");
  if (v === undefined || v === "" || v === "false" || v === "0") return false;
  if (v === "true" || v === "1") return true;
  throw new HttpError(
    400,
    `Cannot read parameter "dry_run": expected true or false, got "${v}"`,
  );
}

function sourceOf(c: Context, bytes: Uint8Array): CatalogSource {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, "Cannot read the catalog: it is not UTF-8 text");
  }
  if (text.trim() === "") {
    throw new HttpError(400, "Cannot import an empty catalog");
  }
  if (!looksLikeJson(c, bytes)) return { csv: [{ name: "body", text }] };
  try {
    return { json: JSON.parse(text) };
  } catch (err) {
    throw new HttpError(
      400,
      `Cannot read the catalog: it is not JSON (${(err as Error).message})`,
    );
  }
}

async function postCatalog(ctx: AppContext, c: Context) {
  const dryRun = dryRunOf(c);
  const bytes = await readBody(c, MAX_CATALOG_BYTES, "a catalog");
  const r = await importCatalog(ctx.sql, sourceOf(c, bytes), {
    dryRun,
    via: "api",
  });
  return c.json({
    dry_run: r.dryRun,
    applied: !r.dryRun,
    version: r.version,
    ...planJson(r.plan),
  });
}

export function catalogRoutes(ctx: AppContext): Hono {
  const token = requireToken(ctx.config.apiToken);
  return new Hono().post("/api/catalog", token, (c) => postCatalog(ctx, c));
}
