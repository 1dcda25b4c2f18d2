/**
 * SchedulingGates (Kubernetes' PreEnqueue plugin for pod scheduling
 * readiness): a pod listing `spec.schedulingGates` is held in the queue's
 * gated set and never attempted; when an update removes its last gate, the
 * queue runs PreEnqueue again and the pod moves to activeQ.
 */
import { unresolvable } from '../framework/status';
import type { PluginFactory } from '../framework/types';
import { rejectArgs } from './args';

export const SCHEDULING_GATES = 'SchedulingGates';

/** The SchedulingGates plugin (PreEnqueue); a gated pod's status is UnschedulableAndUnresolvable. */
export const schedulingGates: PluginFactory = (args) => {
  rejectArgs(SCHEDULING_GATES, args);
  return {
    name: SCHEDULING_GATES,
    // Its own update removing the gates (the queue re-runs PreEnqueue on every spec change of a gated pod).
    events: ['PodUpdate'],
    preEnqueue(pod) {
      const gates = pod.spec.schedulingGates ?? [];
      if (gates.length === 0) return undefined;
      return unresolvable(`waiting for scheduling gates: [${gates.map((gate) => gate.name).join(' ')}]`);
    },
  };
};
