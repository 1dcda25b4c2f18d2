/**
 * The pod startup latency tracker, after the kubelet's: per pod, when the agent first saw it and
 * its first and last image pulls; when a watched version of the pod shows every container
 * started and running, the pod's startup is observed once — from its creation timestamp, with
 * the time between the first pull's start and the last pull's end taken out for the SLI.
 */
import type { Pod } from '@keelson/api';
import type { Clock } from '@keelson/clock';
import type { NodeAgentMetrics } from './metrics';

interface PodState {
  firstSeen: number | undefined;
  firstStartedPulling: number | undefined;
  lastFinishedPulling: number | undefined;
  observed: boolean;
}

/** Whether every container of `pod` is reported running and started (the SLI's end point). */
export function allContainersStarted(pod: Pod): boolean {
  const statuses = pod.status?.containerStatuses ?? [];
  if (statuses.length < pod.spec.containers.length || statuses.length === 0) return false;
  return statuses.every((s) => s.state?.running !== undefined && s.started !== false);
}

/** Tracks pod startups on the agent's clock and reports them to the metrics. */
export class PodStartupTracker {
  private readonly pods = new Map<string, PodState>();

  constructor(
    private readonly clock: Clock,
    private readonly metrics: NodeAgentMetrics,
  ) {}

  private state(uid: string): PodState {
    let state = this.pods.get(uid);
    if (state === undefined) {
      state = { firstSeen: undefined, firstStartedPulling: undefined, lastFinishedPulling: undefined, observed: false };
      this.pods.set(uid, state);
    }
    return state;
  }

  /** The agent saw `pod` (a watch event): its first sighting, or its startup when all containers run. */
  observe(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    const known = this.pods.has(uid);
    const state = this.state(uid);
    const now = this.clock.now();
    if (!known) {
      // A pod already running when the agent starts (or restarts) was not started by this agent.
      if (allContainersStarted(pod) || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
        state.observed = true;
        return;
      }
      state.firstSeen = now;
    }
    if (state.observed || !allContainersStarted(pod)) return;
    state.observed = true;
    const created = Date.parse(pod.metadata.creationTimestamp ?? '');
    if (Number.isNaN(created)) return;
    const total = Math.max(0, now - created);
    const pulling =
      state.firstStartedPulling === undefined || state.lastFinishedPulling === undefined
        ? 0
        : Math.max(0, state.lastFinishedPulling - state.firstStartedPulling);
    this.metrics.podStarted({
      sli: Math.max(0, total - pulling) / 1_000,
      total: total / 1_000,
      sinceSeen: state.firstSeen === undefined ? undefined : (now - state.firstSeen) / 1_000,
    });
  }

  /** An image pull for the pod `uid` begins. */
  pullStarted(uid: string): void {
    const state = this.state(uid);
    state.firstStartedPulling ??= this.clock.now();
  }

  /** An image pull for the pod `uid` ended. */
  pullFinished(uid: string): void {
    this.state(uid).lastFinishedPulling = this.clock.now();
  }

  /** The pod is gone from the node. */
  forget(uid: string): void {
    this.pods.delete(uid);
  }
}
