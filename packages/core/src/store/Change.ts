import { deepFreeze, plainCopy, shareUnchanged } from '../objects/freeze';
import type { KubeObject } from '../resource/defineResource';
import type { WatchEvent } from './types';

/**
 * One applied log entry for one object: the unit of watch, history and time
 * travel. Its object is built on first use: a store rebuilt from a long log
 * never parses (or freezes) versions nobody reads.
 */
export class Change {
  private added: WatchEvent<KubeObject> | undefined;
  private modified: WatchEvent<KubeObject> | undefined;
  private deletedEvent: WatchEvent<KubeObject> | undefined;
  private leftEvent: WatchEvent<KubeObject> | undefined;
  private built: KubeObject | undefined;
  private entry: { readonly data: unknown } | undefined;

  constructor(
    readonly revision: number,
    readonly key: string,
    /** The log entry; its data (the object as written, without resourceVersion) is read only when needed. */
    entry: { readonly data: unknown },
    /** The change this one follows (the key's live version before it), if any. */
    private before: Change | undefined,
    readonly deleted: boolean,
    readonly actor: string,
    readonly reason: string | undefined,
  ) {
    this.entry = entry;
  }

  /**
   * The object after the change (for a deletion, its last state), stamped
   * with its resourceVersion and deeply frozen. This store's own writes
   * arrive frozen and already sharing with the previous version; entries from
   * elsewhere (a file, another process) share with the previous version when
   * that one was built, and are frozen here.
   */
  get object(): KubeObject {
    if (this.built === undefined) {
      const data = (this.entry as { readonly data: unknown }).data as KubeObject;
      const resourceVersion = String(this.revision);
      const stamped = plainCopy(data, { metadata: plainCopy(data.metadata, { resourceVersion }) });
      if (Object.isFrozen(data)) {
        this.built = Object.freeze(Object.assign(stamped, { metadata: Object.freeze(stamped.metadata) }));
      } else {
        const previous = this.before?.built;
        this.built = deepFreeze(previous ? shareUnchanged(previous, stamped) : stamped);
      }
      this.entry = undefined;
    }
    return this.built;
  }

  /**
   * Drops the link to the change before this one, once compaction made this
   * the oldest version kept: otherwise every compacted version of the key
   * stays reachable through the chain.
   */
  forgetPrevious(): void {
    this.before = undefined;
  }

  /** The object before the change, if it existed. */
  get previous(): KubeObject | undefined {
    return this.before?.object;
  }

  // One event object per kind of event, shared by every watcher that gets it.
  addedEvent(): WatchEvent<KubeObject> {
    this.added ??= Object.freeze({ type: 'ADDED' as const, object: this.object });
    return this.added;
  }

  modifiedEvent(): WatchEvent<KubeObject> {
    this.modified ??= Object.freeze({ type: 'MODIFIED' as const, object: this.object });
    return this.modified;
  }

  deletedEventFor(): WatchEvent<KubeObject> {
    this.deletedEvent ??= Object.freeze({ type: 'DELETED' as const, object: this.object });
    return this.deletedEvent;
  }

  /**
   * For a watcher whose selector the object stopped matching: DELETED with
   * the previous content at this change's resourceVersion, as Kubernetes sends.
   */
  leftSelectorEvent(): WatchEvent<KubeObject> {
    if (!this.leftEvent) {
      const previous = this.previous as KubeObject;
      const resourceVersion = String(this.revision);
      const object = Object.freeze(
        plainCopy(previous, { metadata: Object.freeze(plainCopy(previous.metadata, { resourceVersion })) }),
      );
      this.leftEvent = Object.freeze({ type: 'DELETED' as const, object });
    }
    return this.leftEvent;
  }
}
