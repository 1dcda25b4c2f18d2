import type { ResourceType } from '@keelson/core';
import { ConfigMap } from './kinds/configMap';
import { ControllerRevision } from './kinds/controllerRevision';
import { CronJob } from './kinds/cronJob';
import { DaemonSet } from './kinds/daemonSet';
import { Deployment } from './kinds/deployment';
import { EndpointSlice } from './kinds/endpointSlice';
import { Event } from './kinds/event';
import { HorizontalPodAutoscaler } from './kinds/horizontalPodAutoscaler';
import { Job } from './kinds/job';
import { Lease } from './kinds/lease';
import { Namespace } from './kinds/namespace';
import { Node } from './kinds/node';
import { PersistentVolume } from './kinds/persistentVolume';
import { PersistentVolumeClaim } from './kinds/persistentVolumeClaim';
import { Pod } from './kinds/pod';
import { PodDisruptionBudget } from './kinds/podDisruptionBudget';
import { ReplicaSet } from './kinds/replicaSet';
import { Secret } from './kinds/secret';
import { Service } from './kinds/service';
import { StatefulSet } from './kinds/statefulSet';
import { StorageClass } from './kinds/storageClass';

/**
 * Every built-in kind, to pass to `createStore({ types: builtinTypes })` so a
 * store serves what a Kubernetes API server serves out of the box.
 *
 * @example
 * ```ts
 * const store = await createStore({ types: builtinTypes });
 * await store.create(Pod, { metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } });
 * ```
 */
export const builtinTypes: readonly ResourceType[] = [
  Namespace,
  Node,
  Pod,
  Service,
  Event,
  ReplicaSet,
  Deployment,
  DaemonSet,
  Job,
  CronJob,
  EndpointSlice,
  Lease,
  PodDisruptionBudget,
  HorizontalPodAutoscaler,
  ConfigMap,
  Secret,
  StorageClass,
  PersistentVolume,
  PersistentVolumeClaim,
  StatefulSet,
  ControllerRevision,
];
