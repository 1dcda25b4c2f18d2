/**
 * The Pod registry's rules (Kubernetes' `pkg/registry/core/pod/strategy.go`
 * and `ValidatePodUpdate`): a new pod starts Pending with its QoS class, its
 * spec is immutable but for a few fields, and deleting a running pod gives
 * it its grace period.
 */
import type { FieldIssue, Strategy } from '@keelson/core';
import { setCondition } from '../conditions/conditions';
import type { PodObject } from '../kinds/pod';
import type { Toleration } from '../kinds/scheduling';
import { mungeGatedPlacement } from './gatedPlacement';
import { isPodTerminal } from './podHelpers';
import { qosClassOf } from './qos';
import { validateGatedCreate, validateGatesUpdate, withSchedulingGatedCondition } from './schedulingGates';
import { differences, withField } from './specDiff';

/** Kubernetes' default grace period for pods, in seconds. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

const IMMUTABLE =
  'the pod spec is immutable: pod updates may not change fields other than `spec.containers[*].image`, ' +
  '`spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing ' +
  'tolerations), `spec.schedulingGates` (only removals), `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative) or ' +
  '`spec.nodeName` (set once, when the pod is bound)';

function sameToleration(old: Toleration, next: Toleration): boolean {
  const strip = ({ tolerationSeconds: _ignored, ...rest }: Toleration) => rest;
  return differences(strip(old), strip(next), '').length === 0;
}

/** `container` with `image` (when given and different); the same object when nothing changes. */
function withImage<C extends { image: string }>(container: C, image: string | undefined): C {
  return image === undefined || image === container.image ? container : { ...container, image };
}

/** Upstream's update rules for a pod's spec, plus this project's binding rule for `nodeName`. */
function validatePodUpdate(old: PodObject, next: PodObject): FieldIssue[] {
  const before = old.spec;
  const after = next.spec;
  const issues: FieldIssue[] = [];

  if (before.activeDeadlineSeconds !== undefined) {
    if (after.activeDeadlineSeconds === undefined) {
      issues.push({
        path: 'spec.activeDeadlineSeconds',
        message: 'must not update from a positive integer to nil value',
      });
    } else if (after.activeDeadlineSeconds > before.activeDeadlineSeconds) {
      issues.push({ path: 'spec.activeDeadlineSeconds', message: 'must be less than or equal to previous value' });
    }
  }
  const kept =
    before.tolerations === after.tolerations ||
    (before.tolerations ?? []).every((t) => (after.tolerations ?? []).some((n) => sameToleration(t, n)));
  if (!kept) {
    issues.push({
      path: 'spec.tolerations',
      message: 'existing toleration can not be modified except its tolerationSeconds',
    });
  }
  issues.push(...validateGatesUpdate(old, next));
  if (before.nodeName && after.nodeName !== before.nodeName) {
    issues.push({
      path: 'spec.nodeName',
      message: `may not change once the pod is bound (it is bound to node "${before.nodeName}"); ${IMMUTABLE}`,
    });
  }

  // Undo every allowed change; whatever still differs was not allowed.
  let munged = { ...after };
  if (after.containers.length === before.containers.length) {
    // Unchanged containers stay the same objects, so the comparison below skips them by reference.
    munged.containers = after.containers.map((c, i) => withImage(c, before.containers[i]?.image));
  }
  const [initBefore, initAfter] = [before.initContainers, after.initContainers];
  if (initBefore && initAfter && initAfter.length === initBefore.length) {
    munged.initContainers = initAfter.map((c, i) => withImage(c, initBefore[i]?.image));
  }
  munged = withField(munged, 'activeDeadlineSeconds', before.activeDeadlineSeconds);
  munged = withField(munged, 'tolerations', before.tolerations);
  munged = withField(munged, 'nodeName', before.nodeName);
  munged = withField(munged, 'schedulingGates', before.schedulingGates);
  if (before.terminationGracePeriodSeconds < 0 && after.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = before.terminationGracePeriodSeconds;
  }
  munged = mungeGatedPlacement(old, munged, issues);
  for (const path of differences(before, munged, 'spec')) issues.push({ path, message: IMMUTABLE });
  return issues;
}

/**
 * Seconds a pod gets to shut down when deleted without an explicit grace
 * period: 0 (gone at once) when no node runs it — unbound, or finished —
 * else `spec.terminationGracePeriodSeconds` (default 30; a negative value
 * means 1, as upstream reads it).
 */
export function gracefulDeleteSeconds(pod: PodObject, requested?: number): number {
  if (!pod.spec.nodeName || isPodTerminal(pod)) return 0;
  const period = requested ?? pod.spec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  return period < 0 ? 1 : period;
}

/**
 * The Pod kind's strategy.
 * - `prepareForCreate`: the status becomes `{ phase: 'Pending', qosClass }`,
 *   whatever the client sent: only the kubelet reports a pod's status. A pod
 *   with `spec.schedulingGates` also gets `PodScheduled=False` / `SchedulingGated`.
 * - `validate`: a pod with scheduling gates may not set `spec.nodeName`.
 * - `prepareForUpdate`: the status stays as stored (it changes through `updateStatus`) —
 *   except when the update binds the pod (`spec.nodeName` set): then, as Kubernetes'
 *   `pods/binding` does, the same write sets the `PodScheduled` condition to True.
 * - `validateUpdate`: the spec is immutable except container images,
 *   `activeDeadlineSeconds` (added or lowered), tolerations (added),
 *   `terminationGracePeriodSeconds` (negative to 1), `schedulingGates` (removed,
 *   never added), `nodeName` (set once, when no scheduling gate remains) and, while
 *   the pod is gated, `nodeSelector` (keys added) and node affinity (required terms
 *   narrowed, preferred terms free).
 * - `gracefulDeleteSeconds`: see {@link gracefulDeleteSeconds}.
 */
export const podStrategy: Strategy<PodObject> = {
  prepareForCreate: (pod) =>
    withSchedulingGatedCondition({ ...pod, status: { phase: 'Pending', qosClass: qosClassOf(pod.spec) } }),
  validate: validateGatedCreate,
  prepareForUpdate: (old, next, context) => {
    const { status: _ignored, ...rest } = next;
    let status = old.status;
    if (!old.spec.nodeName && rest.spec.nodeName) {
      const stamp = `${new Date(context.now).toISOString().slice(0, 19)}Z`;
      const scheduled = { type: 'PodScheduled', status: 'True' as const };
      status = { ...(status ?? { phase: 'Pending' }), conditions: setCondition(status?.conditions, scheduled, stamp) };
    }
    return status === undefined ? rest : { ...rest, status };
  },
  validateUpdate: validatePodUpdate,
  gracefulDeleteSeconds,
};
