/** Objects the disruption tests build: a ReplicaSet, its pods on nodes, a budget. Not exported from the package. */
import { Pod, PodDisruptionBudget, ReplicaSet } from '@keelson/api';
import type { Store } from '@keelson/core';
import { controllerRefTo } from '../shared/index';
import { setPodStatus } from '../testSupport';

/** A ReplicaSet `web` (label app=web) with `replicas`; no controller runs it, the tests make its pods. */
export function createWebReplicaSet(store: Store, replicas: number): Promise<ReplicaSet> {
  return store.create(ReplicaSet, {
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
    },
  });
}

/** What {@link createPod} may vary. */
export interface PodOptions {
  owner?: ReplicaSet;
  node?: string;
  ready?: boolean;
  labels?: Record<string, string>;
  emptyDir?: boolean;
}

/** A pod `name` (label app=web unless `labels`), bound to `node`, Running and Ready unless `ready: false`. */
export async function createPod(store: Store, name: string, options: PodOptions = {}): Promise<Pod> {
  const pod = await store.create(Pod, {
    metadata: {
      name,
      namespace: 'default',
      labels: options.labels ?? { app: 'web' },
      ...(options.owner === undefined ? {} : { ownerReferences: [controllerRefTo(options.owner)] }),
    },
    spec: {
      containers: [{ name: 'app', image: 'nginx:1.25' }],
      ...(options.node === undefined ? {} : { nodeName: options.node }),
      ...(options.emptyDir ? { volumes: [{ name: 'scratch', emptyDir: {} }] } : {}),
    },
  });
  await setPodStatus(store, pod, { phase: 'Running', ready: options.ready ?? true });
  return store.get(Pod, name, { namespace: 'default' });
}

/** A budget `web` over app=web with the given bounds. */
export function createBudget(
  store: Store,
  spec: {
    minAvailable?: number | string;
    maxUnavailable?: number | string;
    unhealthyPodEvictionPolicy?: 'AlwaysAllow';
  },
  name = 'web',
): Promise<PodDisruptionBudget> {
  return store.create(PodDisruptionBudget, {
    metadata: { name, namespace: 'default' },
    spec: { ...spec, selector: { matchLabels: { app: 'web' } } },
  });
}

/** The budget's status as stored now. */
export async function budgetStatus(store: Store, name = 'web') {
  return (await store.get(PodDisruptionBudget, name, { namespace: 'default' })).status;
}
