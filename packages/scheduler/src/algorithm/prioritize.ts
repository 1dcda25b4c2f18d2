/**
 * Scoring the feasible nodes and picking one (kube-scheduler's
 * `prioritizeNodes` and `selectHost`): PreScore, Score, NormalizeScore,
 * weights, then the highest total, ties broken by the seeded random source.
 */
import type { Random } from '@keelson/clock';
import type { CycleState } from '../framework/cycleState';
import type { NodeInfo } from '../framework/nodeInfo';
import type { PodInfo } from '../framework/podInfo';
import { errorStatus, type Status, withPlugin } from '../framework/status';
import { MAX_NODE_SCORE, type Plugin } from '../framework/types';
import type { Framework } from '../profile/framework';

/** Scores of the feasible nodes: totals and, when asked for, the weighted scores per plugin (parallel to the nodes). */
export interface NodeScores {
  readonly totals: Float64Array;
  readonly byPlugin: ReadonlyMap<string, Float64Array>;
  readonly error?: Status;
}

/** Buffers reused across cycles, so scoring hundreds of nodes per pod allocates nothing per node. */
export class ScoreScratch {
  raw: number[] = [];
  totals = new Float64Array(0);

  totalsFor(n: number): Float64Array {
    if (this.totals.length < n) this.totals = new Float64Array(Math.max(n, this.totals.length * 2));
    const view = this.totals.subarray(0, n);
    view.fill(0);
    return view;
  }
}

const NO_PLUGIN_SCORES: ReadonlyMap<string, Float64Array> = new Map();

/**
 * Scores `nodes` with every score plugin of the profile not skipped by
 * PreScore. With `scratch`, totals live in its reused buffer (valid until the
 * next call) and per-plugin scores are not kept; without it, everything is
 * fresh and `byPlugin` holds each plugin's weighted scores.
 */
export function scoreNodes(
  framework: Framework,
  state: CycleState,
  pod: PodInfo,
  nodes: readonly NodeInfo[],
  scratch?: ScoreScratch,
): NodeScores {
  const totals = scratch ? scratch.totalsFor(nodes.length) : new Float64Array(nodes.length);
  const byPlugin = scratch ? NO_PLUGIN_SCORES : new Map<string, Float64Array>();
  const pre = framework.runPreScore(state, pod, nodes);
  if (pre !== undefined) return { totals, byPlugin, error: pre };
  const raw: number[] = scratch ? scratch.raw : new Array(nodes.length);
  raw.length = nodes.length;
  for (const { plugin, weight } of framework.profile.points.score) {
    if (state.skipScore.has(plugin.name)) continue;
    const score = plugin.score as NonNullable<Plugin['score']>;
    try {
      for (let i = 0; i < nodes.length; i++) raw[i] = score.call(plugin, state, pod, nodes[i] as NodeInfo);
      plugin.normalizeScore?.(state, pod, raw, nodes);
    } catch (error) {
      return { totals, byPlugin, error: withPlugin(errorStatus(error), plugin.name) };
    }
    const weighted = scratch ? undefined : new Float64Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) {
      const value = raw[i] as number;
      if (!(value >= 0 && value <= MAX_NODE_SCORE)) {
        const problem = new Error(
          `plugin "${plugin.name}" returns an invalid score ${value}, it should in the range of [0, ${MAX_NODE_SCORE}] after normalizing`,
        );
        return { totals, byPlugin, error: withPlugin(errorStatus(problem), plugin.name) };
      }
      if (weighted) weighted[i] = value * weight;
      totals[i] = (totals[i] as number) + value * weight;
    }
    if (weighted) (byPlugin as Map<string, Float64Array>).set(plugin.name, weighted);
  }
  return { totals, byPlugin };
}

/**
 * The index of the highest total; among equal totals each is equally likely,
 * as kube-scheduler's `selectHost` — with one draw from the seeded source per
 * pod (pick the k-th of the tied nodes) rather than one per tie.
 */
export function selectHost(totals: Float64Array, random: Random): number {
  let bestScore = totals[0] ?? 0;
  let ties = 1;
  for (let i = 1; i < totals.length; i++) {
    const score = totals[i] as number;
    if (score > bestScore) {
      bestScore = score;
      ties = 1;
    } else if (score === bestScore) {
      ties++;
    }
  }
  let pick = ties === 1 ? 0 : random.int(ties);
  for (let i = 0; i < totals.length; i++) {
    if (totals[i] === bestScore && pick-- === 0) return i;
  }
  return 0;
}
