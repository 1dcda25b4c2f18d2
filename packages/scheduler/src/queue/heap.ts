/** A binary heap keyed by item key, with removal and update by key (the queue's activeQ and backoffQ). */
export class KeyedHeap<T> {
  readonly #items: T[] = [];
  readonly #index = new Map<string, number>();

  constructor(
    private readonly keyOf: (item: T) => string,
    private readonly less: (a: T, b: T) => boolean,
  ) {}

  get size(): number {
    return this.#items.length;
  }

  has(key: string): boolean {
    return this.#index.has(key);
  }

  get(key: string): T | undefined {
    const at = this.#index.get(key);
    return at === undefined ? undefined : this.#items[at];
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  /** Adds `item`, or replaces the item with its key and restores the order. */
  push(item: T): void {
    const key = this.keyOf(item);
    const at = this.#index.get(key);
    if (at !== undefined) {
      this.#items[at] = item;
      this.#fix(at);
      return;
    }
    this.#items.push(item);
    this.#index.set(key, this.#items.length - 1);
    this.#up(this.#items.length - 1);
  }

  pop(): T | undefined {
    if (this.#items.length === 0) return undefined;
    return this.#removeAt(0);
  }

  delete(key: string): T | undefined {
    const at = this.#index.get(key);
    return at === undefined ? undefined : this.#removeAt(at);
  }

  values(): readonly T[] {
    return this.#items;
  }

  #removeAt(at: number): T {
    const items = this.#items;
    const removed = items[at] as T;
    const last = items.pop() as T;
    this.#index.delete(this.keyOf(removed));
    if (at < items.length) {
      items[at] = last;
      this.#index.set(this.keyOf(last), at);
      this.#fix(at);
    }
    return removed;
  }

  #fix(at: number): void {
    if (!this.#up(at)) this.#down(at);
  }

  #swap(i: number, j: number): void {
    const items = this.#items;
    const a = items[i] as T;
    const b = items[j] as T;
    items[i] = b;
    items[j] = a;
    this.#index.set(this.keyOf(b), i);
    this.#index.set(this.keyOf(a), j);
  }

  #up(at: number): boolean {
    let i = at;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.#items[i] as T, this.#items[parent] as T)) break;
      this.#swap(i, parent);
      i = parent;
    }
    return i !== at;
  }

  #down(at: number): void {
    const items = this.#items;
    let i = at;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < items.length && this.less(items[left] as T, items[smallest] as T)) smallest = left;
      if (right < items.length && this.less(items[right] as T, items[smallest] as T)) smallest = right;
      if (smallest === i) return;
      this.#swap(i, smallest);
      i = smallest;
    }
  }
}
