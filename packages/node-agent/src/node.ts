import { Node, type Taint } from '@keelson/api';
import type { Clock } from '@keelson/clock';
import { isKeelsonError, type Store } from '@keelson/core';
import type { ImageService, RuntimeService } from '@keelson/cri';
import { rfc3339, sameJson } from './status';

/** How often the agent computes its node's status (`nodeStatusUpdateFrequency`). */
export const NODE_STATUS_UPDATE_MS = 10_000;
/** How often it writes an unchanged status anyway (`nodeStatusReportFrequency`). */
export const NODE_STATUS_REPORT_MS = 300_000;
/** The hostname label every node carries. */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

type NodeStatus = NonNullable<Node['status']>;
type NodeCondition = NonNullable<NodeStatus['conditions']>[number];

/** What the node's registration and status are made of. */
export interface NodeIdentity {
  nodeName: string;
  capacity: Readonly<Record<string, string>>;
  labels: Readonly<Record<string, string>>;
  taints: readonly Taint[];
  hostIP: string;
}

/** The node's labels: the given ones plus `kubernetes.io/hostname`, `kubernetes.io/os` and `kubernetes.io/arch`. */
export function nodeLabels(identity: NodeIdentity): Record<string, string> {
  return {
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/os': 'linux',
    [HOSTNAME_LABEL]: identity.nodeName,
    ...identity.labels,
  };
}

/** Whether the runtime reports RuntimeReady and NetworkReady. */
async function runtimeReady(runtime: RuntimeService): Promise<string | undefined> {
  try {
    const status = await runtime.status();
    const bad = status.status.conditions.filter(
      (c) => (c.type === 'RuntimeReady' || c.type === 'NetworkReady') && !c.status,
    );
    return bad.length === 0 ? undefined : `container runtime not ready: ${bad.map((c) => c.type).join(', ')}`;
  } catch (error) {
    return `container runtime is down: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Computes the node's status now (heartbeat times set to now). */
/** Kubernetes' `nodeStatusMaxImages`: the node reports its 50 largest images. */
export const NODE_STATUS_MAX_IMAGES = 50;

/** The images on the node, largest first, as the kubelet reports them (for the scheduler's ImageLocality). */
async function nodeImages(images: ImageService | undefined): Promise<NonNullable<NodeStatus['images']>> {
  if (images === undefined) return [];
  try {
    const listed = await images.listImages();
    return [...listed]
      .sort((a, b) => b.size - a.size || a.id.localeCompare(b.id))
      .slice(0, NODE_STATUS_MAX_IMAGES)
      .map((image) => ({ names: [...image.repoDigests, ...image.repoTags], sizeBytes: image.size }));
  } catch {
    return []; // the image service is down: report none rather than fail the status
  }
}

export async function computeNodeStatus(
  identity: NodeIdentity,
  runtime: RuntimeService,
  clock: Clock,
  previous: NodeStatus | undefined,
  images?: ImageService,
): Promise<NodeStatus> {
  const imageList = await nodeImages(images);
  const now = rfc3339(clock.now());
  const notReady = await runtimeReady(runtime);
  let runtimeVersion = 'unknown';
  try {
    const version = await runtime.version('0.1.0');
    runtimeVersion = `${version.runtimeName}://${version.runtimeVersion}`;
  } catch {
    // keep 'unknown' while the runtime is down
  }
  const make = (type: string, ok: boolean, reason: string, message: string): NodeCondition => {
    const old = previous?.conditions?.find((c) => c.type === type);
    const status = ok ? 'True' : 'False';
    const flips = old === undefined || old.status !== status;
    return {
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: now,
      lastTransitionTime: flips ? now : (old.lastTransitionTime ?? now),
    };
  };
  return {
    capacity: { ...identity.capacity },
    allocatable: { ...identity.capacity },
    conditions: [
      make('MemoryPressure', false, 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      make('DiskPressure', false, 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      make('PIDPressure', false, 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      notReady === undefined
        ? make('Ready', true, 'KubeletReady', 'kubelet is posting ready status')
        : make('Ready', false, 'KubeletNotReady', notReady),
    ],
    addresses: [
      { type: 'InternalIP', address: identity.hostIP },
      { type: 'Hostname', address: identity.nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      kubeletVersion: 'v1.34.0-keelson',
      containerRuntimeVersion: runtimeVersion,
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
    ...(imageList.length > 0 ? { images: imageList } : {}),
  };
}

/** The status without heartbeat times, to tell a real change from a heartbeat. */
function withoutHeartbeats(status: NodeStatus | undefined): unknown {
  if (status === undefined) return undefined;
  return { ...status, conditions: status.conditions?.map(({ lastHeartbeatTime: _h, ...rest }) => rest) };
}

/** Whether `next` differs from `previous` other than by heartbeat times. */
export function nodeStatusChanged(previous: NodeStatus | undefined, next: NodeStatus): boolean {
  return !sameJson(withoutHeartbeats(previous), withoutHeartbeats(next));
}

/** Registers the node (create, or adopt and update labels and taints) with its first status. */
export async function registerNode(
  store: Store,
  identity: NodeIdentity,
  runtime: RuntimeService,
  clock: Clock,
  images?: ImageService,
): Promise<Node> {
  const labels = nodeLabels(identity);
  const taints = identity.taints.map((t) => ({ ...t }));
  let existing: Node | undefined;
  try {
    existing = await store.get(Node, identity.nodeName);
  } catch (error) {
    if (!isKeelsonError(error, 'NotFound')) throw error;
  }
  const status = await computeNodeStatus(identity, runtime, clock, existing?.status, images);
  if (existing === undefined) {
    return store.create(Node, {
      metadata: { name: identity.nodeName, labels },
      spec: taints.length === 0 ? {} : { taints },
      status,
    });
  }
  const updated = await store.patch(Node, identity.nodeName, (draft) => {
    draft.metadata.labels = { ...draft.metadata.labels, ...labels };
    if (taints.length > 0) draft.spec.taints = taints;
  });
  return store.patch(
    Node,
    updated.metadata.name,
    (draft) => {
      draft.status = status;
    },
    { subresource: 'status' },
  );
}

/** Writes the node's status. */
export function writeNodeStatus(store: Store, nodeName: string, status: NodeStatus): Promise<Node> {
  return store.patch(
    Node,
    nodeName,
    (draft) => {
      draft.status = status;
    },
    { subresource: 'status' },
  );
}
