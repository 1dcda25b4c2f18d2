/**
 * Turns a {@link SchedulerProfile} into the ordered plugin lists of each
 * extension point, following kube-scheduler's rules: the default plugins
 * are enabled through `multiPoint`; a profile's `enabled` entries are
 * appended after the defaults of their point; `disabled` removes defaults by
 * name, or all of them with `*`; an entry at a specific point overrides the
 * same plugin's `multiPoint` entry (and its weight).
 */
import { InvalidError } from '@keelson/core';
import type {
  ExtensionPoint,
  Plugin,
  PluginFactory,
  PluginHandle,
  PluginRef,
  SchedulerProfile,
} from '../framework/types';

/** The extension points and the plugin method that implements each. */
export const EXTENSION_POINTS: ReadonlyArray<readonly [ExtensionPoint, keyof Plugin]> = [
  ['preEnqueue', 'preEnqueue'],
  ['queueSort', 'less'],
  ['preFilter', 'preFilter'],
  ['filter', 'filter'],
  ['postFilter', 'postFilter'],
  ['preScore', 'preScore'],
  ['score', 'score'],
  ['reserve', 'reserve'],
  ['permit', 'permit'],
  ['preBind', 'preBind'],
  ['bind', 'bind'],
  ['postBind', 'postBind'],
];

/** A score plugin with its weight. */
export interface WeightedPlugin {
  readonly plugin: Plugin;
  readonly weight: number;
}

/** The plugins of one profile, per extension point, in order. */
export interface CompiledProfile {
  readonly schedulerName: string;
  readonly percentageOfNodesToScore: number;
  readonly plugins: ReadonlyMap<string, Plugin>;
  readonly points: { readonly [P in Exclude<ExtensionPoint, 'score'>]: readonly Plugin[] } & {
    readonly score: readonly WeightedPlugin[];
  };
}

/** A plugin of the default profile, with its default score weight. */
export interface DefaultPlugin {
  readonly name: string;
  readonly weight?: number;
}

function fail(schedulerName: string, what: string): never {
  throw new InvalidError(`scheduler profile "${schedulerName}": ${what}`);
}

function checkWeight(schedulerName: string, where: string, ref: PluginRef): number {
  const weight = ref.weight ?? 1;
  if (!Number.isInteger(weight) || weight < 1 || weight > 100) {
    fail(schedulerName, `${where}: weight of ${ref.name} must be an integer from 1 to 100 (got ${String(ref.weight)})`);
  }
  return weight;
}

interface Entry {
  name: string;
  weight: number;
  explicit: boolean;
}

/**
 * Compiles `profile` with `registry` (every plugin factory by name) and
 * `defaults` (the multiPoint plugins enabled when the profile says nothing).
 * Throws `InvalidError` naming the profile and the field for unknown plugins,
 * bad weights, a plugin enabled at a point it does not implement, or a
 * profile without exactly one QueueSort and at least one Bind plugin.
 */
export function compileProfile(
  profile: SchedulerProfile,
  registry: Readonly<Record<string, PluginFactory>>,
  defaults: readonly DefaultPlugin[],
  handle: PluginHandle,
): CompiledProfile {
  const schedulerName = profile.schedulerName ?? 'default-scheduler';
  if (typeof schedulerName !== 'string' || schedulerName === '') fail('', 'schedulerName must be a non-empty string');
  const percentage = profile.percentageOfNodesToScore ?? 0;
  if (!Number.isInteger(percentage) || percentage < 0 || percentage > 100) {
    fail(schedulerName, `percentageOfNodesToScore must be an integer from 0 to 100 (got ${String(percentage)})`);
  }
  const sets = profile.plugins ?? {};
  for (const key of Object.keys(sets)) {
    if (key !== 'multiPoint' && !EXTENSION_POINTS.some(([point]) => point === key)) {
      fail(
        schedulerName,
        `plugins.${key} is not an extension point (use one of multiPoint, ${EXTENSION_POINTS.map(([p]) => p).join(', ')})`,
      );
    }
  }
  const known = (where: string, name: string) => {
    if (name !== '*' && registry[name] === undefined) {
      fail(schedulerName, `${where}: no plugin named "${name}" is registered (add its factory to \`registry\`)`);
    }
  };

  // multiPoint: the defaults unless disabled, then the profile's own.
  const multiDisabled = new Set((sets.multiPoint?.disabled ?? []).map((d) => d.name));
  for (const name of multiDisabled) known('plugins.multiPoint.disabled', name);
  const multi: Entry[] = multiDisabled.has('*')
    ? []
    : defaults
        .filter((d) => !multiDisabled.has(d.name))
        .map((d) => ({ name: d.name, weight: d.weight ?? 1, explicit: false }));
  for (const ref of sets.multiPoint?.enabled ?? []) {
    known('plugins.multiPoint.enabled', ref.name);
    const weight = checkWeight(schedulerName, 'plugins.multiPoint.enabled', ref);
    const at = multi.findIndex((e) => e.name === ref.name);
    if (at >= 0) multi[at] = { name: ref.name, weight, explicit: false };
    else multi.push({ name: ref.name, weight, explicit: false });
  }

  const instances = new Map<string, Plugin>();
  const configs = new Map<string, unknown>();
  for (const [i, config] of (profile.pluginConfig ?? []).entries()) {
    if (typeof config?.name !== 'string') fail(schedulerName, `pluginConfig[${i}].name must be a plugin name`);
    known(`pluginConfig[${i}]`, config.name);
    if (configs.has(config.name)) fail(schedulerName, `pluginConfig[${i}]: ${config.name} is configured twice`);
    configs.set(config.name, config.args);
  }
  const instance = (name: string): Plugin => {
    let plugin = instances.get(name);
    if (plugin === undefined) {
      plugin = (registry[name] as PluginFactory)(configs.get(name), handle);
      instances.set(name, plugin);
    }
    return plugin;
  };

  const points: Record<string, Entry[]> = {};
  for (const [point, method] of EXTENSION_POINTS) {
    const set = sets[point];
    const disabled = new Set((set?.disabled ?? []).map((d) => d.name));
    for (const name of disabled) known(`plugins.${point}.disabled`, name);
    const explicit = (set?.enabled ?? []).map((ref) => {
      known(`plugins.${point}.enabled`, ref.name);
      const weight = point === 'score' ? checkWeight(schedulerName, `plugins.${point}.enabled`, ref) : 1;
      if (typeof instance(ref.name)[method] !== 'function') {
        fail(schedulerName, `plugins.${point}.enabled: ${ref.name} does not implement ${point}`);
      }
      return { name: ref.name, weight, explicit: true };
    });
    const overridden = new Set(explicit.map((e) => e.name));
    const fromMulti = disabled.has('*')
      ? []
      : multi.filter(
          (e) => !disabled.has(e.name) && !overridden.has(e.name) && typeof instance(e.name)[method] === 'function',
        );
    points[point] = [...fromMulti, ...explicit];
  }

  const list = (point: ExtensionPoint) => (points[point] ?? []).map((e) => instance(e.name));
  if ((points.queueSort ?? []).length !== 1) {
    fail(schedulerName, `needs exactly one queueSort plugin (has ${(points.queueSort ?? []).length})`);
  }
  if ((points.bind ?? []).length === 0) fail(schedulerName, 'needs at least one bind plugin');
  for (const name of configs.keys()) instance(name);
  return {
    schedulerName,
    percentageOfNodesToScore: percentage,
    plugins: instances,
    points: {
      preEnqueue: list('preEnqueue'),
      queueSort: list('queueSort'),
      preFilter: list('preFilter'),
      filter: list('filter'),
      postFilter: list('postFilter'),
      preScore: list('preScore'),
      score: (points.score ?? []).map((e) => ({ plugin: instance(e.name), weight: e.weight })),
      reserve: list('reserve'),
      permit: list('permit'),
      preBind: list('preBind'),
      bind: list('bind'),
      postBind: list('postBind'),
    },
  };
}
