/**
 * Data plugins share within one scheduling cycle of one pod (Kubernetes'
 * `CycleState`): PreFilter computes, Filter and Score read. Preemption
 * clones it to simulate removing victims, so values that change under
 * `addPod` / `removePod` implement {@link Cloneable}.
 */

/** A state value that preemption's simulation must copy rather than share. */
export interface Cloneable<T> {
  clone(): T;
}

function isCloneable(value: unknown): value is Cloneable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { clone?: unknown }).clone === 'function';
}

export class CycleState {
  readonly #data = new Map<string, unknown>();
  /** Plugins whose PreFilter returned Skip: their Filter does not run this cycle. */
  readonly skipFilter = new Set<string>();
  /** Plugins whose PreScore returned Skip: their Score does not run this cycle. */
  readonly skipScore = new Set<string>();
  /** The Filter plugins that run this cycle (set by the framework after PreFilter). */
  activeFilters: readonly unknown[] | undefined;

  /** The value a plugin stored under `key`, or `undefined`. */
  read<T>(key: string): T | undefined {
    return this.#data.get(key) as T | undefined;
  }

  /** Stores `value` under `key` for the rest of the cycle. */
  write(key: string, value: unknown): void {
    this.#data.set(key, value);
  }

  /** A copy whose cloneable values are cloned (for preemption's what-if runs). */
  clone(): CycleState {
    const copy = new CycleState();
    for (const [key, value] of this.#data) copy.#data.set(key, isCloneable(value) ? value.clone() : value);
    for (const name of this.skipFilter) copy.skipFilter.add(name);
    for (const name of this.skipScore) copy.skipScore.add(name);
    copy.activeFilters = this.activeFilters;
    return copy;
  }
}
