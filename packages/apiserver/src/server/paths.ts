import type { ResourceCatalog, ResourceEntry } from './catalog';

/** A request for a resource, from its URL path. */
export interface ResourcePath {
  group: string;
  version: string;
  /** The resource (plural) as in the URL. */
  plural: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Set when the store serves the resource. */
  entry?: ResourceEntry;
}

/**
 * Splits `/api/v1/...` and `/apis/<group>/<version>/...` into group, version,
 * namespace, resource, name and subresource, as Kubernetes' request info
 * resolver does; undefined for other paths (discovery, OpenAPI, health).
 */
export function parseResourcePath(pathname: string, catalog: ResourceCatalog): ResourcePath | undefined {
  const segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    rest = segments.slice(1);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1] ?? '';
    rest = segments.slice(2);
  } else {
    return undefined;
  }
  const version = rest[0] ?? '';
  let parts = rest.slice(1);
  let namespace: string | undefined;
  // /namespaces/{ns}/{resource}…, unless the next part is a namespace's own subresource (status, finalize).
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    const candidate = parts[2] ?? '';
    const namespaced = catalog.find(group, version, candidate)?.namespaced === true;
    if (namespaced || !['status', 'finalize'].includes(candidate)) {
      namespace = parts[1];
      parts = parts.slice(2);
    }
  }
  if (parts.length === 0 || parts.length > 3) return undefined;
  const [plural = '', name, subresource] = parts;
  const path: ResourcePath = { group, version, plural };
  if (namespace !== undefined) path.namespace = namespace;
  if (name !== undefined) path.name = name;
  if (subresource !== undefined) path.subresource = subresource;
  const entry = catalog.find(group, version, plural);
  if (entry !== undefined) path.entry = entry;
  return path;
}
