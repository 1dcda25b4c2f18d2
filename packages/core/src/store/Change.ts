import type { KubeObject } from '../resource/defineResource';
import type { WatchEvent } from './types';

/** One applied log entry for one object: the unit of watch, history and time travel. */
export class Change {
  private added: WatchEvent<KubeObject> | undefined;
  private modified: WatchEvent<KubeObject> | undefined;
  private deletedEvent: WatchEvent<KubeObject> | undefined;
  private leftEvent: WatchEvent<KubeObject> | undefined;

  constructor(
    readonly revision: number,
    readonly key: string,
    /** The object after the change; for a deletion, its last state. */
    readonly object: KubeObject,
    readonly previous: KubeObject | undefined,
    readonly deleted: boolean,
    readonly actor: string,
    readonly reason: string | undefined,
  ) {}

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
      const object = Object.freeze({
        ...previous,
        metadata: Object.freeze({ ...previous.metadata, resourceVersion: String(this.revision) }),
      });
      this.leftEvent = Object.freeze({ type: 'DELETED' as const, object });
    }
    return this.leftEvent;
  }
}
