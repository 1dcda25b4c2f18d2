/**
 * One profile at run time: its compiled plugins and the code that runs an
 * extension point over them, attributing each status to its plugin and
 * turning a thrown error into an `Error` status.
 */
import type { Clock, Random } from '@keelson/clock';
import type { EventRecorder } from '@keelson/controller';
import type { Store } from '@keelson/core';
import type { CycleState } from '../framework/cycleState';
import type { NodeInfo } from '../framework/nodeInfo';
import type { PodInfo } from '../framework/podInfo';
import { errorStatus, isRejection, type PluginResult, type Status, withPlugin } from '../framework/status';
import type { ClusterView, Plugin, PluginFactory, PluginHandle, SchedulerProfile } from '../framework/types';
import { type CompiledProfile, compileProfile, type DefaultPlugin } from './compile';

/** What a framework is built from. */
export interface FrameworkOptions {
  registry: Readonly<Record<string, PluginFactory>>;
  defaults: readonly DefaultPlugin[];
  /** The cluster the plugins read (a getter: the scheduler swaps snapshots). */
  cluster: () => ClusterView;
  clock: Clock;
  random: Random;
  store?: Store;
  recorder?: EventRecorder;
  nominate?: (pod: PodInfo, nodeName: string) => void;
}

function attribute(result: PluginResult, plugin: Plugin): PluginResult {
  return result === undefined || result.code === 'Success' ? undefined : withPlugin(result, plugin.name);
}

export class Framework {
  readonly profile: CompiledProfile;

  constructor(profile: SchedulerProfile, options: FrameworkOptions) {
    const handle: PluginHandle = {
      get cluster() {
        return options.cluster();
      },
      clock: options.clock,
      random: options.random,
      ...(options.store ? { store: options.store } : {}),
      ...(options.recorder ? { recorder: options.recorder } : {}),
      ...(options.nominate ? { nominate: options.nominate } : {}),
      runFilters: (state, pod, node) => this.runFilters(state, pod, node),
      runAddPod: (state, pod, added, node) => this.runPreFilterExtension('addPod', state, pod, added, node),
      runRemovePod: (state, pod, removed, node) => this.runPreFilterExtension('removePod', state, pod, removed, node),
    };
    this.profile = compileProfile(profile, options.registry, options.defaults, handle);
  }

  get schedulerName(): string {
    return this.profile.schedulerName;
  }

  /** Runs `filter` of every plugin not skipped this cycle; the first rejection (or error) wins. */
  runFilters(state: CycleState, pod: PodInfo, node: NodeInfo): PluginResult {
    let plugins = state.activeFilters as readonly Plugin[] | undefined;
    if (plugins === undefined) {
      const skip = state.skipFilter;
      plugins = this.profile.points.filter.filter((plugin) => !skip.has(plugin.name));
      state.activeFilters = plugins;
    }
    for (let i = 0; i < plugins.length; i++) {
      const plugin = plugins[i] as Plugin;
      let result: PluginResult;
      try {
        result = (plugin.filter as NonNullable<Plugin['filter']>)(state, pod, node);
      } catch (error) {
        return withPlugin(errorStatus(error), plugin.name);
      }
      if (result !== undefined && result.code !== 'Success') return withPlugin(result, plugin.name);
    }
    return undefined;
  }

  /** Runs `addPod` / `removePod` of every PreFilter plugin that has them. */
  runPreFilterExtension(
    which: 'addPod' | 'removePod',
    state: CycleState,
    pod: PodInfo,
    other: PodInfo,
    node: NodeInfo,
  ): PluginResult {
    for (const plugin of this.profile.points.preFilter) {
      const run = plugin[which];
      if (run === undefined || state.skipFilter.has(plugin.name)) continue;
      try {
        const result = attribute(run.call(plugin, state, pod, other, node), plugin);
        if (result !== undefined) return result;
      } catch (error) {
        return withPlugin(errorStatus(error), plugin.name);
      }
    }
    return undefined;
  }

  /** PreScore for every score plugin's sake; a Skip drops that plugin's Score this cycle. */
  runPreScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): PluginResult {
    for (const plugin of this.profile.points.preScore) {
      let result: PluginResult;
      try {
        result = (plugin.preScore as NonNullable<Plugin['preScore']>)(state, pod, nodes);
      } catch (error) {
        return withPlugin(errorStatus(error), plugin.name);
      }
      if (result?.code === 'Skip') state.skipScore.add(plugin.name);
      else if (result !== undefined && result.code !== 'Success') return withPlugin(result, plugin.name);
    }
    return undefined;
  }

  /** Reserve in order; on a failure, the caller runs {@link runUnreserve}. */
  runReserve(state: CycleState, pod: PodInfo, nodeName: string): PluginResult {
    for (const plugin of this.profile.points.reserve) {
      try {
        const result = attribute((plugin.reserve as NonNullable<Plugin['reserve']>)(state, pod, nodeName), plugin);
        if (result !== undefined) return result;
      } catch (error) {
        return withPlugin(errorStatus(error), plugin.name);
      }
    }
    return undefined;
  }

  /** Unreserve in reverse order; errors are swallowed (unreserve must not fail). */
  runUnreserve(state: CycleState, pod: PodInfo, nodeName: string): void {
    const plugins = this.profile.points.reserve;
    for (let i = plugins.length - 1; i >= 0; i--) {
      const plugin = plugins[i] as Plugin;
      try {
        plugin.unreserve?.(state, pod, nodeName);
      } catch {
        // Unreserve is best effort, as upstream.
      }
    }
  }

  /** Permit: a rejection wins; otherwise the longest `Wait` timeout, if any plugin waits. */
  runPermit(state: CycleState, pod: PodInfo, nodeName: string): { status: PluginResult; waitMs?: number } {
    let waitMs: number | undefined;
    for (const plugin of this.profile.points.permit) {
      try {
        const answer = (plugin.permit as NonNullable<Plugin['permit']>)(state, pod, nodeName);
        const status = attribute(answer?.status, plugin);
        if (status?.code === 'Wait') waitMs = Math.max(waitMs ?? 0, answer?.timeoutMs ?? 0);
        else if (status !== undefined) return { status };
      } catch (error) {
        return { status: withPlugin(errorStatus(error), plugin.name) };
      }
    }
    return waitMs === undefined ? { status: undefined } : { status: undefined, waitMs };
  }

  /** PreBind then Bind (the first binder that does not Skip); the first failure is returned. */
  async runBindingCycle(state: CycleState, pod: PodInfo, nodeName: string): Promise<PluginResult> {
    for (const plugin of this.profile.points.preBind) {
      try {
        const result = attribute(
          await (plugin.preBind as NonNullable<Plugin['preBind']>)(state, pod, nodeName),
          plugin,
        );
        if (result !== undefined) return result;
      } catch (error) {
        return withPlugin(errorStatus(error), plugin.name);
      }
    }
    for (const plugin of this.profile.points.bind) {
      try {
        const result = await (plugin.bind as NonNullable<Plugin['bind']>)(state, pod, nodeName);
        if (result?.code === 'Skip') continue;
        return attribute(result, plugin);
      } catch (error) {
        return withPlugin(errorStatus(error), plugin.name);
      }
    }
    return withPlugin(errorStatus(new Error('every bind plugin skipped the pod')), 'Bind');
  }

  runPostBind(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (const plugin of this.profile.points.postBind) {
      try {
        plugin.postBind?.(state, pod, nodeName);
      } catch {
        // PostBind is informational.
      }
    }
  }

  /** The plugins whose rejection of a pod lets `event` make it schedulable (queueing hints). */
  pluginsInterestedIn(): ReadonlyMap<string, readonly string[]> {
    const interest = new Map<string, readonly string[]>();
    for (const plugin of this.profile.plugins.values()) interest.set(plugin.name, plugin.events ?? []);
    return interest;
  }
}

/** Whether `s` should stop the pod (rejection or error). */
export function isFailure(s: PluginResult): s is Status {
  return s !== undefined && s.code !== 'Success' && s.code !== 'Skip';
}

export { isRejection };
