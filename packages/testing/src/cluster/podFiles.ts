/** A pod's container files, found as `kubectl exec` finds the container. */
import { InvalidError, type Store } from '@keelson/core';
import type { MockFiles, MockRuntime } from '@keelson/runtime-mock';
import { locateLog } from './podLogTarget';

/** Which container's files `TestCluster.files` reads. */
export interface PodFilesRequest {
  /** Default `default`. */
  namespace?: string;
  /** Required when the pod has several containers. */
  container?: string;
}

/**
 * The files the container sees (its root and its volume mounts): the
 * container instance running now, or the last one that ran.
 *
 * @throws NotFoundError for no such pod or container; InvalidError for a
 *   pod that is not scheduled or a container that never started.
 */
export async function podFiles(
  store: Store,
  runtimeOf: (nodeName: string) => MockRuntime | undefined,
  pod: string,
  request: PodFilesRequest = {},
): Promise<MockFiles> {
  const namespace = request.namespace ?? 'default';
  const target = await locateLog(store, {
    namespace,
    pod,
    ...(request.container === undefined ? {} : { container: request.container }),
  });
  const runtime = target === undefined ? undefined : runtimeOf(target.nodeName);
  if (target === undefined || runtime === undefined) {
    throw new InvalidError(`pod "${namespace}/${pod}" does not run on a node of this cluster`);
  }
  return runtime.containerFiles(target.containerId);
}
