/**
 * The profiles of a `createScheduler`: the plugin registry (in-tree plugins,
 * their cluster-aware versions, and the caller's out-of-tree ones) and one
 * framework per profile, each with its filter context.
 */
import type { Clock, Random } from '@keelson/clock';
import type { EventRecorder } from '@keelson/controller';
import { InvalidError, type Store } from '@keelson/core';
import type { FilterContext } from '../algorithm/feasible';
import type { PluginFactory, SchedulerProfile } from '../framework/types';
import { createInterPodAffinity, INTER_POD_AFFINITY } from '../plugins/interPodAffinity/plugin';
import { createPodTopologySpread, POD_TOPOLOGY_SPREAD } from '../plugins/podTopologySpread/plugin';
import { AssumedVolumes } from '../plugins/volumes/assumed';
import { createVolumeBinding, VOLUME_BINDING } from '../plugins/volumes/volumeBinding';
import { createVolumeRestrictions, VOLUME_RESTRICTIONS } from '../plugins/volumes/volumeRestrictions';
import { createVolumeZone, VOLUME_ZONE } from '../plugins/volumes/volumeZone';
import { DEFAULT_PLUGINS, defaultRegistry } from '../profile/defaults';
import { Framework } from '../profile/framework';
import type { SchedulerCache } from './cache';
import type { ClusterHooks } from './clusterHooks';
import type { Nominator } from './nominator';
import type { VolumeInformers } from './volumeInformers';

export interface ProfileDependencies {
  hooks: ClusterHooks;
  volumes: VolumeInformers;
  cache: SchedulerCache;
  nominator: Nominator;
  clock: Clock;
  random: Random;
  store: Store;
  recorder?: EventRecorder;
}

/** Validates `options.profiles` and `options.registry` and builds a framework per profile. */
export function buildProfiles(
  options: { profiles?: SchedulerProfile[]; registry?: Record<string, PluginFactory> },
  deps: ProfileDependencies,
): { frameworks: Map<string, Framework>; contexts: Map<Framework, FilterContext> } {
  const registry: Record<string, PluginFactory> = {
    ...defaultRegistry,
    // The cluster-aware versions: namespace labels and Kubernetes' default selector from informers.
    [INTER_POD_AFFINITY]: createInterPodAffinity({ namespaceLabels: deps.hooks.namespaceLabels }),
    [POD_TOPOLOGY_SPREAD]: createPodTopologySpread({ defaultSelector: deps.hooks.defaultSelector }),
    // Claims, volumes and classes from informers; one assume cache for every profile.
    [VOLUME_BINDING]: createVolumeBinding({ volumes: deps.volumes, assumed: new AssumedVolumes() }),
    [VOLUME_RESTRICTIONS]: createVolumeRestrictions({ volumes: deps.volumes }),
    [VOLUME_ZONE]: createVolumeZone({ volumes: deps.volumes }),
  };
  for (const [name, factory] of Object.entries(options.registry ?? {})) {
    if (registry[name] !== undefined) {
      throw new InvalidError(`createScheduler: registry: a plugin named "${name}" already exists; choose another name`);
    }
    registry[name] = factory;
  }
  const profiles = options.profiles ?? [{}];
  if (!Array.isArray(profiles) || profiles.length === 0) {
    throw new InvalidError('createScheduler: profiles must list at least one profile');
  }
  const frameworks = new Map<string, Framework>();
  const contexts = new Map<Framework, FilterContext>();
  for (const profile of profiles) {
    const framework = new Framework(profile, {
      registry,
      defaults: DEFAULT_PLUGINS,
      cluster: () => deps.cache.nodes,
      clock: deps.clock,
      random: deps.random.fork(`profile/${profile.schedulerName ?? 'default-scheduler'}`),
      store: deps.store,
      ...(deps.recorder ? { recorder: deps.recorder } : {}),
      nominate: (pod, nodeName) => deps.nominator.set(pod, nodeName),
    });
    if (frameworks.has(framework.schedulerName)) {
      throw new InvalidError(`createScheduler: two profiles are named "${framework.schedulerName}"`);
    }
    frameworks.set(framework.schedulerName, framework);
    contexts.set(framework, {
      framework,
      cluster: deps.cache.nodes,
      cursor: 0,
      nominator: deps.nominator,
      feasibleBuffer: [],
    });
  }
  // One queue serves every profile, so they must agree on its order (kube-scheduler's rule).
  const sorts = [...frameworks.values()].map((f) => `${f.schedulerName} uses ${f.profile.points.queueSort[0]?.name}`);
  const names = new Set([...frameworks.values()].map((f) => f.profile.points.queueSort[0]?.name));
  if (names.size > 1) {
    throw new InvalidError(`createScheduler: every profile must use the same queueSort plugin (${sorts.join(', ')})`);
  }
  return { frameworks, contexts };
}
