/**
 * The dependency rule of ARCHITECTURE.md, checked on the real import graph:
 * main.ts and cli/ → workers/ → routes/ → islands/, components/ → lib/, and
 * never the other way; no circle between folders of lib/; dev/ is development
 * tooling that only tests, benches and scripts use; nothing outside tests/
 * imports tests/; islands (shipped to the browser) never touch the database
 * or Deno.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "..");
const SKIP = new Set([".git", "data", ".cache", "node_modules", "static"]);

/** Every .ts/.tsx file of the project, relative to the root. */
async function sourceFiles(dir = ROOT): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (SKIP.has(e.name)) continue;
    const path = join(dir, e.name);
    if (e.isDirectory) out.push(...await sourceFiles(path));
    else if (/\.tsx?$/.test(e.name)) out.push(relative(ROOT, path));
  }
  return out.sort();
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^"'`;]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s*["']([^"']+)["']/g;

/** The project files `file` imports (relative specifiers only). */
async function importsOf(file: string): Promise<string[]> {
  const text = await Deno.readTextFile(join(ROOT, file));
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec || !spec.startsWith(".")) continue;
    out.push(relative(ROOT, resolve(ROOT, dirname(file), spec)));
  }
  return out;
}

/** Rank of a file in the layering; higher may import lower, never the reverse. */
function rank(file: string): number | null {
  if (file === "main.ts" || file.startsWith("cli/")) return 5;
  if (file.startsWith("workers/")) return 4;
  if (file.startsWith("routes/")) return 3;
  if (file.startsWith("islands/") || file.startsWith("components/")) return 2;
  if (file.startsWith("lib/")) return 1;
  return null; // tests/, bench/, scripts/, dev/: checked by their own rules
}

/** The node of a lib/ file in the folder graph: its folder, or itself at the top. */
function libNode(file: string): string {
  const parts = file.split("/");
  return parts.length > 2 ? `lib/${parts[1]}/` : file;
}

async function graph(): Promise<Map<string, string[]>> {
  const g = new Map<string, string[]>();
  for (const f of await sourceFiles()) g.set(f, await importsOf(f));
  return g;
}

Deno.test("layers - no import runs upward (main → workers → routes → islands, components → lib)", async () => {
  const wrong: string[] = [];
  for (const [from, targets] of await graph()) {
    const a = rank(from);
    if (a === null) continue;
    for (const to of targets) {
      const b = rank(to);
      if (b === null) wrong.push(`${from} → ${to} (outside the layers)`);
      else if (b > a) wrong.push(`${from} → ${to}`);
      else if (a === b && a >= 3 && from.split("/")[0] === to.split("/")[0]) {
        // Route files and workers are siblings: they share through lib/, not each other,
        // except the one file that assembles them (routes/app.ts, workers/runtime.ts).
        if (!/^(routes\/app\.ts|workers\/runtime\.ts)$/.test(from)) {
          wrong.push(`${from} → ${to} (sibling)`);
        }
      }
    }
  }
  assertEquals(wrong, []);
});

Deno.test("layers - no circle between the folders of lib/", async () => {
  const edges = new Map<string, Set<string>>();
  for (const [from, targets] of await graph()) {
    // A unit test is a leaf nothing imports, so it cannot close a real circle.
    if (!from.startsWith("lib/") || from.endsWith("_test.ts")) continue;
    const a = libNode(from);
    for (const to of targets) {
      if (!to.startsWith("lib/")) continue;
      const b = libNode(to);
      if (a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b));
    }
  }
  const circles: string[] = [];
  // Depth-first search from every node; a back edge closes a circle.
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, "open");
    stack.push(n);
    for (const m of edges.get(n) ?? []) {
      if (state.get(m) === "open") {
        circles.push([...stack.slice(stack.indexOf(m)), m].join(" → "));
      } else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, "done");
  };
  for (const n of [...edges.keys()].sort()) if (!state.has(n)) visit(n);
  assertEquals(circles, []);
});

Deno.test("layers - dev/ tooling is used only by tests, benches and scripts; tests/ by nobody else", async () => {
  const wrong: string[] = [];
  for (const [from, targets] of await graph()) {
    const top = from.split("/")[0]!;
    for (const to of targets) {
      if (to.startsWith("tests/") && top !== "tests") {
        wrong.push(`${from} → ${to}`);
      }
      if (
        to.startsWith("dev/") &&
        !["tests", "bench", "scripts", "dev"].includes(top)
      ) wrong.push(`${from} → ${to}`);
      if (top === "dev" && !(to.startsWith("dev/") || to.startsWith("lib/"))) {
        wrong.push(`${from} → ${to}`);
      }
    }
  }
  assertEquals(wrong, []);
});

Deno.test("layers - islands never reach the database or Deno", async () => {
  const wrong: string[] = [];
  const g = await graph();
  for (const [from, targets] of g) {
    if (!from.startsWith("islands/")) continue;
    for (const to of targets) {
      if (to.startsWith("lib/db/")) wrong.push(`${from} → ${to}`);
    }
    const text = await Deno.readTextFile(join(ROOT, from));
    if (/\bDeno\./.test(text)) wrong.push(`${from} uses Deno.*`);
  }
  assertEquals(wrong, []);
});
