/**
 * Test support for the storage controllers: a store of the built-in kinds
 * (with built-in admission) on a virtual clock, a manager running the
 * storage controllers with a mock provisioner, and builders for classes,
 * volumes, claims and nodes. Not exported from the package.
 */
import {
  builtinAdmission,
  builtinTypes,
  Event,
  ensureSystemNamespaces,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  StorageClass,
} from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { createEventRecorder, createManager, type Manager } from '@keelson/controller';
import { createMemoryLogger, createStore, type LogLine, type Store } from '@keelson/core';
import { afterEach } from 'vitest';
import {
  createMockProvisioner,
  type MockProvisioner,
  type MockProvisionerOptions,
} from './provisioner/mockProvisioner';
import { storageControllers } from './storageControllers';

/** Virtual time zero of every test: 2026-01-01T00:00:00Z. */
export const START = Date.UTC(2026, 0, 1);

/** What {@link startStorage} hands a test. */
export interface StorageHarness {
  clock: VirtualClock;
  store: Store;
  manager: Manager;
  mock: MockProvisioner;
  errors: string[];
  /** Every line the manager and the storage controllers logged. */
  logs: LogLine[];
  /** Advances virtual time by `ms` and lets every queue drain. */
  advance(ms?: number): Promise<void>;
  /** The events recorded about an object, as `reason: message`. */
  events(name: string): Promise<string[]>;
  claim(name: string): Promise<PersistentVolumeClaim>;
  volume(name: string): Promise<PersistentVolume>;
  stop(): Promise<void>;
}

/** A store, a manager running every storage controller, and the mock driver on the virtual clock. */
export async function startStorage(mockOptions: Omit<MockProvisionerOptions, 'clock'> = {}): Promise<StorageHarness> {
  const clock = new VirtualClock(START);
  const store = await createStore({
    types: builtinTypes,
    admission: builtinAdmission(),
    clock,
    random: createRandom(7, 'storage-test'),
    logger: { warn() {} },
  });
  await ensureSystemNamespaces(store);
  const mock = createMockProvisioner({ ...mockOptions, clock });
  const errors: string[] = [];
  const logger = createMemoryLogger((line) => {
    if (line.level === 'error') errors.push(`${line.message} ${JSON.stringify(line.fields)}`);
  });
  const manager = createManager({
    store,
    clock,
    recorder: createEventRecorder(store, { component: 'persistentvolume-controller', clock }),
    logger,
  });
  for (const controller of storageControllers({ provisioners: [mock] })) manager.add(controller);
  await manager.start();
  const advance = async (ms = 0) => {
    await clock.advance(ms);
    for (let i = 0; i < 20; i++) await clock.advance(0);
  };
  await advance();
  return {
    clock,
    store,
    manager,
    mock,
    errors,
    logs: logger.lines,
    advance,
    async events(name) {
      const { items } = await store.list(Event, { fieldSelector: `involvedObject.name=${name}` });
      return items.map((e) => `${e.reason}: ${e.message}`);
    },
    claim: (name) => store.get(PersistentVolumeClaim, name, { namespace: 'default' }),
    volume: (name) => store.get(PersistentVolume, name),
    stop: () => manager.stop(),
  };
}

type AccessMode = 'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod';

/** A hostPath volume of `storage`, Available once the controller has seen it. */
export function createVolume(
  store: Store,
  name: string,
  storage: string,
  extra: {
    accessModes?: AccessMode[];
    storageClassName?: string;
    labels?: Record<string, string>;
    volumeMode?: 'Filesystem' | 'Block';
    claimRef?: { name: string; namespace: string };
    reclaimPolicy?: 'Retain' | 'Delete';
  } = {},
): Promise<PersistentVolume> {
  return store.create(PersistentVolume, {
    metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: {
      capacity: { storage },
      accessModes: extra.accessModes ?? ['ReadWriteOnce'],
      hostPath: { path: `/data/${name}` },
      ...(extra.storageClassName === undefined ? {} : { storageClassName: extra.storageClassName }),
      ...(extra.volumeMode === undefined ? {} : { volumeMode: extra.volumeMode }),
      ...(extra.claimRef === undefined ? {} : { claimRef: extra.claimRef }),
      ...(extra.reclaimPolicy === undefined ? {} : { persistentVolumeReclaimPolicy: extra.reclaimPolicy }),
    },
  } as never);
}

/** A claim in `default` asking for `storage`. */
export function createClaim(
  store: Store,
  name: string,
  storage: string,
  extra: {
    accessModes?: AccessMode[];
    storageClassName?: string;
    selector?: { matchLabels: Record<string, string> };
    volumeName?: string;
    volumeMode?: 'Filesystem' | 'Block';
  } = {},
): Promise<PersistentVolumeClaim> {
  return store.create(PersistentVolumeClaim, {
    metadata: { name, namespace: 'default' },
    spec: {
      accessModes: extra.accessModes ?? ['ReadWriteOnce'],
      resources: { requests: { storage } },
      ...(extra.storageClassName === undefined ? {} : { storageClassName: extra.storageClassName }),
      ...(extra.selector === undefined ? {} : { selector: extra.selector }),
      ...(extra.volumeName === undefined ? {} : { volumeName: extra.volumeName }),
      ...(extra.volumeMode === undefined ? {} : { volumeMode: extra.volumeMode }),
    },
  } as never);
}

/** A StorageClass of the mock driver. */
export function createClass(
  store: Store,
  name: string,
  extra: Partial<
    Pick<
      StorageClass,
      'volumeBindingMode' | 'reclaimPolicy' | 'allowVolumeExpansion' | 'mountOptions' | 'allowedTopologies'
    >
  > & {
    provisioner?: string;
    default?: boolean;
  } = {},
): Promise<StorageClass> {
  const { provisioner = 'mock.csi.keelson.dev', default: isDefault, ...fields } = extra;
  return store.create(StorageClass, {
    metadata: {
      name,
      ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}),
    },
    provisioner,
    ...fields,
  } as never);
}

/** A node with a zone label. */
export function createNode(store: Store, name: string, zone?: string): Promise<Node> {
  return store.create(Node, {
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        ...(zone === undefined ? {} : { 'topology.kubernetes.io/zone': zone }),
      },
    },
  } as never);
}

/** A {@link startStorage} whose harnesses are stopped after each test of the file. */
export function storageStoppedAfterEach(): typeof startStorage {
  const started: StorageHarness[] = [];
  afterEach(async () => {
    for (const harness of started.splice(0)) await harness.stop();
  });
  return async (options) => {
    const harness = await startStorage(options);
    started.push(harness);
    return harness;
  };
}
