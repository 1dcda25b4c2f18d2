/**
 * The example's cluster: two CPU nodes and two 4-GPU nodes, pod manifests
 * in Kubernetes' shape, and a store on virtual time with a scheduler
 * running the GPU profile.
 */
import { builtinAdmission, builtinTypes, ensureSystemNamespaces, Namespace, Node } from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { createStore } from '@keelson/core';
import { createScheduler } from '@keelson/scheduler';
import { registry } from './policy';
import { profiles } from './profiles';

export const GPU = 'nvidia.com/gpu';

/** A node manifest; `gpus` adds `nvidia.com/gpu` to its capacity. */
export function node(name: string, size: { cpu: string; memory: string; gpus?: number }) {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: {
      capacity: {
        cpu: size.cpu,
        memory: size.memory,
        pods: '110',
        ...(size.gpus === undefined ? {} : { [GPU]: String(size.gpus) }),
      },
    },
  };
}

/** The example cluster: CPU nodes are small, GPU nodes big (which is what lures CPU pods to them). */
export const nodes = [
  node('cpu-1', { cpu: '16', memory: '64Gi' }),
  node('cpu-2', { cpu: '16', memory: '64Gi' }),
  node('gpu-1', { cpu: '32', memory: '256Gi', gpus: 4 }),
  node('gpu-2', { cpu: '32', memory: '256Gi', gpus: 4 }),
];

export interface PodShape {
  cpu: string;
  memory: string;
  /** GPUs, as a limit: Kubernetes defaults the request to it. */
  gpus?: number;
  namespace?: string;
  /** Already bound here (a running pod). */
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  /** The profile to schedule it with (default `default-scheduler`). */
  schedulerName?: string;
}

/** A pod manifest with one container. */
export function pod(name: string, shape: PodShape) {
  return {
    metadata: { name, namespace: shape.namespace ?? 'default' },
    spec: {
      containers: [
        {
          name: 'main',
          image: `${name}:1`,
          resources: {
            requests: { cpu: shape.cpu, memory: shape.memory },
            ...(shape.gpus === undefined ? {} : { limits: { [GPU]: String(shape.gpus) } }),
          },
        },
      ],
      ...(shape.nodeName === undefined ? {} : { nodeName: shape.nodeName }),
      ...(shape.nodeSelector === undefined ? {} : { nodeSelector: shape.nodeSelector }),
      ...(shape.schedulerName === undefined ? {} : { schedulerName: shape.schedulerName }),
    },
  };
}

/** An inference server (1 GPU), a training job (4 GPUs), a web server (no GPU). */
export const inference = (name: string) => pod(name, { cpu: '2', memory: '8Gi', gpus: 1 });
export const training = (name: string) => pod(name, { cpu: '8', memory: '64Gi', gpus: 4 });
export const web = (name: string) => pod(name, { cpu: '1', memory: '2Gi' });

// #region scheduler
/** A store on virtual time with the example's nodes, and a scheduler running the example's profiles. */
export async function startCluster(seed = 1) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = await createStore({
    types: builtinTypes,
    admission: builtinAdmission(),
    clock,
    random: createRandom(seed, 'store'),
  });
  await ensureSystemNamespaces(store);
  await store.create(Namespace, { metadata: { name: 'monitoring' } });
  for (const manifest of nodes) await store.create(Node, manifest);
  const scheduler = createScheduler({
    store,
    clock,
    random: createRandom(seed, 'scheduler'),
    profiles, // the GPU profile as default-scheduler, and two more by schedulerName
    registry,
  });
  await scheduler.start();
  /** Lets the scheduler, its binds and the informers catch up, without moving time. */
  const settle = async () => {
    for (let i = 0; i < 10; i++) {
      await clock.advance(0);
      await scheduler.idle();
    }
  };
  return { clock, store, scheduler, settle };
}
// #endregion
