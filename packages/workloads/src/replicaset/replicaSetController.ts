/**
 * The ReplicaSet controller (replica_set.go): keeps `spec.replicas` active
 * pods matching the selector — adopting orphans, releasing pods whose labels
 * stop matching, creating in slow-start batches, deleting by rank — and
 * reports what it sees in the status.
 */
import { Pod, ReplicaSet } from '@keelson/api';
import {
  type Controller,
  defineController,
  type ReconcileContext,
  type Result,
  watchSource,
} from '@keelson/controller';
import { InvalidError, isKeelsonError, labelSelectorFromStructured } from '@keelson/core';
import {
  BURST_REPLICAS,
  claimCandidates,
  claimObjects,
  Expectations,
  isPodActive,
  observedPods,
  ownersSelecting,
  podFromTemplate,
  slowStartBatch,
} from '../shared/index';
import { deletePodWithRetry, errorMessage } from '../shared/podWrites';
import { podsToDelete } from './ranking';
import { type ManageFailure, replicaSetStatus } from './status';

/** Options for {@link replicaSetController}. */
export interface ReplicaSetControllerOptions {
  /** Most pods created or deleted in one sync (Kubernetes: 500). */
  burstReplicas?: number;
}

/** The controller's name in a manager. */
export const REPLICASET_CONTROLLER_NAME = 'replicaset-controller';

async function createPods(
  rs: ReplicaSet,
  count: number,
  context: ReconcileContext,
  expectations: Expectations,
  key: string,
): Promise<ManageFailure | undefined> {
  const { error } = await slowStartBatch(count, async () => {
    try {
      const pod = await context.client.create(Pod, podFromTemplate(rs.spec.template, rs) as never);
      expectations.created(key, pod.metadata.name);
      await context.recorder?.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
    } catch (e) {
      await context.recorder?.event(rs, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(e)}`);
      throw e;
    }
  });
  return error === undefined ? undefined : { reason: 'FailedCreate', message: errorMessage(error) };
}

async function deletePods(
  rs: ReplicaSet,
  victims: readonly Pod[],
  context: ReconcileContext,
  expectations: Expectations,
  key: string,
): Promise<ManageFailure | undefined> {
  let failure: ManageFailure | undefined;
  await Promise.all(
    victims.map(async (pod) => {
      try {
        await deletePodWithRetry(context.client, pod);
        expectations.deleted(key, pod.metadata.uid);
        await context.recorder?.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (e) {
        if (isKeelsonError(e, 'NotFound')) return;
        await context.recorder?.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(e)}`);
        failure ??= { reason: 'FailedDelete', message: errorMessage(e) };
      }
    }),
  );
  return failure;
}

/**
 * The ReplicaSet controller, for a manager: owns Pods (their events wake
 * their ReplicaSet) and watches orphan pods (for adoption). `minReadySeconds`
 * is counted on the manager's clock.
 *
 * @example
 * ```ts
 * manager.add(replicaSetController());
 * ```
 * @throws InvalidError for bad options.
 */
export function replicaSetController(options: ReplicaSetControllerOptions = {}): Controller<ReplicaSet> {
  const burst = options.burstReplicas ?? BURST_REPLICAS;
  if (!Number.isSafeInteger(burst) || burst < 1) {
    throw new InvalidError(
      `replicaSetController: options.burstReplicas must be an integer >= 1 (Kubernetes uses ${BURST_REPLICAS}), got ${String(options.burstReplicas)}`,
    );
  }
  let expectations: Expectations | undefined;
  return defineController({
    name: REPLICASET_CONTROLLER_NAME,
    for: ReplicaSet,
    owns: [Pod],
    watches: [watchSource(Pod, ownersSelecting(ReplicaSet))],
    async reconcile(request, context): Promise<Result | undefined> {
      expectations ??= new Expectations(context.clock);
      const key = `${request.namespace ?? ''}/${request.name}`;
      const { cache, client } = context;
      const rs = cache.get(ReplicaSet, request.name, request.namespace);
      if (rs === undefined) {
        expectations.forget(key);
        return undefined;
      }
      const namespace = rs.metadata.namespace;
      const satisfied = expectations.satisfied(key, observedPods(cache, namespace));
      const selector = labelSelectorFromStructured(rs.spec.selector);
      const claimed = await claimObjects({
        client,
        owner: rs,
        type: Pod,
        selector,
        candidates: claimCandidates(cache, Pod, namespace, rs.metadata.uid).filter(isPodActive),
        canAdopt: async () => {
          try {
            const fresh = await client.get(ReplicaSet, rs.metadata.name, { namespace });
            return fresh.metadata.uid === rs.metadata.uid && fresh.metadata.deletionTimestamp === undefined;
          } catch (error) {
            if (isKeelsonError(error, 'NotFound')) return false;
            throw error;
          }
        },
      });
      let failure: ManageFailure | undefined;
      let failedNow = false;
      let active = claimed;
      if (satisfied && rs.metadata.deletionTimestamp === undefined) {
        const diff = claimed.length - rs.spec.replicas;
        if (diff < 0) failure = await createPods(rs, Math.min(-diff, burst), context, expectations, key);
        else if (diff > 0) {
          const victims = podsToDelete(claimed, Math.min(diff, burst));
          failure = await deletePods(rs, victims, context, expectations, key);
          const gone = new Set(victims.map((v) => v.metadata.uid));
          active = claimed.filter((p) => !gone.has(p.metadata.uid));
        }
        failedNow = failure !== undefined;
      } else if (!satisfied) {
        // Keep the last failure on display until a sync can act again.
        const previous = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
        if (previous?.reason === 'FailedCreate' || previous?.reason === 'FailedDelete') {
          failure = { reason: previous.reason, message: previous.message ?? '' };
        }
      }
      const now = context.clock.now();
      const { status, nextAvailableAt } = replicaSetStatus(rs, active, failure, now);
      if (JSON.stringify(status) !== JSON.stringify(rs.status ?? {})) {
        try {
          await client.updateStatus({ ...rs, status });
        } catch (error) {
          if (!isKeelsonError(error, 'NotFound')) throw error;
        }
      }
      if (failedNow) throw new Error(`replicaset ${key}: ${failure?.message}`);
      return nextAvailableAt === undefined ? undefined : { requeueAfter: Math.max(1, nextAvailableAt - now) };
    },
  });
}
