/** A store's watch of one kind (see `Store.watch`). */
import { Observable } from 'rxjs';
import type { KubeObject, ResourceType } from '../resource/defineResource';
import type { FieldSelector, LabelSelector } from '../selectors/index';
import { eventFor, matches, type Watcher } from '../watch/WatchIndex';
import type { Change } from './Change';
import type { StoreCore } from './StoreCore';
import type { WatchEvent, WatchOptions } from './types';

/** How often a watch with `allowBookmarks` gets a BOOKMARK, on the store's clock. */
export const BOOKMARK_INTERVAL_MS = 60_000;

function byNamespaceAndName(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.namespace ?? '';
  const bn = b.metadata.namespace ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

function lowerBound(changes: readonly Change[], revision: number): number {
  let lo = 0;
  let hi = changes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((changes[mid] as Change).revision < revision) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** @internal The Observable behind `store.watch`; `authorize` rejects when the actor may not watch. */
export function watchObjects<T extends KubeObject>(
  core: StoreCore,
  type: ResourceType<T, unknown>,
  options: WatchOptions,
  parsed: { labels: LabelSelector; fields: FieldSelector },
  authorize: () => Promise<void>,
): Observable<WatchEvent<T>> {
  return new Observable<WatchEvent<T>>((subscriber) => {
    let watcher: Watcher | undefined;
    let bookmark: ReturnType<typeof core.clock.setTimeout> | undefined;
    let stopped = false;
    const state = core.typeState(type);
    const { labels, fields } = parsed;
    const namespace = type.namespaced && options.namespace ? options.namespace : undefined;
    const start = () => {
      if (stopped) return;
      watcher = { namespace, labels, fields, subscriber: subscriber as never };
      const from = options.resourceVersion;
      if (from === undefined || from === '' || from === '0') {
        const initial = [...state.live.values()]
          .map((c) => c.object)
          .filter((o) => matches(type, o, namespace, labels, fields));
        initial.sort(byNamespaceAndName);
        for (const object of initial) subscriber.next({ type: 'ADDED', object: object as T });
      } else {
        const after = Number(from);
        for (const change of state.changes.slice(lowerBound(state.changes, after + 1))) {
          const event = eventFor(type, watcher, change);
          if (event) subscriber.next(event as WatchEvent<T>);
        }
      }
      state.watchers.add(watcher);
      if (options.allowBookmarks) {
        const tick = () => {
          subscriber.next({
            type: 'BOOKMARK',
            object: {
              apiVersion: type.apiVersion,
              kind: type.kind,
              metadata: { resourceVersion: String(core.projection.revision) },
            },
          });
          bookmark = core.clock.setTimeout(tick, BOOKMARK_INTERVAL_MS, { background: true });
        };
        bookmark = core.clock.setTimeout(tick, BOOKMARK_INTERVAL_MS, { background: true });
      }
    };
    authorize()
      .then(() => core.atLeast(options.resourceVersion))
      .then(start, (error: unknown) => subscriber.error(error));
    return () => {
      stopped = true;
      if (watcher) state.watchers.remove(watcher);
      if (bookmark !== undefined) core.clock.clearTimeout(bookmark);
    };
  });
}
