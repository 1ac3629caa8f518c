/**
 * Static files under `static/` (the stylesheet) are read once and served
 * under a content hash, like the island bundles: `/static/<hash>/style.css`,
 * cacheable forever; a changed file gets a new URL.
 */
import { fileURLToPath } from "node:url";

const DIR = fileURLToPath(new URL("../../static/", import.meta.url));

/** FNV-1a: a small synchronous content hash for cache-busting URLs. */
function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

export interface StaticFile {
  body: Uint8Array;
  type: string;
}

const TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
};

const files = new Map<string, StaticFile>();
for (const e of Deno.readDirSync(DIR)) {
  const ext = e.name.split(".").pop() ?? "";
  if (e.isFile && TYPES[ext]) {
    files.set(e.name, {
      body: Deno.readFileSync(DIR + e.name),
      type: TYPES[ext]!,
    });
  }
}
const all = new Uint8Array([...files.values()].flatMap((f) => [...f.body]));

/** Hash of every static file; part of their URLs. */
export const STATIC_ID: string = fnv1a(all);

/** The URL of a file under `static/`. */
export function staticUrl(name: string): string {
  return `/static/${STATIC_ID}/${name}`;
}

/** A static file by name, or undefined. */
export function staticFile(name: string): StaticFile | undefined {
  return files.get(name);
}
