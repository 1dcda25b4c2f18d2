/**
 * The cache view {@link Expectations.satisfied} checks a controller's own
 * creates and deletes against, for pods of one namespace.
 */
import { Pod } from '@keelson/api';
import type { Cache } from '@keelson/controller';
import type { ObservedState } from './expectations';

/**
 * Pods of `namespace` as expectations see them: `has` reads one pod by
 * name; `live` (asked only while deletions are pending) walks the
 * namespace once per call of this function and then answers from a set of
 * uids, so a sync with nothing pending never walks the namespace.
 */
export function observedPods(cache: Cache, namespace: string | undefined): ObservedState {
  let live: Set<string> | undefined;
  return {
    has: (name) => cache.get(Pod, name, namespace) !== undefined,
    live: (uid) => {
      live ??= new Set(
        cache
          .list(Pod, { namespace })
          .filter((pod) => pod.metadata.deletionTimestamp === undefined)
          .map((pod) => pod.metadata.uid),
      );
      return live.has(uid);
    },
  };
}
