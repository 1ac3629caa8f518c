/**
 * Fault injection for tests and failure drills: a target that stores the
 * first `okPuts` objects through another target, then fails every put.
 */
import type { LakeTarget } from "./target.ts";

/** Wraps `inner`; puts after the first `okPuts` throw. */
export class FaultyTarget implements LakeTarget {
  puts = 0;
  constructor(readonly inner: LakeTarget, readonly okPuts: number) {}

  get description(): string {
    return `${this.inner.description} (failing after ${this.okPuts} puts)`;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    if (this.puts >= this.okPuts) {
      throw new Error(`Cannot store "${key}": injected failure`);
    }
    this.puts++;
    await this.inner.put(key, bytes);
  }

  exists(key: string): Promise<boolean> {
    return this.inner.exists(key);
  }
  list(prefix: string): Promise<string[]> {
    return this.inner.list(prefix);
  }
  remove(keys: readonly string[]): Promise<void> {
    return this.inner.remove(keys);
  }
  get(key: string): Promise<Uint8Array> {
    return this.inner.get(key);
  }
}
