/** The scheduling queue's defaults, options and entries. */
import type { Clock } from '@keelson/clock';
import type { PodInfo } from '../framework/podInfo';
import type { PluginResult } from '../framework/status';
import type { ClusterEventKind, QueuedPodInfo } from '../framework/types';

export const DEFAULT_POD_INITIAL_BACKOFF_MS = 1_000;
export const DEFAULT_POD_MAX_BACKOFF_MS = 10_000;
/** A pod left unschedulable this long is retried even without a helpful event. */
export const DEFAULT_POD_MAX_IN_UNSCHEDULABLE_MS = 5 * 60_000;
/** How often the unschedulable pool is checked for pods past that limit. */
export const UNSCHEDULABLE_FLUSH_INTERVAL_MS = 30_000;

export interface SchedulingQueueOptions {
  clock: Clock;
  /** The profile's QueueSort. */
  less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  /** PreEnqueue plugins of the pod's profile; a non-success status gates the pod. */
  preEnqueue?: (pod: PodInfo) => PluginResult;
  /** Which plugins care about an event (their rejections may be lifted by it). */
  interestedIn?: (event: ClusterEventKind, plugin: string) => boolean;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  maxInUnschedulableMs?: number;
}

/** A queued pod with the queue's bookkeeping. */
export interface Entry extends QueuedPodInfo {
  seq: number;
  backoffUntil: number;
}

/** Where a pod sits. */
export type QueueName = 'active' | 'backoff' | 'unschedulable' | 'gated';

/** How many pods wait in each part of the queue. */
export interface QueueLength {
  active: number;
  backoff: number;
  unschedulable: number;
  /** Pods a PreEnqueue plugin holds back (e.g. SchedulingGates for `spec.schedulingGates`). */
  gated: number;
}
