/**
 * The claims, volumes and storage classes the volume plugins read, served
 * from informers. Every change tells the scheduling queue (so pods a volume
 * plugin rejected are retried) and the PreBind waits for bindings.
 */
import { PersistentVolume, PersistentVolumeClaim, StorageClass } from '@keelson/api';
import { createInformer, type Informer } from '@keelson/controller';
import type { Store } from '@keelson/core';
import type { ClusterEventKind } from '../framework/types';
import type { VolumeLister } from '../plugins/volumes/lister';

const byClass = { byClass: (pv: PersistentVolume) => [pv.spec.storageClassName ?? ''] };

export class VolumeInformers implements VolumeLister {
  readonly #claims: Informer<PersistentVolumeClaim>;
  readonly #volumes: Informer<PersistentVolume>;
  readonly #classes: Informer<StorageClass>;
  readonly #listeners = new Set<() => void>();

  constructor(store: Store, onEvent: (event: ClusterEventKind) => void) {
    this.#claims = createInformer(store, PersistentVolumeClaim);
    this.#volumes = createInformer(store, PersistentVolume, { indexers: byClass });
    this.#classes = createInformer(store, StorageClass);
    const changed = (event: ClusterEventKind) => {
      onEvent(event);
      for (const listener of [...this.#listeners]) listener();
    };
    this.#claims.on('add', (_o, initial) => initial || changed('PersistentVolumeClaimAdd'));
    this.#claims.on('update', () => changed('PersistentVolumeClaimUpdate'));
    this.#claims.on('delete', () => changed('PersistentVolumeClaimUpdate'));
    this.#volumes.on('add', (_o, initial) => initial || changed('PersistentVolumeAdd'));
    this.#volumes.on('update', () => changed('PersistentVolumeUpdate'));
    this.#volumes.on('delete', () => changed('PersistentVolumeUpdate'));
    this.#classes.on('add', (_o, initial) => initial || onEvent('StorageClassAdd'));
    this.#classes.on('update', () => onEvent('StorageClassUpdate'));
  }

  async start(): Promise<void> {
    const informers = [this.#claims, this.#volumes, this.#classes];
    for (const informer of informers) informer.start();
    await Promise.all(informers.map((informer) => informer.waitForSync()));
  }

  #closed = false;

  /** Stops the informers; waits for bindings see `closed` and give up. */
  stop(): void {
    for (const informer of [this.#claims, this.#volumes, this.#classes]) informer.stop();
    this.#closed = true;
    for (const listener of [...this.#listeners]) listener();
    this.#listeners.clear();
  }

  get closed(): boolean {
    return this.#closed;
  }

  claim(namespace: string, name: string): PersistentVolumeClaim | undefined {
    return this.#claims.get(name, namespace);
  }

  volume(name: string): PersistentVolume | undefined {
    return this.#volumes.get(name);
  }

  volumesOfClass(className: string): readonly PersistentVolume[] {
    return this.#volumes.byIndex('byClass', className);
  }

  storageClass(name: string): StorageClass | undefined {
    return this.#classes.get(name);
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
