import type { ResourceCatalog, ResourceEntry } from './catalog';

/** The Accept that asks for aggregated discovery, and the Content-Type it is answered with. */
export const AGGREGATED_DISCOVERY = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** A resource served by the server itself rather than the store (SelfSubjectAccessReview). */
export interface VirtualResource {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: readonly string[];
}

/** What the server serves besides the store's kinds. */
export const VIRTUAL_RESOURCES: readonly VirtualResource[] = [
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    plural: 'selfsubjectaccessreviews',
    singular: 'selfsubjectaccessreview',
    kind: 'SelfSubjectAccessReview',
    namespaced: false,
    verbs: ['create'],
  },
];

interface Subresource {
  name: string;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
}

function subresourcesOf(entry: ResourceEntry): Subresource[] {
  return entry.subresources.map((name): Subresource => {
    switch (name) {
      case 'scale':
        return { name, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };
      case 'binding':
        return { name, kind: 'Binding', verbs: ['create'] };
      case 'eviction':
        return { name, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
      case 'log':
        return { name, kind: 'Pod', verbs: ['get'] };
      default:
        return { name, kind: entry.kind, verbs: ['get', 'patch', 'update'] };
    }
  });
}

function groupVersions(catalog: ResourceCatalog, virtual: readonly VirtualResource[]): Map<string, string[]> {
  const groups = catalog.groups();
  for (const v of virtual) {
    const versions = groups.get(v.group) ?? [];
    if (!versions.includes(v.version)) versions.push(v.version);
    groups.set(v.group, versions);
  }
  return groups;
}

/** `GET /api`: the core group's versions. */
export function apiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `GET /apis`: every named group with its versions, preferred first. */
export function apiGroupList(catalog: ResourceCatalog, virtual: readonly VirtualResource[]): object {
  const groups = [...groupVersions(catalog, virtual)]
    .filter(([group]) => group !== '')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, versions]) => ({
      name,
      versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    }));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** `GET /apis/<group>`: one group. */
export function apiGroup(
  catalog: ResourceCatalog,
  group: string,
  virtual: readonly VirtualResource[],
): object | undefined {
  const versions = groupVersions(catalog, virtual).get(group);
  if (versions === undefined || group === '') return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: group,
    versions: versions.map((version) => ({ groupVersion: `${group}/${version}`, version })),
    preferredVersion: { groupVersion: `${group}/${versions[0]}`, version: versions[0] },
  };
}

/** `GET /api/v1` or `/apis/<group>/<version>`: the APIResourceList, or undefined when not served. */
export function apiResourceList(
  catalog: ResourceCatalog,
  group: string,
  version: string,
  all: readonly VirtualResource[],
): object | undefined {
  const entries = catalog.all().filter((e) => e.group === group && e.version === version);
  const virtual = all.filter((v) => v.group === group && v.version === version);
  if (entries.length === 0 && virtual.length === 0) return undefined;
  const resources: object[] = [];
  for (const entry of entries) {
    resources.push({
      name: entry.plural,
      singularName: entry.singular,
      namespaced: entry.namespaced,
      kind: entry.kind,
      verbs: VERBS,
      ...(entry.shortNames.length > 0 ? { shortNames: entry.shortNames } : {}),
      ...(entry.categories.length > 0 ? { categories: entry.categories } : {}),
    });
    for (const sub of subresourcesOf(entry)) {
      resources.push({
        name: `${entry.plural}/${sub.name}`,
        singularName: '',
        namespaced: entry.namespaced,
        ...(sub.group === undefined ? {} : { group: sub.group, version: sub.version }),
        kind: sub.kind,
        verbs: sub.verbs,
      });
    }
  }
  for (const v of virtual) {
    resources.push({
      name: v.plural,
      singularName: v.singular,
      namespaced: v.namespaced,
      kind: v.kind,
      verbs: v.verbs,
    });
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources,
  };
}

/** Aggregated discovery (`apidiscovery.k8s.io/v2`) for `/api` (core only) or `/apis` (every named group). */
export function aggregatedDiscovery(
  catalog: ResourceCatalog,
  core: boolean,
  virtual: readonly VirtualResource[],
): object {
  const items = [...groupVersions(catalog, virtual)]
    .filter(([group]) => (group === '') === core)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([group, versions]) => ({
      metadata: group === '' ? {} : { name: group },
      versions: versions.map((version) => ({
        version,
        resources: [
          ...catalog
            .all()
            .filter((e) => e.group === group && e.version === version)
            .map((entry) => ({
              resource: entry.plural,
              responseKind: { group: entry.group, version: entry.version, kind: entry.kind },
              scope: entry.namespaced ? 'Namespaced' : 'Cluster',
              singularResource: entry.singular,
              verbs: VERBS,
              ...(entry.shortNames.length > 0 ? { shortNames: entry.shortNames } : {}),
              ...(entry.categories.length > 0 ? { categories: entry.categories } : {}),
              ...(entry.subresources.length > 0
                ? {
                    subresources: subresourcesOf(entry).map((sub) => ({
                      subresource: sub.name,
                      responseKind: {
                        group: sub.group ?? entry.group,
                        version: sub.version ?? entry.version,
                        kind: sub.kind,
                      },
                      verbs: sub.verbs,
                    })),
                  }
                : {}),
            })),
          ...virtual
            .filter((v) => v.group === group && v.version === version)
            .map((v) => ({
              resource: v.plural,
              responseKind: { group: v.group, version: v.version, kind: v.kind },
              scope: v.namespaced ? 'Namespaced' : 'Cluster',
              singularResource: v.singular,
              verbs: v.verbs,
            })),
        ],
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}
