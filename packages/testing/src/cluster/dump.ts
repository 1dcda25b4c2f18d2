/**
 * What the cluster looks like, as text: the picture a failed `waitFor` or
 * `settle` prints so that a test failure says what happened.
 */
import { Deployment, Event, getCondition, Node, Pod } from '@keelson/api';
import type { Store } from '@keelson/core';

const RECENT_EVENTS = 15;

function podLine(pod: Pod): string {
  const statuses = pod.status?.containerStatuses ?? [];
  const ready = `${statuses.filter((c) => c.ready).length}/${pod.spec.containers.length}`;
  const restarts = statuses.reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
  const waiting = statuses.map((c) => c.state?.waiting?.reason).find((r) => r !== undefined);
  const phase = pod.metadata.deletionTimestamp ? 'Terminating' : (waiting ?? pod.status?.phase ?? 'Pending');
  return `  ${pod.metadata.namespace}/${pod.metadata.name}  ${phase}  ready ${ready}  restarts ${restarts}  node ${pod.spec.nodeName ?? '<none>'}`;
}

/** Nodes, workloads, pods and the latest events of `store`. */
export async function describeCluster(store: Store): Promise<string> {
  const lines: string[] = [];
  const nodes = (await store.list(Node)).items;
  lines.push(`nodes (${nodes.length}):`);
  for (const node of nodes) {
    const ready = getCondition(node.status?.conditions, 'Ready');
    const taints = (node.spec.taints ?? []).map((t) => `${t.key}:${t.effect}`).join(',');
    lines.push(
      `  ${node.metadata.name}  Ready=${ready?.status ?? 'Unknown'}${node.spec.unschedulable ? '  SchedulingDisabled' : ''}${taints ? `  taints ${taints}` : ''}`,
    );
  }
  const deployments = (await store.list(Deployment)).items;
  if (deployments.length > 0) {
    lines.push(`deployments (${deployments.length}):`);
    for (const d of deployments) {
      const s = d.status;
      lines.push(
        `  ${d.metadata.namespace}/${d.metadata.name}  ready ${s?.readyReplicas ?? 0}/${d.spec.replicas}  updated ${s?.updatedReplicas ?? 0}  available ${s?.availableReplicas ?? 0}`,
      );
    }
  }
  const pods = (await store.list(Pod)).items;
  lines.push(`pods (${pods.length}):`);
  for (const pod of pods) lines.push(podLine(pod));
  const events = (await store.list(Event)).items
    .slice()
    .sort((a, b) => String(a.lastTimestamp ?? '').localeCompare(String(b.lastTimestamp ?? '')))
    .slice(-RECENT_EVENTS);
  lines.push(`recent events (${events.length}):`);
  for (const e of events) {
    const object = `${e.involvedObject.kind}/${e.involvedObject.name}`;
    lines.push(`  ${e.lastTimestamp ?? ''}  ${e.type ?? 'Normal'}  ${e.reason ?? ''}  ${object}: ${e.message ?? ''}`);
  }
  return lines.join('\n');
}
