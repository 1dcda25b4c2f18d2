import type { Subscriber } from 'rxjs';
import type { KubeObject, ResourceType } from '../resource/defineResource';
import type { FieldSelector, LabelSelector } from '../selectors/index';
import type { Change } from '../store/Change';
import type { WatchEvent } from '../store/types';

/** @internal A watch's filter and where its events go. */
export interface Watcher {
  namespace: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
  subscriber: Subscriber<WatchEvent<KubeObject>>;
  /** The indexed field this watcher is filed under, with its required value. */
  indexed?: { field: string; value: string };
}

/** @internal Reads a selectable field of an object of `type`. */
export function fieldOf(type: ResourceType, object: KubeObject, field: string): string | undefined {
  if (field === 'metadata.name') return object.metadata.name;
  if (field === 'metadata.namespace') return object.metadata.namespace ?? '';
  return type.fields[field]?.get(object);
}

/** @internal Whether `object` passes a watcher's (or a list's) filter. */
export function matches(
  type: ResourceType,
  object: KubeObject,
  namespace: string | undefined,
  labels: LabelSelector,
  fields: FieldSelector,
): boolean {
  if (namespace !== undefined && object.metadata.namespace !== namespace) return false;
  if (!labels.empty && !labels.matches(object.metadata.labels)) return false;
  return fields.empty || fields.matches((field) => fieldOf(type, object, field));
}

function addTo<K>(map: Map<K, Set<Watcher>>, key: K, watcher: Watcher): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(watcher);
}

function removeFrom<K>(map: Map<K, Set<Watcher>>, key: K, watcher: Watcher): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(watcher);
  if (set.size === 0) map.delete(key);
}

/**
 * @internal The watchers of one kind, indexed so that a change only looks at
 * watchers that could care: those of its namespace, those on an indexed
 * field's old or new value (5,000 node agents each watching their own pods
 * cost O(1) per pod update), and those with no such filter.
 */
export class WatchIndex {
  private readonly unfiltered = new Set<Watcher>();
  private readonly byNamespace = new Map<string, Set<Watcher>>();
  private readonly byField = new Map<string, Map<string, Set<Watcher>>>();

  constructor(private readonly type: ResourceType) {}

  /** How many watchers this kind has (kept as a count: read on every change). */
  size = 0;

  add(watcher: Watcher): void {
    this.size++;
    for (const field of Object.keys(this.type.fields)) {
      const value = this.type.fields[field]?.indexed ? watcher.fields.requiredValue(field) : undefined;
      if (value !== undefined) {
        watcher.indexed = { field, value };
        let values = this.byField.get(field);
        if (!values) {
          values = new Map();
          this.byField.set(field, values);
        }
        addTo(values, value, watcher);
        return;
      }
    }
    if (watcher.namespace !== undefined) addTo(this.byNamespace, watcher.namespace, watcher);
    else this.unfiltered.add(watcher);
  }

  remove(watcher: Watcher): void {
    this.size--;
    if (watcher.indexed) {
      const values = this.byField.get(watcher.indexed.field);
      if (values) {
        removeFrom(values, watcher.indexed.value, watcher);
        if (values.size === 0) this.byField.delete(watcher.indexed.field);
      }
    } else if (watcher.namespace !== undefined) {
      removeFrom(this.byNamespace, watcher.namespace, watcher);
    } else {
      this.unfiltered.delete(watcher);
    }
  }

  /** Sends `change` to every watcher it concerns, as ADDED, MODIFIED or DELETED for that watcher. */
  dispatch(change: Change): void {
    for (const watcher of this.unfiltered) deliver(this.type, watcher, change);
    const namespace = change.object.metadata.namespace;
    if (namespace !== undefined) {
      const set = this.byNamespace.get(namespace);
      if (set) for (const watcher of set) deliver(this.type, watcher, change);
    }
    for (const [field, values] of this.byField) {
      const now = change.deleted ? undefined : fieldOf(this.type, change.object, field);
      const before = change.previous ? fieldOf(this.type, change.previous, field) : undefined;
      const deletedValue = change.deleted ? fieldOf(this.type, change.object, field) : undefined;
      const seen = now ?? deletedValue;
      if (seen !== undefined) {
        const set = values.get(seen);
        if (set) for (const watcher of set) deliver(this.type, watcher, change);
      }
      if (before !== undefined && before !== seen) {
        const set = values.get(before);
        if (set) for (const watcher of set) deliver(this.type, watcher, change);
      }
    }
  }
}

/** @internal The event one watcher gets for one change, if any. */
export function eventFor(type: ResourceType, watcher: Watcher, change: Change): WatchEvent<KubeObject> | undefined {
  const { namespace, labels, fields } = watcher;
  const wasIn = change.previous !== undefined && matches(type, change.previous, namespace, labels, fields);
  if (change.deleted) {
    const lastIn = matches(type, change.object, namespace, labels, fields);
    return lastIn ? change.deletedEventFor() : undefined;
  }
  const isIn = matches(type, change.object, namespace, labels, fields);
  if (isIn) return wasIn ? change.modifiedEvent() : change.addedEvent();
  return wasIn ? change.leftSelectorEvent() : undefined;
}

function deliver(type: ResourceType, watcher: Watcher, change: Change): void {
  const event = eventFor(type, watcher, change);
  if (event) watcher.subscriber.next(event);
}
