/**
 * Work-queue keys of the garbage collector. One collector works over every
 * kind, so a key names the kind as well as the object: `<plural>.<group>:<name>`
 * (core kinds: `<plural>:<name>`), in the object's namespace.
 */
import type { Request } from '@keelson/controller';
import type { KubeObject, OwnerReference, ResourceType } from '@keelson/core';

/** The kinds the collector knows, found by type id and by `apiVersion` + `kind`. */
export class KnownTypes {
  private readonly byId = new Map<string, ResourceType>();
  private readonly byKind = new Map<string, ResourceType>();

  constructor(readonly all: readonly ResourceType[]) {
    for (const type of all) {
      this.byId.set(typeId(type), type);
      this.byKind.set(`${type.apiVersion}/${type.kind}`, type);
    }
  }

  /** The kind an owner reference points at, or `undefined` for a kind this store does not serve. */
  ofReference(ref: Pick<OwnerReference, 'apiVersion' | 'kind'>): ResourceType | undefined {
    return this.byKind.get(`${ref.apiVersion}/${ref.kind}`);
  }

  /** The kind and object a request names, or `undefined` for a key of an unknown kind. */
  decode(request: Request): ItemRef | undefined {
    const colon = request.name.indexOf(':');
    if (colon < 0) return undefined;
    const type = this.byId.get(request.name.slice(0, colon));
    if (type === undefined) return undefined;
    const name = request.name.slice(colon + 1);
    return type.namespaced && request.namespace !== undefined
      ? { type, name, namespace: request.namespace }
      : { type, name };
  }
}

/** One object the collector looks at: its kind, name and (for namespaced kinds) namespace. */
export interface ItemRef {
  type: ResourceType;
  name: string;
  namespace?: string | undefined;
}

/** `<plural>.<group>`, or `<plural>` for the core group. */
export function typeId(type: ResourceType): string {
  return type.group === '' ? type.plural : `${type.plural}.${type.group}`;
}

/** The work-queue request for one object of `type`. */
export function requestFor(type: ResourceType, name: string, namespace: string | undefined): Request {
  const request: Request = { name: `${typeId(type)}:${name}` };
  if (type.namespaced && namespace !== undefined) request.namespace = namespace;
  return request;
}

/** The request for `object` itself. */
export function requestOf(type: ResourceType, object: KubeObject): Request {
  return requestFor(type, object.metadata.name, object.metadata.namespace);
}
