/**
 * One scheduling cycle's decision for one pod, without binding: filter,
 * score, select. Shared by `createScheduler` and the store-less
 * `createClusterSnapshot(...).schedule` / `schedulePod`.
 */
import type { Random } from '@keelson/clock';
import { CycleState } from '../framework/cycleState';
import type { NodeInfo } from '../framework/nodeInfo';
import type { PodInfo } from '../framework/podInfo';
import type { Status } from '../framework/status';
import { type FilterContext, findFeasibleNodes } from './feasible';
import { type NodeScores, type ScoreScratch, scoreNodes, selectHost } from './prioritize';

export interface CycleOutcome {
  readonly state: CycleState;
  readonly nodeName?: string;
  readonly feasible: readonly NodeInfo[];
  /** Rejected nodes and why. */
  readonly statuses: ReadonlyMap<string, Status>;
  readonly preFilterMessage?: string;
  /** Scores of `feasible` (absent when one node was feasible and `scoreAlways` was off). */
  readonly scores?: NodeScores;
  /** A plugin failed: retry the pod later. */
  readonly error?: Status;
}

/**
 * Decides where `pod` goes. With one feasible node kube-scheduler skips
 * scoring; `explain` scores anyway and keeps every plugin's scores so a
 * caller can show the numbers. Without `explain`, scores live in `scratch`.
 */
export function decide(
  ctx: FilterContext,
  random: Random,
  pod: PodInfo,
  explain: boolean,
  scratch?: ScoreScratch,
): CycleOutcome {
  const state = new CycleState();
  const found = findFeasibleNodes(ctx, state, pod);
  const base = { state, feasible: found.feasible, statuses: found.statuses };
  if (found.error !== undefined) return { ...base, error: found.error };
  if (found.feasible.length === 0) {
    return found.preFilterMessage === undefined ? base : { ...base, preFilterMessage: found.preFilterMessage };
  }
  if (found.feasible.length === 1 && !explain) return { ...base, nodeName: (found.feasible[0] as NodeInfo).name };
  const scores = scoreNodes(ctx.framework, state, pod, found.feasible, explain ? undefined : scratch);
  if (scores.error !== undefined) return { ...base, scores, error: scores.error };
  const chosen = found.feasible[selectHost(scores.totals, random)] as NodeInfo;
  return { ...base, scores, nodeName: chosen.name };
}
