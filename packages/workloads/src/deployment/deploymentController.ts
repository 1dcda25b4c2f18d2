/**
 * The Deployment controller (deployment_controller.go): for each
 * Deployment it claims the ReplicaSets its selector picks, then either
 * reports only (being deleted), scales (paused, or `spec.replicas` changed)
 * or takes one step of its strategy, RollingUpdate or Recreate. The
 * ReplicaSet controller does the pods; this one only sizes ReplicaSets.
 */
import { Deployment, Pod, ReplicaSet } from '@keelson/api';
import {
  type Cache,
  type Controller,
  defineController,
  type ReconcileContext,
  type Request,
  type Result,
  TerminalError,
  watchSource,
} from '@keelson/controller';
import { InvalidError, isKeelsonError, labelSelectorFromStructured } from '@keelson/core';
import { claimCandidates, claimObjects, controllerOf, ownersSelecting, requestFor } from '../shared/index';
import { MAX_SYNC_RETRIES } from './constants';
import { DeploymentSync } from './deploymentSync';
import { rolloutRecreate } from './rolloutRecreate';
import { rolloutRolling } from './rolloutRolling';
import { checkPausedConditions, isScalingEvent, syncScaling, syncStatusOnly } from './syncSteps';

/** Options for {@link deploymentController}. */
export interface DeploymentControllerOptions {
  /**
   * Consecutive failed syncs of one Deployment after which it is dropped
   * from the queue until its next event (Kubernetes: 15).
   */
  maxRetries?: number;
}

/** A deleted pod wakes its Recreate Deployment (through its ReplicaSet), which may be waiting for it to go. */
function recreateDeploymentOf(pod: Pod, cache: Cache): Request[] {
  const podOwner = controllerOf(pod);
  if (podOwner?.kind !== 'ReplicaSet') return [];
  const rs = cache.get(ReplicaSet, podOwner.name, pod.metadata.namespace);
  if (rs === undefined || rs.metadata.uid !== podOwner.uid) return [];
  const rsOwner = controllerOf(rs);
  if (rsOwner?.kind !== 'Deployment') return [];
  const d = cache.get(Deployment, rsOwner.name, rs.metadata.namespace);
  if (d === undefined || d.metadata.uid !== rsOwner.uid || d.spec.strategy.type !== 'Recreate') return [];
  return [requestFor(d)];
}

/**
 * The Deployment's pods by the uid of the ReplicaSet that controls them
 * (`getPodMapForDeployment`: the pods its selector picks, grouped by
 * controller): read from each ReplicaSet's controller index, not from every
 * pod of the namespace.
 */
function podsByReplicaSet(d: Deployment, replicaSets: readonly ReplicaSet[], cache: Cache): Map<string, Pod[]> {
  const selector = labelSelectorFromStructured(d.spec.selector);
  const byUid = new Map<string, Pod[]>();
  for (const rs of replicaSets) {
    const pods = cache.controlledBy(Pod, d.metadata.namespace, rs.metadata.uid);
    byUid.set(
      rs.metadata.uid,
      pods.filter((pod) => selector.matches(pod.metadata.labels)),
    );
  }
  return byUid;
}

/** `syncDeployment`: one level-triggered pass over one Deployment. */
async function syncDeployment(d: Deployment, context: ReconcileContext): Promise<Result | undefined> {
  const { client, cache } = context;
  const selector = labelSelectorFromStructured(d.spec.selector);
  if (selector.empty) {
    // The schema refuses such a Deployment; one that got in anyway must not adopt the whole namespace.
    await context.recorder?.event(
      d,
      'Warning',
      'SelectingAll',
      'This deployment is selecting all pods. A non-empty selector is required.',
    );
    return undefined;
  }
  const replicaSets = await claimObjects({
    client,
    owner: d,
    type: ReplicaSet,
    selector,
    candidates: claimCandidates(cache, ReplicaSet, d.metadata.namespace, d.metadata.uid),
    canAdopt: async () => {
      try {
        const fresh = await client.get(Deployment, d.metadata.name, { namespace: d.metadata.namespace });
        return fresh.metadata.uid === d.metadata.uid && fresh.metadata.deletionTimestamp === undefined;
      } catch (error) {
        if (isKeelsonError(error, 'NotFound')) return false;
        throw error;
      }
    },
  });
  const sync = new DeploymentSync(context, d, replicaSets);
  if (d.metadata.deletionTimestamp !== undefined) {
    await syncStatusOnly(sync);
    return undefined;
  }
  await checkPausedConditions(sync);
  if (sync.deployment.spec.paused === true || (await isScalingEvent(sync))) {
    await syncScaling(sync);
    return undefined;
  }
  if (sync.deployment.spec.strategy.type === 'Recreate') {
    return rolloutRecreate(sync, podsByReplicaSet(d, sync.replicaSets, cache));
  }
  return rolloutRolling(sync);
}

/**
 * The Deployment controller, for a manager: owns ReplicaSets (their events
 * wake their Deployment), watches orphaned ReplicaSets (for adoption) and
 * pod deletions (a Recreate rollout waits for its old pods to be gone).
 * Time — `minReadySeconds` is the ReplicaSets', the progress deadline is
 * this controller's — is the manager's clock.
 *
 * @example
 * ```ts
 * const manager = createManager({ store, clock });
 * manager.add(replicaSetController());
 * manager.add(deploymentController());
 * await manager.start();
 * ```
 */
export function deploymentController(options: DeploymentControllerOptions = {}): Controller<Deployment> {
  const maxRetries = options.maxRetries ?? MAX_SYNC_RETRIES;
  if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) {
    throw new InvalidError(
      `deploymentController: options.maxRetries must be an integer >= 0 (Kubernetes uses ${MAX_SYNC_RETRIES}), got ${String(options.maxRetries)}`,
    );
  }
  const failures = new Map<string, number>();
  return defineController({
    name: 'deployment-controller',
    for: Deployment,
    owns: [ReplicaSet],
    watches: [
      watchSource(ReplicaSet, ownersSelecting(Deployment)),
      watchSource(Pod, recreateDeploymentOf, [{ create: () => false, update: () => false }]),
    ],
    async reconcile(request, context) {
      const key = `${request.namespace ?? ''}/${request.name}`;
      const d = context.cache.get(Deployment, request.name, request.namespace);
      if (d === undefined) {
        failures.delete(key);
        return undefined;
      }
      try {
        const result = await syncDeployment(d, context);
        failures.delete(key);
        return result;
      } catch (error) {
        const count = (failures.get(key) ?? 0) + 1;
        if (count <= maxRetries) {
          failures.set(key, count);
          throw error;
        }
        failures.delete(key);
        throw new TerminalError(
          `dropping deployment ${key} out of the queue after ${maxRetries} retries: ${(error as Error)?.message ?? String(error)}`,
          { cause: error },
        );
      }
    },
  });
}
