/**
 * What tests hand a cluster or a spec: objects, arrays of them, `List`s or
 * YAML text — turned into `(type, object)` pairs the store can write.
 */
import { parseManifests } from '@keelson/api';
import { InvalidError, type KubeObject, type ResourceType } from '@keelson/core';

/** Objects as tests write them: one object, an array, a `kind: List`, or multi-document YAML. */
export type ManifestInput = string | ManifestObject | readonly (ManifestObject | string)[];

/** One object with `apiVersion`, `kind` and `metadata`. */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; generateName?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** An object and the kind it belongs to. */
export interface TypedObject {
  type: ResourceType;
  object: KubeObject;
}

/** The kind of `object` among `types`, by `apiVersion` and `kind`; an unknown kind is an `InvalidError` listing the known ones. */
export function lookupType(
  types: readonly ResourceType[],
  object: { apiVersion?: unknown; kind?: unknown },
): ResourceType {
  const type = types.find((t) => t.apiVersion === object.apiVersion && t.kind === object.kind);
  if (!type) {
    const known = types.map((t) => `${t.apiVersion}/${t.kind}`).join(', ');
    throw new InvalidError(
      `apiVersion "${String(object.apiVersion)}" kind "${String(object.kind)}" is not a kind this cluster serves (${known}); pass its type in \`types\``,
    );
  }
  return type;
}

/** Flattens objects, arrays, Lists and YAML into typed objects, in order. */
export function typedObjects(input: ManifestInput, types: readonly ResourceType[]): TypedObject[] {
  if (typeof input === 'string') {
    return parseManifests(input, { types }).map(({ type, object }) => ({
      type,
      object: object as unknown as KubeObject,
    }));
  }
  if (Array.isArray(input)) return input.flatMap((item) => typedObjects(item as ManifestInput, types));
  if (typeof input !== 'object' || input === null) {
    throw new InvalidError(
      'expected an object with apiVersion, kind and metadata, an array of them, a List, or YAML text',
    );
  }
  const object = input as ManifestObject;
  if (object.kind === 'List' && Array.isArray(object.items)) {
    return (object.items as ManifestObject[]).flatMap((item) => typedObjects(item, types));
  }
  if (typeof object.metadata !== 'object' || object.metadata === null) {
    throw new InvalidError(`${String(object.kind)}: metadata is required (with a name or generateName)`);
  }
  return [{ type: lookupType(types, object), object: object as unknown as KubeObject }];
}
