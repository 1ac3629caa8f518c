/**
 * Where the lake's files go. A target stores whole objects atomically: a
 * reader sees a part file complete or not at all. Keys are relative
 * (`<stream>/date=YYYY-MM-DD/part-<first>-<last>.parquet`); the target adds
 * its own root folder or key prefix.
 */
import { dirname, join } from "node:path";

export interface LakeTarget {
  /** Where the files go, without credentials (safe to log). */
  readonly description: string;
  /** Stores one object atomically. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** True when a complete object is stored under `key`. */
  exists(key: string): Promise<boolean>;
  /** Every complete object key that starts with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Deletes the objects (missing ones are fine). */
  remove(keys: readonly string[]): Promise<void>;
  /** Reads one object back (used by tests and tools). */
  get(key: string): Promise<Uint8Array>;
}

const TMP_SUFFIX = ".tmp";

/**
 * A local folder. A file is written under a hidden temporary name in its
 * final folder, flushed to disk and then renamed, so a crash never leaves a
 * partly written `.parquet` behind (stale temporaries are swept by
 * {@linkcode LocalTarget.sweep}).
 */
export class LocalTarget implements LakeTarget {
  constructor(readonly root: string) {}

  get description(): string {
    return `folder ${this.root}`;
  }

  #path(key: string): string {
    if (key.split("/").some((p) => p === ".." || p === "")) {
      throw new Error(`Cannot use lake key "${key}": not a plain relative key`);
    }
    return join(this.root, key);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.#path(key);
    await Deno.mkdir(dirname(path), { recursive: true });
    const tmp = join(
      dirname(path),
      `.${crypto.randomUUID()}${TMP_SUFFIX}`,
    );
    try {
      const file = await Deno.open(tmp, { write: true, createNew: true });
      try {
        let off = 0;
        while (off < bytes.length) off += await file.write(bytes.subarray(off));
        await file.sync();
      } finally {
        file.close();
      }
      await Deno.rename(tmp, path);
    } catch (err) {
      await Deno.remove(tmp).catch(() => {});
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await Deno.stat(this.#path(key))).isFile;
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return false;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    await this.#walk("", (key, name) => {
      if (!name.endsWith(TMP_SUFFIX) && key.startsWith(prefix)) out.push(key);
    });
    return out.sort();
  }

  /** Deletes temporaries left by a crash; returns how many. */
  async sweep(): Promise<number> {
    let n = 0;
    await this.#walk("", (key, name) => {
      if (name.startsWith(".") && name.endsWith(TMP_SUFFIX)) {
        n++;
        return Deno.remove(this.#path(key));
      }
    });
    return n;
  }

  async #walk(
    rel: string,
    visit: (key: string, name: string) => void | Promise<void>,
  ): Promise<void> {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(join(this.root, rel)));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return;
      throw err;
    }
    for (const e of entries) {
      const key = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) await this.#walk(key, visit);
      else if (e.isFile) await visit(key, e.name);
    }
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      await Deno.remove(this.#path(key)).catch((err) => {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      });
    }
  }

  get(key: string): Promise<Uint8Array> {
    return Deno.readFile(this.#path(key));
  }
}
