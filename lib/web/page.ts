/** Helpers the page routes share: render a page, read filters from the URL. */
import type { Context } from "hono";
import type { VNode } from "preact";
import { islandBundle } from "../islands/build.ts";
import { renderPage } from "../islands/render.ts";
import { HttpError } from "./http_error.ts";

/** Renders a full page; islands on it get their boot script, others ship no JS. */
export async function page(
  c: Context,
  vnode: VNode,
  status: 200 | 404 | 503 = 200,
): Promise<Response> {
  const { html } = renderPage(vnode, await islandBundle());
  c.header("Cache-Control", "no-store");
  return c.html(html, status);
}

/**
 * Reads the query parameter `name`; it must be empty or one of `allowed`.
 * Throws a 400 naming the parameter and the allowed values otherwise.
 */
export function oneOf<T extends string>(
  c: Context,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const v = c.req.query(name);
  if (v === undefined || v === "") return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new HttpError(
      400,
      `Cannot filter by ${name} "${v}": expected one of ${
        allowed.map((a) => `"${a}"`).join(", ")
      }`,
    );
  }
  return v as T;
}

/** The sort of a table: `?sort=<key>&dir=asc|desc`, where key is one of `keys`. */
export function sortOf(
  c: Context,
  keys: readonly string[],
  fallback: { sort: string; dir: "asc" | "desc" },
): { sort: string; dir: "asc" | "desc" } {
  const sort = oneOf(c, "sort", keys) ?? fallback.sort;
  const dir = oneOf(c, "dir", ["asc", "desc"] as const) ??
    (c.req.query("sort") ? "asc" : fallback.dir);
  return { sort, dir };
}
