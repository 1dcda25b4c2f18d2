/**
 * VolumeBinding: a pod's PersistentVolumeClaims must exist; unbound claims of
 * Immediate classes keep it pending; bound claims' volumes must allow the
 * node; unbound WaitForFirstConsumer claims need, on the node, a matching
 * Available volume or a class that provisions there. Reserve assumes the
 * chosen volumes; PreBind writes the bindings and waits (up to
 * `bindTimeoutSeconds`, default 600) until the PV controller has bound
 * every claim.
 */
import { InvalidError } from '@keelson/core';
import type { CycleState } from '../../framework/cycleState';
import { errorStatus, SKIP, unresolvable } from '../../framework/status';
import type { Plugin, PluginFactory } from '../../framework/types';
import { AssumedVolumes } from './assumed';
import { bindingsDone, waitForBindings, writeBindings } from './bindVolumes';
import { createVolumeLister, podClaimNames, type VolumeLister } from './lister';
import { claimKeyOf, findPodVolumes, type PodClaims, type PodVolumes, podClaims } from './podVolumes';

/** The plugin's name. */
export const VOLUME_BINDING = 'VolumeBinding';

/** Kubernetes' default `bindTimeoutSeconds`. */
export const DEFAULT_BIND_TIMEOUT_SECONDS = 600;

const STATE_KEY = `PreFilter${VOLUME_BINDING}`;

/** VolumeBinding's args (`VolumeBindingArgs`). */
export interface VolumeBindingArgs {
  /** How long PreBind waits for the PV controller to bind the claims (default 600). */
  bindTimeoutSeconds?: number;
}

/** Hooks a host gives VolumeBinding. */
export interface VolumeBindingOptions {
  /** Claims, volumes and classes (default: none, so every claim is not found). */
  volumes?: VolumeLister;
  /** Volumes assumed for pods in flight; share one between profiles of a scheduler. */
  assumed?: AssumedVolumes;
}

class BindingState {
  readonly byNode = new Map<string, PodVolumes>();
  reserved: PodVolumes | undefined;
  constructor(readonly claims: PodClaims) {}
}

function parseArgs(args: unknown): number {
  if (args === undefined || args === null) return DEFAULT_BIND_TIMEOUT_SECONDS;
  const value = (args as VolumeBindingArgs).bindTimeoutSeconds;
  if (value === undefined) return DEFAULT_BIND_TIMEOUT_SECONDS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new InvalidError(
      `VolumeBinding: args.bindTimeoutSeconds must be a positive whole number of seconds, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * Builds the VolumeBinding factory over a lister.
 *
 * @example
 * ```ts
 * const factory = createVolumeBinding({ volumes: createVolumeLister({ claims, volumes, storageClasses }) });
 * ```
 */
export function createVolumeBinding(options: VolumeBindingOptions = {}): PluginFactory {
  return (args, handle): Plugin => {
    const timeoutMs = parseArgs(args) * 1000;
    const lister = options.volumes ?? createVolumeLister();
    const assumed = options.assumed ?? new AssumedVolumes();
    const stateOf = (state: CycleState) => {
      const value = state.read<unknown>(STATE_KEY);
      return value instanceof BindingState ? value : undefined;
    };
    const release = (volumes: PodVolumes | undefined) => {
      for (const { claim, volume } of volumes?.bindings ?? []) assumed.release(volume.metadata.name, claimKeyOf(claim));
    };

    return {
      name: VOLUME_BINDING,
      events: [
        'NodeAdd',
        'NodeUpdate',
        'PersistentVolumeClaimAdd',
        'PersistentVolumeClaimUpdate',
        'PersistentVolumeAdd',
        'PersistentVolumeUpdate',
        'StorageClassAdd',
        'StorageClassUpdate',
      ],

      preFilter(state, pod) {
        const names = podClaimNames(pod.pod);
        if (names.length === 0) return SKIP;
        const result = podClaims(pod.pod, names, lister);
        if ('status' in result) return result.status;
        state.write(STATE_KEY, new BindingState(result.claims));
        return undefined;
      },

      filter(state, _pod, node) {
        const data = stateOf(state);
        if (data === undefined) return undefined;
        const found = findPodVolumes(data.claims, node.node, lister, assumed);
        if (found.volumes === undefined) return unresolvable(...found.reasons);
        if (data.claims.delayed.length > 0) data.byNode.set(node.name, found.volumes);
        return undefined;
      },

      reserve(state, _pod, nodeName) {
        const data = stateOf(state);
        const volumes = data?.byNode.get(nodeName);
        if (data === undefined || volumes === undefined) return undefined;
        for (const { claim, volume } of volumes.bindings) assumed.assume(volume.metadata.name, claimKeyOf(claim));
        data.reserved = volumes;
        return undefined;
      },

      unreserve(state) {
        const data = stateOf(state);
        release(data?.reserved);
        if (data !== undefined) data.reserved = undefined;
      },

      async preBind(state, _pod, nodeName) {
        const data = stateOf(state);
        const volumes = data?.reserved;
        if (volumes === undefined || (volumes.bindings.length === 0 && volumes.provisions.length === 0)) {
          return undefined;
        }
        const node = handle.cluster.get(nodeName)?.node;
        if (handle.store === undefined || node === undefined) {
          return errorStatus(new Error(`binding volumes: no store to write to, or node "${nodeName}" is gone`));
        }
        try {
          await writeBindings(handle.store, volumes, nodeName);
          await waitForBindings(lister, handle.clock, timeoutMs, () => bindingsDone(lister, volumes, node));
          return undefined;
        } catch (error) {
          return errorStatus(error);
        } finally {
          release(volumes);
          if (data !== undefined) data.reserved = undefined;
        }
      },
    };
  };
}

/** VolumeBinding with no claims known (for `schedulePod`; `createScheduler` serves them from informers). */
export const volumeBinding: PluginFactory = createVolumeBinding();
