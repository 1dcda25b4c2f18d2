/**
 * Storage in a test cluster: the storage controllers with the mock CSI
 * driver (and any provisioners the test brings), and a default
 * StorageClass `standard` like kind's.
 */
import { StorageClass } from '@keelson/api';
import type { Clock } from '@keelson/clock';
import type { Controller, Recorder } from '@keelson/controller';
import { InvalidError, isKeelsonError, type Store } from '@keelson/core';
import type { MockDisks } from '@keelson/runtime-mock';
import {
  ANN_DEFAULT_STORAGE_CLASS,
  createMockProvisioner,
  MOCK_CSI_DRIVER,
  type MockProvisioner,
  type Provisioner,
  storageControllers,
} from '@keelson/storage';
import type { TestClusterOptions } from './types';

/** The default StorageClass of a test cluster. */
export const STANDARD_STORAGE_CLASS = 'standard';

/** The storage side of a cluster, before its store exists. */
export interface ClusterStorage {
  mock: MockProvisioner;
  controllers: Controller[];
  /** Points the controllers' events at a recorder once the store exists. */
  setRecorder(recorder: Recorder): void;
}

/** Builds the mock driver and the storage controllers from the cluster options; bad options throw at once. */
export function clusterStorage(options: TestClusterOptions, clock: Clock, disks: MockDisks): ClusterStorage {
  const extra = options.provisioners ?? [];
  if (!Array.isArray(extra)) {
    throw new InvalidError('createTestCluster: provisioners must be a list of provisioners (from @keelson/storage)');
  }
  if (extra.some((p: Provisioner | undefined) => p?.name === MOCK_CSI_DRIVER)) {
    throw new InvalidError(
      `createTestCluster: provisioners: "${MOCK_CSI_DRIVER}" is the cluster's own mock driver; configure it with mockProvisioner`,
    );
  }
  const mockOptions = options.mockProvisioner ?? {};
  if (mockOptions === null || typeof mockOptions !== 'object') {
    throw new InvalidError('createTestCluster: mockProvisioner must be an object of createMockProvisioner options');
  }
  const { onDelete } = mockOptions;
  // Deleting a volume wipes its disk on the nodes' shared store (refused while a node still publishes it).
  const mock = createMockProvisioner({
    ...mockOptions,
    clock,
    onDelete: async (handle) => {
      disks.delete(handle);
      await onDelete?.(handle);
    },
  });
  let recorder: Recorder | undefined;
  const lazyRecorder: Recorder = { event: async (...args) => recorder?.event(...args) };
  const controllers = storageControllers({ provisioners: [mock, ...extra], recorder: lazyRecorder });
  return {
    mock,
    controllers,
    setRecorder(next) {
      recorder = next;
    },
  };
}

/**
 * Creates `standard` — the default class (`storageclass.kubernetes.io/is-default-class: "true"`)
 * of the mock driver, WaitForFirstConsumer, reclaim policy Delete, expansion allowed — unless it exists.
 */
export async function ensureStandardStorageClass(store: Store): Promise<void> {
  try {
    await store.create(StorageClass, {
      metadata: { name: STANDARD_STORAGE_CLASS, annotations: { [ANN_DEFAULT_STORAGE_CLASS]: 'true' } },
      provisioner: MOCK_CSI_DRIVER,
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    } as never);
  } catch (error) {
    if (!isKeelsonError(error, 'AlreadyExists')) throw error;
  }
}
