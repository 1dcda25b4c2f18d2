/**
 * A bounded map that forgets its least recently used entry, as client-go's
 * `lru.Cache` bounds each of the event correlator's caches (4096 entries), so
 * that a recorder's memory does not grow with the number of objects it saw.
 */
export class LruCache<V> {
  // Keys arrive built by concatenation: V8 keeps those as a tree of string
  // pieces (~30 nodes of 32 bytes for an event key). Reading a character
  // flattens the tree into one string, so a held key costs its length.
  private readonly entries = new Map<string, V>();

  constructor(readonly capacity: number) {}

  /** The value under `key`, now the most recently used; undefined when absent. */
  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(flat(key), value);
    return value;
  }

  /** Stores `value` as the most recently used, dropping the oldest entry when full. */
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(flat(key), value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** `key` flattened into one sequential string (see {@link LruCache}); same value. */
function flat(key: string): string {
  key.charCodeAt(0);
  return key;
}
