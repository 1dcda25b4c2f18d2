/**
 * Test support for the DaemonSet controller: a daemon set, the kubelet's and
 * scheduler's part (bind pods to the node their affinity names, report them
 * ready, finish graceful deletions). Not exported from the package.
 */
import { bindPod, DaemonSet, Node, Pod } from '@keelson/api';
import type { Store } from '@keelson/core';
import { setPodStatus } from '../testSupport';
import { targetNodeName } from './daemonPods';

/** Creates `agent` in `default`, selecting `app: agent`, with `spec` fields merged over a one-container template. */
export async function createAgent(
  store: Store,
  spec: Record<string, unknown> = {},
  podSpec: Record<string, unknown> = {},
): Promise<DaemonSet> {
  return store.create(DaemonSet, {
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { containers: [{ name: 'agent', image: 'agent:1' }], ...podSpec },
      },
      ...spec,
    },
  } as unknown as DaemonSet);
}

/** The daemon set's pods not being deleted, sorted by target node. */
export async function livePods(store: Store): Promise<Pod[]> {
  const { items } = await store.list(Pod, { namespace: 'default' });
  return items
    .filter((p) => p.metadata.deletionTimestamp === undefined)
    .sort((a, b) => (targetNodeName(a) ?? '').localeCompare(targetNodeName(b) ?? ''));
}

/** Target node of every live pod, sorted. */
export async function podNodes(store: Store): Promise<string[]> {
  return (await livePods(store)).map((p) => targetNodeName(p) ?? '?');
}

/** What the scheduler and kubelets would do: bind unbound pods to their pinned node and report them ready. */
export async function bindAndReady(store: Store): Promise<void> {
  for (const pod of await livePods(store)) {
    let current = pod;
    const nodeName = targetNodeName(pod);
    if (!pod.spec.nodeName && nodeName !== undefined) current = await bindPod(store, pod, nodeName);
    if (current.status?.phase !== 'Running') await setPodStatus(store, current, { ready: true });
  }
}

/** What kubelets do with deleted pods: confirm every graceful deletion. */
export async function finishDeletions(store: Store): Promise<void> {
  const { items } = await store.list(Pod, { namespace: 'default' });
  for (const pod of items) {
    if (pod.metadata.deletionTimestamp !== undefined) {
      await store.delete(Pod, pod.metadata.name, { namespace: 'default', gracePeriodSeconds: 0 });
    }
  }
}

/** Sets a node's taints. */
export async function taintNode(
  store: Store,
  name: string,
  taints: NonNullable<Node['spec']['taints']>,
): Promise<void> {
  await store.patch(Node, name, (draft) => {
    draft.spec.taints = taints;
    return draft;
  });
}

/** Replaces a node's labels (keeping the hostname label). */
export async function labelNode(store: Store, name: string, labels: Record<string, string>): Promise<void> {
  await store.patch(Node, name, (draft) => {
    draft.metadata.labels = { 'kubernetes.io/hostname': name, ...labels };
    return draft;
  });
}

/** The daemon set's status as stored. */
export async function agentStatus(store: Store): Promise<DaemonSet['status']> {
  return (await store.get(DaemonSet, 'agent', { namespace: 'default' })).status;
}
