/**
 * The secondary indexes of an informer's cache: for each indexer, the cache
 * keys under each value it produces.
 */

/** Computes the index values of an object (e.g. `byNode: pod => [pod.spec.nodeName]`). */
export type IndexFunction<T> = (object: T) => readonly string[];

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function addValues(values: Map<string, Set<string>>, key: string, now: readonly string[]): void {
  for (const value of now) {
    let keys = values.get(value);
    if (!keys) {
      keys = new Set();
      values.set(value, keys);
    }
    keys.add(key);
  }
}

function removeValues(values: Map<string, Set<string>>, key: string, old: readonly string[]): void {
  for (const value of old) {
    const keys = values.get(value);
    keys?.delete(key);
    if (keys?.size === 0) values.delete(value);
  }
}

/** The keys under each value of each named indexer. */
export class IndexSet<T> {
  private readonly indexers: ReadonlyArray<readonly [string, IndexFunction<T>]>;
  private readonly indexes = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Readonly<Record<string, IndexFunction<T>>>) {
    this.indexers = Object.entries(indexers);
    for (const [name] of this.indexers) this.indexes.set(name, new Map());
  }

  /** Indexes `object` under `key`, replacing what `old` (the previous version, if any) put there. */
  put(key: string, object: T, old: T | undefined): void {
    for (const [name, fn] of this.indexers) {
      const values = this.indexes.get(name) as Map<string, Set<string>>;
      const now = fn(object);
      if (old !== undefined) {
        const before = fn(old);
        // Most updates (status, spec) leave the indexed values as they were.
        if (sameValues(before, now)) continue;
        removeValues(values, key, before);
      }
      addValues(values, key, now);
    }
  }

  /** Drops what `old` put under `key`. */
  remove(key: string, old: T): void {
    for (const [name, fn] of this.indexers) {
      removeValues(this.indexes.get(name) as Map<string, Set<string>>, key, fn(old));
    }
  }

  /** Whether an indexer is named `index`. */
  has(index: string): boolean {
    return this.indexes.has(index);
  }

  /** The keys under `value` of indexer `index` (which must exist), unordered. */
  keys(index: string, value: string): ReadonlySet<string> | undefined {
    return this.indexes.get(index)?.get(value);
  }
}
