/**
 * DefaultPreemption (PostFilter): when no node fits, find nodes where
 * evicting lower-priority pods would make the pod fit, pick the one whose
 * victims matter least, nominate the pod there and delete the victims
 * gracefully (inside `createScheduler`; without a store it only answers).
 */
import { Pod } from '@keelson/api';
import { InvalidError } from '@keelson/core';
import { fitErrorMessage } from '../algorithm/fitError';
import type { CycleState } from '../framework/cycleState';
import type { NodeInfo } from '../framework/nodeInfo';
import type { PodInfo } from '../framework/podInfo';
import { type Status, unresolvable, unschedulable } from '../framework/status';
import type { PluginFactory, PluginHandle, PostFilterResult } from '../framework/types';
import { numberArg, objectArgs } from './args';

export const DEFAULT_PREEMPTION = 'DefaultPreemption';
/** The state key under which the chosen victims are left for callers. */
export const PREEMPTION_VICTIMS = 'DefaultPreemption/victims';

const NOT_HELPFUL = unresolvable('Preemption is not helpful for scheduling');
const NO_VICTIMS = unresolvable('No preemption victims found for incoming pod');

/** A node where preemption would work, and what it costs. */
export interface PreemptionCandidate {
  readonly nodeName: string;
  readonly victims: readonly PodInfo[];
}

function startTime(pod: PodInfo): number {
  const text = pod.pod.status?.startTime ?? pod.pod.metadata.creationTimestamp;
  return text ? Date.parse(text) : 0;
}

/** Kubernetes' `MoreImportantPod`: higher priority, then started earlier. */
function moreImportant(a: PodInfo, b: PodInfo): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return startTime(a) - startTime(b);
}

function selectVictims(handle: PluginHandle, state: CycleState, pod: PodInfo, node: NodeInfo): PodInfo[] | Status {
  const potential = [...node.pods.values()].filter((other) => other.priority < pod.priority);
  if (potential.length === 0) return NO_VICTIMS;
  for (const victim of potential) {
    node.removePod(victim.key);
    const removed = handle.runRemovePod(state, pod, victim, node);
    if (removed !== undefined) return removed;
  }
  const fits = handle.runFilters(state, pod, node);
  if (fits !== undefined) return fits;
  potential.sort(moreImportant);
  const victims: PodInfo[] = [];
  for (const candidate of potential) {
    node.addPod(candidate);
    handle.runAddPod(state, pod, candidate, node);
    if (handle.runFilters(state, pod, node) === undefined) continue; // reprieved
    node.removePod(candidate.key);
    handle.runRemovePod(state, pod, candidate, node);
    victims.push(candidate);
  }
  return victims;
}

const OFFSET_PRIORITY = 2_147_483_648; // MaxInt32 + 1: makes every priority positive in the sum

/** Kubernetes' `pickOneNodeForPreemption` without PodDisruptionBudgets. */
export function pickCandidate(candidates: readonly PreemptionCandidate[]): PreemptionCandidate | undefined {
  const criteria: Array<(c: PreemptionCandidate) => number> = [
    (c) => -Math.max(...c.victims.map((v) => v.priority)), // lowest highest-priority victim
    (c) => -c.victims.reduce((sum, v) => sum + v.priority + OFFSET_PRIORITY, 0), // smallest priority sum
    (c) => -c.victims.length, // fewest victims
    (c) => {
      // latest start among the highest-priority victims' earliest start
      const top = Math.max(...c.victims.map((v) => v.priority));
      return Math.min(...c.victims.filter((v) => v.priority === top).map(startTime));
    },
  ];
  let remaining = [...candidates];
  for (const criterion of criteria) {
    if (remaining.length <= 1) break;
    const best = Math.max(...remaining.map(criterion));
    remaining = remaining.filter((c) => criterion(c) === best);
  }
  return remaining[0];
}

export const defaultPreemption: PluginFactory = (args, handle) => {
  const config = objectArgs(DEFAULT_PREEMPTION, args, ['minCandidateNodesPercentage', 'minCandidateNodesAbsolute']);
  const minPercentage = numberArg(DEFAULT_PREEMPTION, config, 'minCandidateNodesPercentage', 10, 0, 100);
  const minAbsolute = numberArg(
    DEFAULT_PREEMPTION,
    config,
    'minCandidateNodesAbsolute',
    100,
    0,
    Number.MAX_SAFE_INTEGER,
  );
  if (minPercentage === 0 && minAbsolute === 0) {
    throw new InvalidError(
      'DefaultPreemption args: minCandidateNodesPercentage and minCandidateNodesAbsolute cannot both be 0',
    );
  }

  function dryRun(state: CycleState, pod: PodInfo, statuses: ReadonlyMap<string, Status>) {
    const nodes = handle.cluster.nodes;
    const potential = nodes.filter((node) => statuses.get(node.name)?.code !== 'UnschedulableAndUnresolvable');
    const outcome = new Map<string, Status>();
    for (const node of nodes) if (!potential.includes(node)) outcome.set(node.name, NOT_HELPFUL);
    const wanted = Math.min(
      potential.length,
      Math.max(Math.trunc((potential.length * minPercentage) / 100), minAbsolute),
    );
    const offset = potential.length === 0 ? 0 : handle.random.int(potential.length);
    const candidates: PreemptionCandidate[] = [];
    for (let i = 0; i < potential.length && candidates.length < wanted; i++) {
      const node = potential[(offset + i) % potential.length] as NodeInfo;
      const victims = selectVictims(handle, state.clone(), pod, node.clone());
      if (Array.isArray(victims)) candidates.push({ nodeName: node.name, victims });
      else outcome.set(node.name, victims);
    }
    return { candidates, outcome, total: nodes.length };
  }

  function evict(pod: PodInfo, candidate: PreemptionCandidate): void {
    const store = handle.store;
    if (store === undefined) return;
    for (const victim of candidate.victims) {
      const { name, namespace } = victim.pod.metadata;
      void handle.recorder?.event(
        victim.pod,
        'Normal',
        'Preempted',
        `Preempted by pod ${pod.uid} on node ${candidate.nodeName}`,
      );
      store.delete(Pod, name, namespace === undefined ? {} : { namespace }).catch(() => undefined); // already gone: nothing to evict
    }
  }

  return {
    name: DEFAULT_PREEMPTION,
    postFilter(state, pod, statuses): PostFilterResult {
      if (pod.pod.spec.preemptionPolicy === 'Never') {
        return { status: unschedulable('not eligible due to preemptionPolicy=Never.') };
      }
      const { candidates, outcome, total } = dryRun(state, pod, statuses);
      const chosen = pickCandidate(candidates);
      if (chosen === undefined) {
        return { status: unschedulable(`preemption: ${fitErrorMessage(total, outcome)}`) };
      }
      state.write(PREEMPTION_VICTIMS, chosen);
      handle.nominate?.(pod, chosen.nodeName);
      evict(pod, chosen);
      return { status: undefined, nominatedNodeName: chosen.nodeName };
    },
  };
};
