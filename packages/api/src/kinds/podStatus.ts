/**
 * `PodStatus`: what the kubelet reports about a pod and its containers.
 */
import { z } from 'zod';
import { podConditionSchema } from './condition';
import { int32, int64, time } from './primitives';

/** A container that has not started yet (pulling its image, crash-looping, …). */
export const containerStateWaitingSchema = z.object({
  reason: z.string().exactOptional(),
  message: z.string().exactOptional(),
});

/** A running container. */
export const containerStateRunningSchema = z.object({ startedAt: time.exactOptional() });

/** A container that exited. */
export const containerStateTerminatedSchema = z.object({
  exitCode: int32,
  signal: int32.exactOptional(),
  reason: z.string().exactOptional(),
  message: z.string().exactOptional(),
  startedAt: time.exactOptional(),
  finishedAt: time.exactOptional(),
  containerID: z.string().exactOptional(),
});

/** A container's state: one of waiting, running or terminated. */
export const containerStateSchema = z.object({
  waiting: containerStateWaitingSchema.exactOptional(),
  running: containerStateRunningSchema.exactOptional(),
  terminated: containerStateTerminatedSchema.exactOptional(),
});

/** The status of one container; `ready` defaults to false and `restartCount` to 0. */
export const containerStatusSchema = z.object({
  name: z.string().min(1),
  state: containerStateSchema.exactOptional(),
  lastState: containerStateSchema.exactOptional(),
  ready: z.boolean().default(false),
  restartCount: int32.min(0).default(0),
  image: z.string(),
  imageID: z.string().default(''),
  containerID: z.string().exactOptional(),
  started: z.boolean().exactOptional(),
});

/** Where a pod is in its life. */
export const podPhaseSchema = z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']);

/** The quality of service class, from the containers' requests and limits. */
export const qosClassSchema = z.enum(['Guaranteed', 'Burstable', 'BestEffort']);

const ip = z.object({ ip: z.string().min(1) });

/** A pod's status. */
export const podStatusSchema = z.object({
  observedGeneration: int64.min(0).exactOptional(),
  phase: podPhaseSchema.exactOptional(),
  conditions: z.array(podConditionSchema).exactOptional(),
  message: z.string().exactOptional(),
  reason: z.string().exactOptional(),
  nominatedNodeName: z.string().exactOptional(),
  hostIP: z.string().exactOptional(),
  hostIPs: z.array(ip).exactOptional(),
  podIP: z.string().exactOptional(),
  podIPs: z.array(ip).exactOptional(),
  startTime: time.exactOptional(),
  initContainerStatuses: z.array(containerStatusSchema).exactOptional(),
  containerStatuses: z.array(containerStatusSchema).exactOptional(),
  qosClass: qosClassSchema.exactOptional(),
});

/** A pod's phase. */
export type PodPhase = z.output<typeof podPhaseSchema>;
/** A pod's QoS class. */
export type QOSClass = z.output<typeof qosClassSchema>;
/** A pod's status as stored. */
export type PodStatus = z.output<typeof podStatusSchema>;
/** One container's status as stored. */
export type ContainerStatus = z.output<typeof containerStatusSchema>;
