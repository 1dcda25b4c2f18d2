/**
 * The DaemonSet controller's writes (`syncNodes` and `storeDaemonSetStatus`):
 * create daemon pods pinned to their nodes in slow-start batches, delete
 * pods concurrently, record both as expectations, and write the status only
 * when it changed.
 */
import { DaemonSet, Pod } from '@keelson/api';
import type { ReconcileContext } from '@keelson/controller';
import { isKeelsonError } from '@keelson/core';
import { type Expectations, podFromTemplate, slowStartBatch } from '../shared/index';
import { CONTROLLER_REVISION_HASH_LABEL, POD_TEMPLATE_GENERATION_LABEL } from './constants';
import { daemonPodTolerations, nodeNameAffinity } from './daemonPods';
import type { DaemonSetCounts } from './status';

/** The pod a DaemonSet runs on `nodeName`: its template, labelled, with the daemon tolerations and pinned to the node. */
export function daemonPodFor(ds: DaemonSet, nodeName: string, hash: string): ReturnType<typeof podFromTemplate> {
  const spec = ds.spec.template.spec;
  return podFromTemplate(ds.spec.template, ds, {
    labels: {
      [CONTROLLER_REVISION_HASH_LABEL]: hash,
      [POD_TEMPLATE_GENERATION_LABEL]: String(ds.metadata.generation ?? 0),
    },
    spec: { tolerations: daemonPodTolerations(spec), affinity: nodeNameAffinity(spec.affinity, nodeName) },
  });
}

/**
 * Creates pods for `nodes` and deletes `pods`, each list capped at `burst`.
 * Throws the first failure after recording what did succeed, so the manager
 * retries with back-off.
 */
export async function syncNodes(
  context: ReconcileContext,
  ds: DaemonSet,
  key: string,
  expectations: Expectations,
  plan: { podsToDelete: readonly Pod[]; nodesToCreate: readonly string[] },
  hash: string,
  burst: number,
): Promise<void> {
  const { client, recorder } = context;
  const namespace = ds.metadata.namespace;
  const creates = plan.nodesToCreate.slice(0, burst);
  const deletes = plan.podsToDelete.slice(0, burst);
  const created = await slowStartBatch(creates.length, async (index) => {
    const nodeName = creates[index] as string;
    try {
      const pod = await client.create(Pod, daemonPodFor(ds, nodeName, hash) as unknown as Pod);
      expectations.created(key, pod.metadata.name);
      await recorder?.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
    } catch (error) {
      await recorder?.event(
        ds,
        'Warning',
        'FailedCreate',
        `Error creating: ${(error as Error)?.message ?? String(error)}`,
      );
      throw error;
    }
  });
  const deleted = await Promise.allSettled(
    deletes.map(async (pod) => {
      try {
        await client.delete(Pod, pod.metadata.name, { namespace });
      } catch (error) {
        if (!isKeelsonError(error, 'NotFound')) {
          await recorder?.event(
            ds,
            'Warning',
            'FailedDelete',
            `Error deleting: ${(error as Error)?.message ?? String(error)}`,
          );
          throw error;
        }
      }
      expectations.deleted(key, pod.metadata.uid);
      await recorder?.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    }),
  );
  if (created.error !== undefined) throw created.error;
  for (const result of deleted) if (result.status === 'rejected') throw result.reason;
}

/** Writes the counters (and `observedGeneration`, when this sync acted on the current generation) if they changed. */
export async function storeStatus(
  context: ReconcileContext,
  ds: DaemonSet,
  counts: DaemonSetCounts,
  updateObservedGeneration: boolean,
): Promise<void> {
  const current = ds.status;
  const observedGeneration = updateObservedGeneration ? ds.metadata.generation : current?.observedGeneration;
  const same =
    current !== undefined &&
    current.observedGeneration === observedGeneration &&
    (Object.keys(counts) as (keyof DaemonSetCounts)[]).every((name) => current[name] === counts[name]);
  if (same) return;
  await context.client.patch(
    DaemonSet,
    ds.metadata.name,
    (draft) => {
      draft.status = {
        ...draft.status,
        ...counts,
        ...(observedGeneration === undefined ? {} : { observedGeneration }),
      } as NonNullable<DaemonSet['status']>;
      return draft;
    },
    { namespace: ds.metadata.namespace, subresource: 'status' },
  );
}
