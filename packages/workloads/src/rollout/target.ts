/**
 * What every rollout command starts from, as kubectl's do: the Deployment
 * named by a reference, and the ReplicaSets it controls.
 */
import { Deployment, ReplicaSet } from '@keelson/api';
import { InvalidError, type Store } from '@keelson/core';
import { isControlledBy } from '../shared/index';

/** The store a rollout command reads and writes (a `Store`, or a store `as(actor)`). */
export type RolloutStore = Pick<Store, 'get' | 'list' | 'patch' | 'clock'>;

/** Which Deployment: its name and namespace (default `default`). */
export interface RolloutRef {
  name: string;
  namespace?: string;
}

/** The reference checked, with its namespace filled in. */
export interface ResolvedRef {
  name: string;
  namespace: string;
}

/** Checks `ref` for the command `command`, refusing what names no Deployment. */
export function resolveRef(command: string, ref: RolloutRef): ResolvedRef {
  if (typeof ref !== 'object' || ref === null || typeof ref.name !== 'string' || ref.name === '') {
    throw new InvalidError(`${command}: ref.name must be the name of a Deployment, such as { name: "web" }`);
  }
  if (ref.namespace !== undefined && (typeof ref.namespace !== 'string' || ref.namespace === '')) {
    throw new InvalidError(`${command}: ref.namespace must be a namespace name, or left out for "default"`);
  }
  return { name: ref.name, namespace: ref.namespace ?? 'default' };
}

/** kubectl's name for the object in its messages: `deployments.apps "web"`. */
export function qualifiedName(ref: ResolvedRef): string {
  return `deployments.apps "${ref.name}"`;
}

/** The Deployment (a `NotFoundError` if there is none). */
export function getDeployment(store: RolloutStore, ref: ResolvedRef): Promise<Deployment> {
  return store.get(Deployment, ref.name, { namespace: ref.namespace });
}

/** The ReplicaSets the Deployment selects and controls (`GetAllReplicaSets`). */
export async function ownedReplicaSets(store: RolloutStore, deployment: Deployment): Promise<ReplicaSet[]> {
  const { items } = await store.list(ReplicaSet, {
    namespace: deployment.metadata.namespace,
    labelSelector: deployment.spec.selector,
  });
  return items.filter((rs) => isControlledBy(rs, deployment));
}
