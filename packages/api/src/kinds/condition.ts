/**
 * Status conditions in the per-kind shapes Kubernetes gives them. Each
 * output fits the `Condition` of `../conditions`, so `setCondition`,
 * `getCondition` and `isTrue` work on every kind's `status.conditions`.
 */
import { z } from 'zod';
import { int64, time } from './primitives';

/** `True`, `False` or `Unknown`. */
export const conditionStatusSchema = z.enum(['True', 'False', 'Unknown']);

const common = {
  type: z.string().min(1),
  status: conditionStatusSchema,
  lastTransitionTime: time.exactOptional(),
  reason: z.string().exactOptional(),
  message: z.string().exactOptional(),
};

/** The plain condition (ReplicaSet, DaemonSet, Namespace). */
export const conditionSchema = z.object(common);

/** `metav1.Condition`, the newer shape with `observedGeneration` (Service). */
export const metaConditionSchema = z.object({ ...common, observedGeneration: int64.min(0).exactOptional() });

/** A Pod condition, probed by the kubelet (`PodScheduled`, `Ready`, …). */
export const podConditionSchema = z.object({
  ...common,
  lastProbeTime: time.exactOptional(),
  observedGeneration: int64.min(0).exactOptional(),
});

/** A Node condition, refreshed by the kubelet's heartbeat (`Ready`, `MemoryPressure`, …). */
export const nodeConditionSchema = z.object({ ...common, lastHeartbeatTime: time.exactOptional() });

/** A Deployment condition (`Available`, `Progressing`, `ReplicaFailure`). */
export const deploymentConditionSchema = z.object({ ...common, lastUpdateTime: time.exactOptional() });

/** A Job condition (`Complete`, `Failed`, `Suspended`, …). */
export const jobConditionSchema = z.object({ ...common, lastProbeTime: time.exactOptional() });

/** A HorizontalPodAutoscaler condition (`AbleToScale`, `ScalingActive`, `ScalingLimited`). */
export const hpaConditionSchema = conditionSchema;
