/**
 * Builds the browser bundles with `deno bundle`: one entry per `islands/*.tsx`
 * plus the client runtime, with code splitting so every island shares one
 * Preact. Outputs are kept in memory under a content hash, so their URLs are
 * `/islands/<hash>/<file>` and can be cached forever.
 */
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { logger } from "../log.ts";
import { loadPrebuilt, prebuiltProblem } from "./prebuilt.ts";

const log = logger("islands");

/** The built bundles of one process. */
export interface IslandBundle {
  /** Content hash of all outputs; part of every URL. */
  readonly id: string;
  /** Output files by path: `lib/islands/client.js`, `islands/<Island>.js`, `chunk-*.js`. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** Island names found under `islands/`. */
  readonly islands: readonly string[];
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

async function islandFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && /^[A-Z]\w*\.tsx$/.test(e.name)) out.push(join(dir, e.name));
  }
  return out.sort();
}

/** Checks each island's declared name equals its file name (the URL depends on it). */
async function checkNames(files: string[]): Promise<string[]> {
  const names: string[] = [];
  for (const f of files) {
    const name = basename(f, ".tsx");
    const mod = await import(`file://${f}`) as {
      default?: { islandName?: string };
    };
    if (mod.default?.islandName !== name) {
      throw new Error(
        `Cannot build island "${f}": its default export must be island("${name}", ...)`,
      );
    }
    names.push(name);
  }
  return names;
}

async function hashOf(files: Map<string, Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for (const name of [...files.keys()].sort()) {
    parts.push(new TextEncoder().encode(name), files.get(name)!);
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) all.set(p, (at += p.length) - p.length);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return [...digest.slice(0, 6)].map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/**
 * The project's import map with the browser's JSX transform: `precompile`
 * (used for server rendering) emits string templates that only
 * preact-render-to-string understands, so islands are compiled with
 * `react-jsx` instead.
 */
async function browserConfig(root: string, dir: string): Promise<string> {
  const project = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
  const path = join(dir, "..", `${basename(dir)}.json`);
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      imports: project.imports,
      compilerOptions: {
        ...project.compilerOptions,
        jsx: "react-jsx",
        jsxImportSource: "preact",
      },
    }),
  );
  return path;
}

/** Every file under `dir` by relative path (entries keep their folders, chunks sit at the top). */
async function readTree(
  dir: string,
  prefix = "",
): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for await (const e of Deno.readDir(join(dir, prefix))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory) {
      for (const [k, v] of await readTree(dir, rel)) files.set(k, v);
    } else if (e.isFile) files.set(rel, await Deno.readFile(join(dir, rel)));
  }
  return files;
}

/** Runs `deno bundle` over `islands/` and returns the outputs. */
export async function buildIslands(
  opts: { root?: string; minify?: boolean } = {},
): Promise<IslandBundle> {
  const root = opts.root ?? ROOT;
  const t0 = performance.now();
  const entries = await islandFiles(join(root, "islands"));
  const islands = await checkNames(entries);
  const outdir = await Deno.makeTempDir({ prefix: "islands-" });
  try {
    const args = [
      "bundle",
      "--quiet",
      `--config=${await browserConfig(root, outdir)}`,
      "--no-lock",
      "--platform=browser",
      "--code-splitting",
      `--outdir=${outdir}`,
      ...(opts.minify === false ? [] : ["--minify"]),
      join(root, "lib/islands/client.ts"),
      ...entries,
    ];
    const res = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!res.success) {
      throw new Error(
        `Cannot build islands: deno bundle failed: ${
          new TextDecoder().decode(res.stderr).trim()
        }`,
      );
    }
    const files = await readTree(outdir);
    const id = await hashOf(files);
    log.info("islands built", {
      islands: islands.length,
      files: files.size,
      id,
      ms: Math.round(performance.now() - t0),
    });
    return { id, files, islands };
  } finally {
    await Deno.remove(outdir, { recursive: true }).catch(() => {});
    await Deno.remove(`${outdir}.json`).catch(() => {});
  }
}

let cached: Promise<IslandBundle> | undefined;

/**
 * The process-wide bundle: the one `deno task build` wrote to
 * static/islands/ when it is current (nothing is spawned or written), else
 * built now in memory, which development and the tests rely on and a runtime
 * without `--allow-run` refuses with a sentence saying to run the build.
 */
export function islandBundle(): Promise<IslandBundle> {
  cached ??= loadOrBuild();
  cached.catch(() => (cached = undefined));
  return cached;
}

async function loadOrBuild(): Promise<IslandBundle> {
  const prebuilt = await loadPrebuilt();
  if (prebuilt) {
    log.info("islands loaded", { id: prebuilt.id, from: "static/islands" });
    return prebuilt;
  }
  const why = await prebuiltProblem();
  if (Deno.permissions.querySync({ name: "run" }).state !== "granted") {
    throw new Error(
      `Cannot serve islands: the bundle in static/islands is not usable (${why}) and this process may not run deno bundle; run deno task build first`,
    );
  }
  log.info("building islands in memory", { why });
  return await buildIslands();
}
