/**
 * Test support for the Deployment controller: what the ReplicaSet
 * controller would report, written by hand, so Deployment tests run the
 * Deployment controller alone. Not exported from the package.
 */
import { Deployment, ReplicaSet } from '@keelson/api';
import type { InputOf, Store } from '@keelson/core';
import { REVISION_ANNOTATION } from './constants';
import { revisionOf } from './replicaSets';

/** Options of {@link createWebDeployment}. */
export interface WebDeploymentOptions {
  name?: string;
  replicas?: number;
  image?: string;
  strategy?: InputOf<typeof Deployment>['spec']['strategy'];
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  paused?: boolean;
  annotations?: Record<string, string>;
}

/** Creates a Deployment of `app: <name>` pods running `image` in `default`. */
export async function createWebDeployment(store: Store, options: WebDeploymentOptions = {}): Promise<Deployment> {
  const name = options.name ?? 'web';
  return store.create(Deployment, {
    metadata: {
      name,
      namespace: 'default',
      ...(options.annotations === undefined ? {} : { annotations: options.annotations }),
    },
    spec: {
      replicas: options.replicas ?? 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: options.image ?? 'nginx:1.25' }] },
      },
      ...(options.strategy === undefined ? {} : { strategy: options.strategy }),
      ...(options.minReadySeconds === undefined ? {} : { minReadySeconds: options.minReadySeconds }),
      ...(options.revisionHistoryLimit === undefined ? {} : { revisionHistoryLimit: options.revisionHistoryLimit }),
      ...(options.progressDeadlineSeconds === undefined
        ? {}
        : { progressDeadlineSeconds: options.progressDeadlineSeconds }),
      ...(options.paused === undefined ? {} : { paused: options.paused }),
    },
  });
}

/** Changes the Deployment's image: a new template, so a new rollout. */
export async function setImage(store: Store, image: string, name = 'web'): Promise<Deployment> {
  return store.patch(
    Deployment,
    name,
    (draft) => {
      const container = draft.spec.template.spec.containers[0];
      if (container) container.image = image;
      return undefined;
    },
    { namespace: 'default' },
  );
}

/** Sets `spec.replicas` of the Deployment. */
export async function setReplicas(store: Store, replicas: number, name = 'web'): Promise<Deployment> {
  return store.patch(
    Deployment,
    name,
    (draft) => {
      draft.spec.replicas = replicas;
      return undefined;
    },
    { namespace: 'default' },
  );
}

/** The Deployment as stored. */
export function getDeployment(store: Store, name = 'web'): Promise<Deployment> {
  return store.get(Deployment, name, { namespace: 'default' });
}

/** The ReplicaSets in `default` whose names start with `<name>-`, lowest revision first. */
export async function replicaSetsOf(store: Store, name = 'web'): Promise<ReplicaSet[]> {
  const { items } = await store.list(ReplicaSet, { namespace: 'default' });
  return items
    .filter((rs) => rs.metadata.name.startsWith(`${name}-`))
    .sort((a, b) => (revisionOf(a) ?? 0) - (revisionOf(b) ?? 0));
}

/** The ReplicaSet of the Deployment carrying this revision. */
export async function replicaSetAtRevision(store: Store, revision: number, name = 'web'): Promise<ReplicaSet> {
  const found = (await replicaSetsOf(store, name)).find(
    (rs) => rs.metadata.annotations?.[REVISION_ANNOTATION] === String(revision),
  );
  if (!found) throw new Error(`no ReplicaSet of ${name} at revision ${revision}`);
  return found;
}

/** What the ReplicaSet controller reports about one ReplicaSet. */
export interface ReplicaSetReport {
  replicas: number;
  ready?: number;
  available?: number;
  conditions?: NonNullable<ReplicaSet['status']>['conditions'];
}

/** Writes a ReplicaSet's status as its controller would, having observed its latest spec. */
export async function reportReplicaSet(store: Store, rs: ReplicaSet, report: ReplicaSetReport): Promise<ReplicaSet> {
  const current = await store.get(ReplicaSet, rs.metadata.name, { namespace: rs.metadata.namespace });
  const ready = report.ready ?? report.available ?? report.replicas;
  return store.updateStatus({
    ...current,
    status: {
      replicas: report.replicas,
      fullyLabeledReplicas: report.replicas,
      readyReplicas: ready,
      availableReplicas: report.available ?? ready,
      observedGeneration: current.metadata.generation,
      ...(report.conditions === undefined ? {} : { conditions: report.conditions }),
    },
  });
}

/**
 * Every ReplicaSet of the Deployment runs exactly `spec.replicas` pods, all
 * available: the world once the ReplicaSet controller and the kubelets
 * have caught up.
 */
export async function settleReplicaSets(store: Store, name = 'web'): Promise<void> {
  for (const rs of await replicaSetsOf(store, name)) {
    await reportReplicaSet(store, rs, { replicas: rs.spec.replicas });
  }
}
