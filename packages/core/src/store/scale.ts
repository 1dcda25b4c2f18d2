/**
 * The `scale` subresource: an `autoscaling/v1` Scale read from and written to
 * a kind that declares where its replica counts live (`defineResource({
 * scale })`), as Kubernetes serves `/scale` for Deployments, ReplicaSets and
 * custom resources with a scale subresource.
 */
import { InvalidError, NotFoundError, ValidationError } from '../errors/index';
import type { KubeObject, ResourceType, ScaleSubresource } from '../resource/defineResource';
import { labelSelectorFromStructured, type StructuredLabelSelector } from '../selectors/index';
import type { Store } from './Store';
import type { WriteOptions } from './types';

/** An `autoscaling/v1` Scale: the desired and observed replicas of a scalable object. */
export interface Scale {
  apiVersion: 'autoscaling/v1';
  kind: 'Scale';
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp?: string;
  };
  spec: { replicas: number };
  status: { replicas: number; selector?: string };
}

/** What `updateScale` takes: the replicas wanted, with the Scale's resourceVersion to write only that version. */
export interface ScaleUpdate {
  metadata?: { resourceVersion?: string };
  spec: { replicas: number };
}

const MAX_REPLICAS = 2147483647;

/** The scale subresource of a kind, or a NotFoundError saying it has none. */
export function scaleSubresourceOf(type: ResourceType): ScaleSubresource {
  if (type.scale === undefined) {
    throw new NotFoundError(
      `${type.plural}.${type.group || 'core'}: the ${type.kind} kind has no scale subresource (declare one with defineResource({ scale }))`,
    );
  }
  return type.scale;
}

function segments(path: string): string[] {
  return path.replace(/^\./, '').split('.');
}

function read(object: unknown, path: string): unknown {
  let value: unknown = object;
  for (const key of segments(path)) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function write(object: Record<string, unknown>, path: string, value: unknown): void {
  const keys = segments(path);
  let target = object;
  for (const key of keys.slice(0, -1)) {
    const next = target[key];
    if (typeof next !== 'object' || next === null) target[key] = {};
    target = target[key] as Record<string, unknown>;
  }
  target[keys[keys.length - 1] as string] = value;
}

function selectorText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    return labelSelectorFromStructured(value as StructuredLabelSelector).toString();
  }
  return undefined;
}

/** The Scale of an object of a scalable kind. */
export function scaleOf(type: ResourceType, object: KubeObject): Scale {
  const scale = scaleSubresourceOf(type);
  const specReplicas = read(object, scale.specReplicasPath);
  const statusReplicas = read(object, scale.statusReplicasPath);
  const selector =
    scale.labelSelectorPath === undefined ? undefined : selectorText(read(object, scale.labelSelectorPath));
  const { name, namespace, uid, resourceVersion, creationTimestamp } = object.metadata;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      name,
      ...(namespace === undefined ? {} : { namespace }),
      uid,
      resourceVersion,
      ...(creationTimestamp === undefined ? {} : { creationTimestamp }),
    },
    spec: { replicas: typeof specReplicas === 'number' ? specReplicas : 0 },
    status: {
      replicas: typeof statusReplicas === 'number' ? statusReplicas : 0,
      ...(selector === undefined || selector === '' ? {} : { selector }),
    },
  };
}

/** @internal `store.getScale`. */
export async function getScale(
  store: Store,
  type: ResourceType,
  name: string,
  options: { namespace?: string | undefined } = {},
): Promise<Scale> {
  scaleSubresourceOf(type);
  return scaleOf(type, await store.get(type, name, options));
}

/** @internal `store.updateScale`. */
export async function updateScale(
  store: Store,
  type: ResourceType,
  name: string,
  update: ScaleUpdate,
  options: WriteOptions & { namespace?: string | undefined } = {},
): Promise<Scale> {
  const scale = scaleSubresourceOf(type);
  const replicas = (update as Partial<ScaleUpdate> | undefined)?.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0 || replicas > MAX_REPLICAS) {
    const message =
      typeof replicas === 'number' && Number.isInteger(replicas) && replicas < 0
        ? 'must be greater than or equal to 0'
        : `must be an integer between 0 and ${MAX_REPLICAS}, got ${String(replicas)}`;
    throw new ValidationError('Scale', name, [{ path: 'spec.replicas', message }]);
  }
  if (typeof name !== 'string' || name === '') throw new InvalidError('updateScale: name must be a non-empty string');
  const resourceVersion = update.metadata?.resourceVersion;
  const updated = await store.patch(
    type,
    name,
    (draft) => {
      write(draft as unknown as Record<string, unknown>, scale.specReplicasPath, replicas);
      return draft;
    },
    {
      ...options,
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
      reason: options.reason ?? `scale to ${replicas}`,
    },
  );
  return scaleOf(type, updated);
}
