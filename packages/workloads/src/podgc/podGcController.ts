/**
 * The pod garbage collector (pkg/controller/podgc): a pod bound to a node
 * that no longer exists is marked `Failed` with `DisruptionTarget=True`
 * (reason `DeletionByPodGC`) and force-deleted once the node has been gone
 * for the quarantine time (40 s), so that its owner replaces it; a pod deleted
 * before it was ever scheduled is force-deleted at once. Without it, the pods
 * of a removed node stay Running forever: no kubelet is left to end them.
 */
import { Node, Pod, setCondition } from '@keelson/api';
import {
  type Controller,
  defineController,
  type ReconcileContext,
  type Result,
  watchSource,
} from '@keelson/controller';
import { formatTime, InvalidError, isKeelsonError } from '@keelson/core';

/** The controller's name in a manager. */
export const POD_GC_CONTROLLER_NAME = 'pod-garbage-collector';

/** How long a node must have been missing before its pods are collected (Kubernetes' `quarantineTime`). */
export const POD_GC_QUARANTINE_MS = 40_000;

/** Reason of the `DisruptionTarget` condition the collector sets before deleting an orphaned pod. */
export const DELETION_BY_POD_GC_REASON = 'DeletionByPodGC';

/** Options for {@link podGcController}. */
export interface PodGcControllerOptions {
  /** How long a node must have been missing before its pods go (default {@link POD_GC_QUARANTINE_MS}). */
  quarantineMs?: number;
}

/** Marks the pod Failed with the condition (unless it already ended), then deletes it with no grace. */
async function markFailedAndDelete(context: ReconcileContext, pod: Pod, withCondition: boolean): Promise<void> {
  const { client, clock } = context;
  const phase = pod.status?.phase;
  try {
    if (phase !== 'Succeeded' && phase !== 'Failed') {
      const conditions = withCondition
        ? setCondition(
            pod.status?.conditions,
            {
              type: 'DisruptionTarget',
              status: 'True',
              reason: DELETION_BY_POD_GC_REASON,
              message: 'PodGC: node no longer exists',
            },
            formatTime(clock.now()),
          )
        : pod.status?.conditions;
      await client.updateStatus<Pod>({
        ...pod,
        status: { ...pod.status, phase: 'Failed', ...(conditions === undefined ? {} : { conditions }) },
      });
    }
    await client.delete(Pod, pod.metadata.name, {
      ...(pod.metadata.namespace === undefined ? {} : { namespace: pod.metadata.namespace }),
      gracePeriodSeconds: 0,
      preconditions: { uid: pod.metadata.uid },
    });
    context.logger.info(
      { pod: `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`, node: pod.spec.nodeName },
      'PodGC is force deleting Pod',
    );
  } catch (error) {
    if (!isKeelsonError(error, 'NotFound') && !isKeelsonError(error, 'Conflict')) throw error;
  }
}

/**
 * The pod garbage collector as a controller. Its keys are node names (a
 * pod's event wakes its node's key); a key whose node is missing is checked
 * again after the quarantine, against the store rather than the cache, and
 * then every pod bound to it is collected.
 */
export function podGcController(options: PodGcControllerOptions = {}): Controller {
  const quarantineMs = options.quarantineMs ?? POD_GC_QUARANTINE_MS;
  if (!Number.isFinite(quarantineMs) || quarantineMs < 0) {
    throw new InvalidError(`podGcController: quarantineMs must be a number of milliseconds ≥ 0, got ${quarantineMs}`);
  }
  /** When each missing node was first seen missing, on the manager's clock. */
  const missingSince = new Map<string, number>();
  return defineController({
    name: POD_GC_CONTROLLER_NAME,
    for: Node,
    watches: [
      watchSource(Pod, (pod) => {
        if (pod.spec.nodeName) return [{ name: pod.spec.nodeName }];
        // An unscheduled pod being deleted has no node key; its own key is collected below.
        return pod.metadata.deletionTimestamp === undefined
          ? []
          : [{ name: `\0unscheduled/${pod.metadata.namespace}/${pod.metadata.name}` }];
      }),
    ],
    async reconcile(request, context): Promise<Result | undefined> {
      const { cache, client, clock } = context;
      if (request.name.startsWith('\0unscheduled/')) {
        const [, namespace, name] = request.name.split('/') as [string, string, string];
        const pod = cache.get(Pod, name, namespace);
        if (pod !== undefined && pod.metadata.deletionTimestamp !== undefined && !pod.spec.nodeName) {
          await markFailedAndDelete(context, pod, false);
        }
        return undefined;
      }
      const nodeName = request.name;
      if (cache.get(Node, nodeName) !== undefined) {
        missingSince.delete(nodeName);
        return undefined;
      }
      const pods = cache.onNode(Pod, nodeName);
      if (pods.length === 0) {
        missingSince.delete(nodeName);
        return undefined;
      }
      const now = clock.now();
      const since = missingSince.get(nodeName) ?? now;
      missingSince.set(nodeName, since);
      if (now - since < quarantineMs) return { requeueAfter: since + quarantineMs - now };
      try {
        await client.get(Node, nodeName);
        missingSince.delete(nodeName); // the cache was behind: the node exists
        return undefined;
      } catch (error) {
        if (!isKeelsonError(error, 'NotFound')) throw error;
      }
      for (const pod of pods) await markFailedAndDelete(context, pod, true);
      missingSince.delete(nodeName);
      return undefined;
    },
  });
}
