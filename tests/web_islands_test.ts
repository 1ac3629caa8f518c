/**
 * The island mechanism: props survive the trip to the browser (dates too),
 * each outermost island is marked once, nested islands are not marked again,
 * a page without islands ships no JavaScript, and the build shares one Preact.
 */
import {
  deepStrictEqual as assertEquals,
  match,
  ok,
  throws,
} from "node:assert/strict";
import { h } from "preact";
import { island } from "../lib/islands/island.ts";
import { deserializeProps, serializeProps } from "../lib/islands/serialize.ts";
import { renderPage } from "../lib/islands/render.ts";
import { buildIslands, type IslandBundle } from "../lib/islands/build.ts";
import {
  loadPrebuilt,
  prebuiltProblem,
  sourceHash,
  writePrebuilt,
} from "../lib/islands/prebuilt.ts";

const fakeBundle: IslandBundle = {
  id: "abc123",
  files: new Map(),
  islands: ["Counter", "Outer", "Inner"],
};

function Counter(p: { start: number; when: Date }) {
  return h("button", null, `${p.start} @ ${p.when.toISOString()}`);
}
const CounterIsland = island("Counter", Counter);
const InnerIsland = island(
  "Inner",
  (p: { label: string }) => h("em", null, p.label),
);
const OuterIsland = island(
  "Outer",
  (p: { items: string[] }) =>
    h(
      "ul",
      null,
      p.items.map((i) => h("li", { key: i }, h(InnerIsland, { label: i }))),
    ),
);

/** The decoded `data-props` of every marker, in document order. */
function markers(
  html: string,
): { name: string; props: Record<string, unknown> }[] {
  const unescape = (s: string) =>
    s.replaceAll("&quot;", '"').replaceAll("&lt;", "<").replaceAll("&gt;", ">")
      .replaceAll("&amp;", "&");
  return [...html.matchAll(/data-island="(\w+)" data-props="([^"]*)"/g)].map((
    m,
  ) => ({
    name: m[1]!,
    props: deserializeProps(unescape(m[2]!)),
  }));
}

Deno.test("islands - props survive the round trip, dates and awkward values included", () => {
  const props = {
    when: new Date("2026-11-25T12:34:56.789Z"),
    nested: { list: [1, "two", null, { at: new Date(0) }], flag: true },
    tricky: { $t: "Date", v: "not a date" },
    missing: undefined,
    nan: NaN,
    inf: -Infinity,
    html: "</script><script>alert(1)</script>",
    unicode: "naïve — ✓",
  };
  const back = deserializeProps(serializeProps(props));
  assertEquals(back, props);
  ok(back.when instanceof Date);
});

Deno.test("islands - refuses props that cannot travel, naming the prop", () => {
  throws(
    () => serializeProps({ onClick: () => {} }),
    /"props\.onClick": type "function"/,
  );
  throws(() => serializeProps({ a: { m: new Map() } }), /"props\.a\.m"/);
});

Deno.test("islands - a page marks each island once, with its props", () => {
  const when = new Date("2026-01-02T03:04:05.000Z");
  const page = h(
    "html",
    null,
    h(
      "body",
      null,
      h(CounterIsland, { start: 7, when }),
      h("p", null, "static"),
    ),
  );
  const { html, islands } = renderPage(page, fakeBundle);
  assertEquals(islands, ["Counter"]);
  const found = markers(html);
  assertEquals(found, [{ name: "Counter", props: { start: 7, when } }]);
  ok(
    html.includes("7 @ 2026-01-02T03:04:05.000Z"),
    "the island is rendered on the server too",
  );
  match(
    html,
    /<script type="module">import\{boot\}from"\/islands\/abc123\/lib\/islands\/client\.js";/,
  );
  match(
    html,
    /import Counter from "\/islands\/abc123\/islands\/Counter\.js";boot\(\{Counter\}\);<\/script><\/body>/,
  );
});

Deno.test("islands - a nested island is hydrated by its outer island, not marked twice", () => {
  const page = h(
    "html",
    null,
    h("body", null, h(OuterIsland, { items: ["a", "b"] })),
  );
  const { html, islands } = renderPage(page, fakeBundle);
  assertEquals(islands, ["Outer"]);
  assertEquals(markers(html).map((m) => m.name), ["Outer"]);
  ok(html.includes("<em>a</em>") && html.includes("<em>b</em>"));
  ok(!html.includes("Inner.js"), "the inner island is not loaded separately");
});

Deno.test("islands - props cannot break out of their attribute", () => {
  const evil = '"><script>alert(1)</script>';
  const page = h(
    "html",
    null,
    h("body", null, h(InnerIsland, { label: evil })),
  );
  const { html } = renderPage(page, fakeBundle);
  ok(!html.includes("<script>alert(1)"), "no live script tag from props");
  assertEquals(markers(html)[0]!.props, { label: evil });
});

Deno.test("islands - a page without islands ships no JavaScript", () => {
  const { html, islands } = renderPage(
    h("html", null, h("body", null, h("p", null, "hi"))),
    fakeBundle,
  );
  assertEquals(islands, []);
  ok(!html.includes("<script"));
});

Deno.test("islands - an island missing from islands/ fails loudly instead of shipping a dead page", () => {
  const Ghost = island("Ghost", () => h("i", null));
  throws(
    () =>
      renderPage(h("html", null, h("body", null, h(Ghost, {}))), fakeBundle),
    /"Ghost"/,
  );
});

Deno.test({
  name:
    "islands - deno bundle builds every island, the runtime and one shared Preact",
  sanitizeResources: false,
  fn: async () => {
    const b = await buildIslands();
    for (const name of b.islands) {
      ok(b.files.has(`islands/${name}.js`), `islands/${name}.js`);
    }
    ok(b.files.has("lib/islands/client.js"));
    ok(b.islands.includes("SortableTable") && b.islands.includes("LiveStatus"));
    match(b.id, /^[0-9a-f]{12}$/);
    const dec = new TextDecoder();
    // Preact's core carries this regular expression exactly once per copy.
    const copies = [...b.files.values()].filter((f) =>
      dec.decode(f).includes("acit|ex(?:s|g|n|p|$)")
    );
    assertEquals(
      copies.length,
      1,
      "one Preact instance shared by every island",
    );
    for (const [name, f] of b.files) {
      // `precompile` JSX turns markup into string arrays that only the server renderer understands.
      ok(
        !/\["<[a-z]/.test(dec.decode(f)),
        `${name} must not use the server-only precompiled JSX`,
      );
    }
  },
});

Deno.test({
  name:
    "islands - a bundle built ahead of time is loaded as written, and is stale once a source changes",
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "prebuilt-" });
    try {
      match((await prebuiltProblem(dir))!, /there is no .*manifest\.json/);
      const bundle = await buildIslands();
      const dec = new TextDecoder();
      for (const [name, f] of bundle.files) {
        // Server-only modules must not reach the browser (Layout reads files through node:url).
        ok(
          !/from\s*"node:|\bDeno\./.test(dec.decode(f)),
          `${name} is browser code`,
        );
      }
      await writePrebuilt(bundle, await sourceHash(), dir);
      assertEquals(await prebuiltProblem(dir), null);
      const loaded = await loadPrebuilt(dir);
      assertEquals([loaded?.id, loaded?.islands], [bundle.id, bundle.islands]);
      assertEquals(
        [...loaded!.files.keys()].sort(),
        [...bundle.files.keys()].sort(),
      );
      await writePrebuilt(bundle, "an older source tree", dir);
      match((await prebuiltProblem(dir))!, /changed since it was built/);
      assertEquals(await loadPrebuilt(dir), null);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
