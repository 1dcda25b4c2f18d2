/**
 * What makes a daemon pod, and where it belongs, as Kubernetes'
 * `pkg/controller/daemon/util` and `NodeShouldRunDaemonPod` decide it. Pure:
 * the controller feeds in the DaemonSet, the node and the pods.
 */
import {
  type Affinity,
  type DaemonSet,
  findUntoleratedTaint,
  isDoNotScheduleTaint,
  isNoExecuteTaint,
  matchesRequiredNodeAffinity,
  type Node,
  type NodeSelectorTerm,
  type Pod,
  type PodTemplateSpec,
  type Toleration,
} from '@keelson/api';
import { podTemplateHash } from '../deployment/podTemplateHash';
import {
  CONTROLLER_REVISION_HASH_LABEL,
  DAEMON_POD_TOLERATIONS,
  HOST_NETWORK_TOLERATION,
  POD_TEMPLATE_GENERATION_LABEL,
} from './constants';

type PodTemplate = PodTemplateSpec['spec'];

function sameToleration(a: Toleration, b: Toleration): boolean {
  return (
    (a.key ?? '') === (b.key ?? '') &&
    (a.operator ?? 'Equal') === (b.operator ?? 'Equal') &&
    (a.value ?? '') === (b.value ?? '') &&
    (a.effect ?? '') === (b.effect ?? '')
  );
}

/**
 * The pod's tolerations with the daemon pod defaults added
 * (`AddOrUpdateDaemonPodTolerations`): a default replaces a toleration with
 * the same key, operator, value and effect, and is appended otherwise.
 */
export function daemonPodTolerations(spec: Pick<PodTemplate, 'tolerations' | 'hostNetwork'>): Toleration[] {
  const result = [...(spec.tolerations ?? [])];
  const defaults =
    spec.hostNetwork === true ? [...DAEMON_POD_TOLERATIONS, HOST_NETWORK_TOLERATION] : DAEMON_POD_TOLERATIONS;
  for (const toleration of defaults) {
    const index = result.findIndex((existing) => sameToleration(existing, toleration));
    if (index === -1) result.push(toleration);
    else result[index] = toleration;
  }
  return result;
}

/**
 * `ReplaceDaemonSetPodNodeNameNodeAffinity`: the affinity with its required
 * node affinity pinned to `nodeName` — every term's `matchFields` replaced by
 * `metadata.name In [nodeName]` (its `matchExpressions` kept), or one such
 * term when there is none. Preferred terms and pod (anti-)affinity stay.
 */
export function nodeNameAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const field = { key: 'metadata.name', operator: 'In' as const, values: [nodeName] };
  const terms = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const pinned: NodeSelectorTerm[] =
    terms.length === 0
      ? [{ matchFields: [field] }]
      : terms.map((term) => ({
          ...(term.matchExpressions === undefined ? {} : { matchExpressions: term.matchExpressions }),
          matchFields: [field],
        }));
  return {
    ...affinity,
    nodeAffinity: {
      ...affinity?.nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: pinned },
    },
  };
}

/**
 * The node a daemon pod is for (`GetTargetNodeName`): `spec.nodeName` once
 * bound, else the `metadata.name` its required node affinity pins it to.
 */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  for (const term of terms ?? []) {
    for (const field of term.matchFields ?? []) {
      if (field.key === 'metadata.name' && field.operator === 'In' && field.values?.length === 1) {
        return field.values[0];
      }
    }
  }
  return undefined;
}

/** The `controller-revision-hash` of the DaemonSet's template (Kubernetes' `ComputeHash` with `collisionCount`). */
export function daemonSetHash(ds: DaemonSet): string {
  return podTemplateHash(ds.spec.template, ds.status?.collisionCount);
}

/** Whether the pod was made from the DaemonSet's current template (`IsPodUpdated`): same hash, or same generation. */
export function isDaemonPodUpdated(pod: Pod, ds: DaemonSet, hash: string): boolean {
  const labels = pod.metadata.labels ?? {};
  const generation = ds.metadata.generation;
  const generationMatches = generation !== undefined && labels[POD_TEMPLATE_GENERATION_LABEL] === String(generation);
  return (hash !== '' && labels[CONTROLLER_REVISION_HASH_LABEL] === hash) || generationMatches;
}

/** What {@link nodeShouldRunDaemonPod} answers. */
export interface DaemonPlacement {
  /** A daemon pod should be created on the node if it has none. */
  shouldRun: boolean;
  /** A daemon pod already on the node may stay there. */
  shouldContinueRunning: boolean;
}

/**
 * Kubernetes' `NodeShouldRunDaemonPod`: the template's `nodeName` (if any)
 * must be the node, the node must match the template's node selector and
 * required node affinity, and every NoSchedule / NoExecute taint must be
 * tolerated (with the daemon pod defaults) for a new pod; a pod already
 * there may stay unless a NoExecute taint is untolerated.
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): DaemonPlacement {
  const spec = ds.spec.template.spec;
  const nodeName = spec.nodeName;
  if (
    (nodeName !== undefined && nodeName !== '' && nodeName !== node.metadata.name) ||
    !matchesRequiredNodeAffinity(spec, node)
  ) {
    return { shouldRun: false, shouldContinueRunning: false };
  }
  const taints = node.spec.taints;
  const tolerations = daemonPodTolerations(spec);
  if (findUntoleratedTaint(taints, tolerations, isDoNotScheduleTaint) === undefined) {
    return { shouldRun: true, shouldContinueRunning: true };
  }
  return {
    shouldRun: false,
    shouldContinueRunning: findUntoleratedTaint(taints, tolerations, isNoExecuteTaint) === undefined,
  };
}

/**
 * The order Kubernetes keeps daemon pods on one node in
 * (`podByCreationTimestampAndPhase`): bound pods first, then oldest, then by name.
 */
export function compareDaemonPods(a: Pod, b: Pod): number {
  const aBound = Boolean(a.spec.nodeName);
  const bBound = Boolean(b.spec.nodeName);
  if (aBound !== bBound) return aBound ? -1 : 1;
  const at = Date.parse(a.metadata.creationTimestamp ?? '');
  const bt = Date.parse(b.metadata.creationTimestamp ?? '');
  if (at !== bt) return at - bt;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}
