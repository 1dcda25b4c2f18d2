/**
 * Deployment conditions with the rules of Kubernetes' `deployment/util`
 * (which differ from the generic `setCondition`): setting a condition with
 * the same status and reason changes nothing, not even `lastUpdateTime`;
 * a changed reason keeps `lastTransitionTime` while the status holds; and a
 * set condition moves to the end of the list.
 */
import type { Deployment } from '@keelson/api';

/** One entry of a Deployment's `status.conditions`. */
export type DeploymentCondition = NonNullable<NonNullable<Deployment['status']>['conditions']>[number];

/** The status of a condition. */
export type ConditionStatus = DeploymentCondition['status'];

import { formatTime as rfc3339 } from '../shared/time';

export { rfc3339 };

/** `NewDeploymentCondition`: both times `now`. */
export function newDeploymentCondition(
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
  now: number,
): DeploymentCondition {
  const time = rfc3339(now);
  return { type, status, lastUpdateTime: time, lastTransitionTime: time, reason, message };
}

/** `GetDeploymentCondition`. */
export function getDeploymentCondition(
  conditions: readonly DeploymentCondition[] | undefined,
  type: string,
): DeploymentCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** `RemoveDeploymentCondition`: a new list without that type. */
export function removeDeploymentCondition(
  conditions: readonly DeploymentCondition[] | undefined,
  type: string,
): DeploymentCondition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

/**
 * `SetDeploymentCondition`: the list with `condition` set. Same status and
 * reason as the current one: the list is returned unchanged. Same status,
 * other reason: the current `lastTransitionTime` is kept.
 */
export function setDeploymentCondition(
  conditions: readonly DeploymentCondition[] | undefined,
  condition: DeploymentCondition,
): DeploymentCondition[] {
  const current = getDeploymentCondition(conditions, condition.type);
  if (current !== undefined && current.status === condition.status && current.reason === condition.reason) {
    return [...(conditions ?? [])];
  }
  let next = condition;
  if (current !== undefined && current.status === condition.status) {
    const { lastTransitionTime: _dropped, ...rest } = condition;
    next =
      current.lastTransitionTime === undefined ? rest : { ...rest, lastTransitionTime: current.lastTransitionTime };
  }
  return [...removeDeploymentCondition(conditions, condition.type), next];
}

/**
 * `ReplicaSetToDeploymentCondition`: a ReplicaSet's condition (its
 * `ReplicaFailure`) as a Deployment condition, both times its transition.
 */
export function replicaSetToDeploymentCondition(condition: {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}): DeploymentCondition {
  return {
    type: condition.type,
    status: condition.status,
    ...(condition.reason === undefined ? {} : { reason: condition.reason }),
    ...(condition.message === undefined ? {} : { message: condition.message }),
    ...(condition.lastTransitionTime === undefined
      ? {}
      : { lastTransitionTime: condition.lastTransitionTime, lastUpdateTime: condition.lastTransitionTime }),
  };
}
