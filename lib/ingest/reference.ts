/**
 * The reference sets events are validated against (products, warehouses,
 * competitors), loaded from the database, and kept current while a process
 * runs: a catalog import, or anyone adding a row by hand, bumps
 * `catalog_version` (a trigger, sql/010).
 *
 * Checking the version on every batch would cost a query per batch for an
 * event that is almost never there. Instead a {@linkcode LiveReference}
 * answers a lookup of an id it does not know by throwing
 * {@linkcode StaleCatalog} — `parseEvent` lets anything but its own
 * refusals through, and the sink validates before it writes anything — and
 * {@linkcode withCatalog} then compares the version, reloads if it moved, and
 * runs the batch again, now trusting a miss. So an event for a product added
 * a moment ago is accepted, and one for a product nobody added is rejected
 * after one small query.
 */
import type { Sql } from "../db/mod.ts";
import type { Reference } from "../events/schema.ts";

/** Products, warehouses and competitors as they are in the database now. */
export async function loadReference(sql: Sql): Promise<Reference> {
  const [products, warehouses, competitors] = await Promise.all([
    sql<{ id: string }[]>`select product_id as id from products`,
    sql<{ id: string }[]>`select warehouse_id as id from warehouses`,
    sql<{ id: string }[]>`select competitor_name as id from competitors`,
  ]);
  return {
    products: new Set(products.map((r) => r.id)),
    warehouses: new Set(warehouses.map((r) => r.id)),
    competitors: new Set(competitors.map((r) => r.id)),
  };
}

/** The catalog's current version (sql/010 `catalog_version`). */
export async function catalogVersion(sql: Sql): Promise<number> {
  const [r] = await sql<{ v: string }[]>`
    select version::text as v from catalog_version`;
  return Number(r?.v ?? 0);
}

/** Thrown by a lookup that missed while the catalog was not yet checked for this batch. */
export class StaleCatalog extends Error {
  override name = "StaleCatalog";
}

/** The loaded sets and their version, shared by every worker of a process. */
export class CatalogCache {
  #sql: Sql;
  #data: Reference;
  #version: number;
  #refreshing: Promise<void> | null = null;

  private constructor(sql: Sql, data: Reference, version: number) {
    this.#sql = sql;
    this.#data = data;
    this.#version = version;
  }

  /** Loads the catalog (version first: a change in between only causes one more reload). */
  static async load(sql: Sql): Promise<CatalogCache> {
    const version = await catalogVersion(sql);
    return new CatalogCache(sql, await loadReference(sql), version);
  }

  get data(): Reference {
    return this.#data;
  }

  get version(): number {
    return this.#version;
  }

  /** Reloads when the stored version moved; concurrent callers share one check. */
  refresh(): Promise<void> {
    this.#refreshing ??= (async () => {
      try {
        const version = await catalogVersion(this.#sql);
        if (version === this.#version) return;
        this.#data = await loadReference(this.#sql);
        this.#version = version;
      } finally {
        this.#refreshing = null;
      }
    })();
    return this.#refreshing;
  }

  /** A reference for one worker (its own trust state, the shared sets). */
  reference(): LiveReference {
    return new LiveReference(this);
  }
}

/** A set whose misses throw until its reference trusts them. */
class GuardedSet implements ReadonlySet<string> {
  constructor(
    private readonly ref: LiveReference,
    private readonly pick: (r: Reference) => ReadonlySet<string>,
  ) {}
  private get set(): ReadonlySet<string> {
    return this.pick(this.ref.cache.data);
  }
  has(id: string): boolean {
    if (this.set.has(id)) return true;
    if (this.ref.trusting > 0) return false;
    throw new StaleCatalog(`"${id}" is not in the loaded catalog`);
  }
  get size(): number {
    return this.set.size;
  }
  forEach(
    f: (v: string, k: string, s: ReadonlySet<string>) => void,
  ): void {
    this.set.forEach(f);
  }
  entries(): SetIterator<[string, string]> {
    return this.set.entries();
  }
  keys(): SetIterator<string> {
    return this.set.keys();
  }
  values(): SetIterator<string> {
    return this.set.values();
  }
  [Symbol.iterator](): SetIterator<string> {
    return this.set[Symbol.iterator]();
  }
  union<U>(o: ReadonlySetLike<U>): Set<string | U> {
    return this.set.union(o);
  }
  intersection<U>(o: ReadonlySetLike<U>): Set<string & U> {
    return this.set.intersection(o);
  }
  difference<U>(o: ReadonlySetLike<U>): Set<string> {
    return this.set.difference(o);
  }
  symmetricDifference<U>(o: ReadonlySetLike<U>): Set<string | U> {
    return this.set.symmetricDifference(o);
  }
  isSubsetOf(o: ReadonlySetLike<unknown>): boolean {
    return this.set.isSubsetOf(o);
  }
  isSupersetOf(o: ReadonlySetLike<unknown>): boolean {
    return this.set.isSupersetOf(o);
  }
  isDisjointFrom(o: ReadonlySetLike<unknown>): boolean {
    return this.set.isDisjointFrom(o);
  }
}

/**
 * A {@linkcode Reference} over a {@linkcode CatalogCache}. Outside
 * {@linkcode withCatalog}'s second run a miss throws {@linkcode StaleCatalog}.
 */
export class LiveReference implements Reference {
  /** Above 0 while a miss is known to be real (the version was just checked). */
  trusting = 0;
  readonly products: ReadonlySet<string>;
  readonly warehouses: ReadonlySet<string>;
  readonly competitors: ReadonlySet<string>;

  constructor(readonly cache: CatalogCache) {
    this.products = new GuardedSet(this, (r) => r.products);
    this.warehouses = new GuardedSet(this, (r) => r.warehouses);
    this.competitors = new GuardedSet(this, (r) => r.competitors);
  }
}

/**
 * Runs `validateAndWrite` with `ref`; if it met an id the loaded catalog does
 * not have, checks the catalog version, reloads if it moved, and runs it once
 * more with misses trusted. `validateAndWrite` must validate before it writes
 * (the sink does: classify, then the transaction), so the first run leaves
 * nothing behind. A plain {@linkcode Reference} just runs it.
 */
export async function withCatalog<T>(
  ref: Reference,
  validateAndWrite: () => Promise<T>,
): Promise<T> {
  if (!(ref instanceof LiveReference)) return await validateAndWrite();
  try {
    return await validateAndWrite();
  } catch (err) {
    if (!(err instanceof StaleCatalog)) throw err;
  }
  await ref.cache.refresh();
  ref.trusting++;
  try {
    return await validateAndWrite();
  } finally {
    ref.trusting--;
  }
}
