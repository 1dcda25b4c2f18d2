import type { ResourceType } from '@keelson/core';

/** How discovery shows a kind besides what its ResourceType says. */
export interface ResourceNames {
  singular?: string;
  shortNames?: readonly string[];
  categories?: readonly string[];
}

/** One served resource: a kind's plural under its group-version, with what discovery and routing need. */
export interface ResourceEntry {
  readonly type: ResourceType;
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  /** Subresources served (`status`, `scale`, `binding`, `eviction`, `log`). */
  readonly subresources: readonly string[];
}

/** Kubernetes' short names and categories of the built-in resources (`kubectl get po`, `kubectl get all`). */
const BUILTIN_NAMES: Readonly<Record<string, ResourceNames>> = {
  '/pods': { shortNames: ['po'], categories: ['all'] },
  '/services': { shortNames: ['svc'], categories: ['all'] },
  '/nodes': { shortNames: ['no'] },
  '/namespaces': { shortNames: ['ns'] },
  '/events': { shortNames: ['ev'] },
  '/configmaps': { shortNames: ['cm'] },
  '/endpoints': { shortNames: ['ep'] },
  '/persistentvolumes': { shortNames: ['pv'] },
  '/persistentvolumeclaims': { shortNames: ['pvc'] },
  '/serviceaccounts': { shortNames: ['sa'] },
  'apps/replicasets': { shortNames: ['rs'], categories: ['all'] },
  'apps/deployments': { shortNames: ['deploy'], categories: ['all'] },
  'apps/daemonsets': { shortNames: ['ds'], categories: ['all'] },
  'apps/statefulsets': { shortNames: ['sts'], categories: ['all'] },
  'batch/jobs': { categories: ['all'] },
  'batch/cronjobs': { shortNames: ['cj'], categories: ['all'] },
  'policy/poddisruptionbudgets': { shortNames: ['pdb'] },
  'autoscaling/horizontalpodautoscalers': { shortNames: ['hpa'], categories: ['all'] },
  'storage.k8s.io/storageclasses': { shortNames: ['sc'] },
  'events.k8s.io/events': { shortNames: ['ev'] },
  'apiextensions.k8s.io/customresourcedefinitions': { shortNames: ['crd', 'crds'], categories: ['api-extensions'] },
};

/** The resources of the store's kinds, rebuilt when the store's kinds change. */
export class ResourceCatalog {
  private types: readonly ResourceType[] | undefined;
  private entries: ResourceEntry[] = [];
  private byPath = new Map<string, ResourceEntry>();

  constructor(
    private readonly source: () => readonly ResourceType[],
    private readonly namesOf: (type: ResourceType) => ResourceNames | undefined = () => undefined,
  ) {}

  /** Every served resource, sorted by group, version and plural. */
  all(): readonly ResourceEntry[] {
    this.refresh();
    return this.entries;
  }

  /** The resource at `<group>/<version>/<plural>` ('' for the core group), if served. */
  find(group: string, version: string, plural: string): ResourceEntry | undefined {
    this.refresh();
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /** The entry of a kind the store serves. */
  entryOf(type: ResourceType): ResourceEntry | undefined {
    return this.find(type.group, type.version, type.plural);
  }

  /** Group → versions served, in order (preferred first). */
  groups(): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const entry of this.all()) {
      const versions = groups.get(entry.group) ?? [];
      if (!versions.includes(entry.version)) versions.push(entry.version);
      groups.set(entry.group, versions);
    }
    for (const versions of groups.values()) versions.sort(compareVersions);
    return groups;
  }

  /** Forget what was built, e.g. after a CRD's names changed. */
  invalidate(): void {
    this.types = undefined;
  }

  private refresh(): void {
    const types = this.source();
    const same =
      this.types !== undefined && types.length === this.types.length && types.every((t, i) => t === this.types?.[i]);
    if (same) return;
    this.types = types;
    this.entries = types.map((type) => this.entry(type)).sort(compareEntries);
    this.byPath = new Map(this.entries.map((e) => [`${e.group}/${e.version}/${e.plural}`, e]));
  }

  private entry(type: ResourceType): ResourceEntry {
    const names = { ...BUILTIN_NAMES[`${type.group === '' ? '' : type.group}/${type.plural}`], ...this.namesOf(type) };
    const subresources: string[] = [];
    if (type.schemas.status !== undefined) subresources.push('status');
    if (type.scale !== undefined) subresources.push('scale');
    if (type.group === '' && type.kind === 'Pod') subresources.push('binding', 'eviction', 'log');
    return {
      type,
      group: type.group,
      version: type.version,
      plural: type.plural,
      singular: names.singular ?? type.kind.toLowerCase(),
      kind: type.kind,
      namespaced: type.namespaced,
      shortNames: names.shortNames ?? [],
      categories: names.categories ?? [],
      subresources,
    };
  }
}

function compareEntries(a: ResourceEntry, b: ResourceEntry): number {
  if (a.group !== b.group) return a.group < b.group ? -1 : 1;
  if (a.version !== b.version) return compareVersions(a.version, b.version);
  return a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0;
}

/** Kubernetes' version priority: GA before beta before alpha, higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (m === null) return [3, 0, 0];
    const stage = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stage, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return a < b ? -1 : a > b ? 1 : 0;
}
