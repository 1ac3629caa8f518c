/**
 * Island bundles built ahead of time (`deno task build`) into
 * `static/islands/`, so the web role serves them without spawning `deno
 * bundle` or writing a temporary folder, which an edge runtime (Deno Deploy
 * and the like) allows neither of. `manifest.json` records the bundle id,
 * the islands, its files and the hash of every source that went into them;
 * a bundle whose sources have changed since is stale and not used.
 */
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { IslandBundle } from "./build.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Where `deno task build` writes the bundles (ignored by git, fmt and lint). */
export const PREBUILT_DIR = join(ROOT, "static/islands");

interface Manifest {
  id: string;
  islands: string[];
  files: string[];
  /** {@linkcode sourceHash} of the tree the bundle was built from. */
  sources: string;
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^"'`;]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s*["']([^"']+)["']/g;

/** The bundles' entry points: the client runtime and every island. */
async function entries(root: string): Promise<string[]> {
  const out = [join(root, "lib/islands/client.ts")];
  for await (const e of Deno.readDir(join(root, "islands"))) {
    if (e.isFile && /^[A-Z]\w*\.tsx$/.test(e.name)) {
      out.push(join(root, "islands", e.name));
    }
  }
  return out.sort();
}

/** Every project file reachable from the entries by relative imports. */
async function sourceFiles(root: string): Promise<string[]> {
  const seen = new Set<string>();
  const todo = await entries(root);
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await Deno.readTextFile(file);
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec?.startsWith(".")) todo.push(resolve(dirname(file), spec));
    }
  }
  return [...seen].sort();
}

/**
 * A hash of what the bundles are made of: every source file reachable from
 * the entries (path and content), the import map and compiler options of
 * deno.json, and the Deno version that bundles them. Reads files only.
 */
export async function sourceHash(root = ROOT): Promise<string> {
  const project = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
  const parts: string[] = [
    Deno.version.deno,
    JSON.stringify([project.imports, project.compilerOptions]),
  ];
  for (const f of await sourceFiles(root)) {
    parts.push(relative(root, f), await Deno.readTextFile(f));
  }
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(parts.join("\0")),
  );
  return [...new Uint8Array(digest).slice(0, 12)]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Writes `bundle` and its manifest into `dir` (replacing what was there). */
export async function writePrebuilt(
  bundle: IslandBundle,
  sources: string,
  dir = PREBUILT_DIR,
): Promise<void> {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  for (const [path, body] of bundle.files) {
    await Deno.mkdir(dirname(join(dir, path)), { recursive: true });
    await Deno.writeFile(join(dir, path), body);
  }
  const manifest: Manifest = {
    id: bundle.id,
    islands: [...bundle.islands],
    files: [...bundle.files.keys()].sort(),
    sources,
  };
  await Deno.writeTextFile(
    join(dir, "manifest.json"),
    JSON.stringify(manifest, null, 2) + "\n",
  );
}

/** Why the prebuilt bundle in `dir` cannot be used, or null when it is current. */
export async function prebuiltProblem(
  dir = PREBUILT_DIR,
  root = ROOT,
): Promise<string | null> {
  const m = await readManifest(dir);
  if (!m) return `there is no ${relative(root, dir)}/manifest.json`;
  if (m.sources !== await sourceHash(root)) {
    return "islands or the code they import changed since it was built";
  }
  return null;
}

/** The manifest, or null when it is missing or unreadable (a build may be rewriting it). */
async function readManifest(dir: string): Promise<Manifest | null> {
  try {
    return JSON.parse(await Deno.readTextFile(join(dir, "manifest.json")));
  } catch {
    return null;
  }
}

/** The prebuilt bundle in `dir` when it is current, or null (read only). */
export async function loadPrebuilt(
  dir = PREBUILT_DIR,
  root = ROOT,
): Promise<IslandBundle | null> {
  if (await prebuiltProblem(dir, root)) return null;
  const m = await readManifest(dir);
  if (!m) return null;
  const files = new Map<string, Uint8Array>();
  try {
    for (const f of m.files) files.set(f, await Deno.readFile(join(dir, f)));
  } catch {
    return null; // being rewritten by a build: not usable this time
  }
  return { id: m.id, islands: m.islands, files };
}
