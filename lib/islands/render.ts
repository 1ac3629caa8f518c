/**
 * Renders a page on the server. Islands used while rendering are collected,
 * and only then is the boot script added: a page without islands ships no
 * JavaScript at all.
 */
import { h, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { IslandContext, type IslandScope } from "./island.ts";
import type { IslandBundle } from "./build.ts";

/** The `<script type="module">` that loads the runtime and the islands used. */
export function bootScript(
  bundle: IslandBundle,
  used: Iterable<string>,
): string {
  const base = `/islands/${bundle.id}/`;
  const names = [...used];
  const imports = names.map((n) => `import ${n} from "${base}islands/${n}.js";`)
    .join("");
  return `<script type="module">import{boot}from"${base}lib/islands/client.js";${imports}boot({${
    names.join(",")
  }});</script>`;
}

/** Renders `page` (a full `<html>` document) and returns the HTML text. */
export function renderPage(
  page: VNode,
  bundle: IslandBundle | null,
): { html: string; islands: string[] } {
  const scope: IslandScope = { used: new Set(), inside: false };
  const body = renderToString(
    h(IslandContext.Provider, { value: scope }, page),
  );
  const islands = [...scope.used];
  let html = `<!DOCTYPE html>${body}`;
  if (islands.length > 0) {
    if (!bundle) {
      throw new Error("Cannot render islands: the bundle is not built");
    }
    const missing = islands.filter((n) => !bundle.islands.includes(n));
    if (missing.length > 0) {
      throw new Error(
        `Cannot render island "${missing[0]}": no such file under islands/`,
      );
    }
    const at = html.lastIndexOf("</body>");
    const script = bootScript(bundle, islands);
    html = at < 0 ? html + script : html.slice(0, at) + script + html.slice(at);
  }
  return { html, islands };
}
