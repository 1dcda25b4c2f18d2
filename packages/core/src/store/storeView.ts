/** Read-only views of the store at one revision (`store.at`), and the selector parsing reads share. */
import { InvalidError, NotFoundError } from '../errors/index';
import type { KubeObject, ResourceType } from '../resource/defineResource';
import { parseFieldSelector, parseLabelSelector } from '../selectors/index';
import { matches } from '../watch/WatchIndex';
import { qualifiedResource } from './keys';
import { Projection, type TypeState } from './Projection';
import type { StoreCore } from './StoreCore';
import type { GetOptions, ListOptions, ListResult, StoreReader } from './types';

/** @internal Parses and checks a read's label and field selectors against the kind's selectable fields. */
export function selectors(
  type: ResourceType,
  options: { labelSelector?: ListOptions['labelSelector']; fieldSelector?: string },
) {
  const labels = parseLabelSelector(options.labelSelector);
  const fields = parseFieldSelector(options.fieldSelector);
  for (const requirement of fields.requirements) {
    const field = requirement.field;
    if (field !== 'metadata.name' && field !== 'metadata.namespace' && !(field in type.fields)) {
      const known = ['metadata.name', 'metadata.namespace', ...Object.keys(type.fields)].join(', ');
      throw new InvalidError(`field label not supported: "${field}" for ${type.kind}; supported: ${known}`);
    }
  }
  return { labels, fields };
}

/** @internal The order lists are returned in. */
export function byNamespaceAndName(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.namespace ?? '';
  const bn = b.metadata.namespace ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** A read-only view of every object as of one revision: `store.at(revision)`. */
export class StoreView implements StoreReader {
  constructor(
    private readonly core: StoreCore,
    readonly revision: number,
  ) {}

  private objectsOf(state: TypeState): KubeObject[] {
    const out: KubeObject[] = [];
    for (const versions of state.versions.values()) {
      const change = Projection.at(versions, this.revision);
      if (change && !change.deleted) out.push(change.object);
    }
    return out;
  }

  async get<T extends KubeObject>(type: ResourceType<T, unknown>, name: string, options: GetOptions = {}): Promise<T> {
    const namespace = this.core.namespaceFor(type, options.namespace);
    const versions = this.core.typeState(type).versions.get(this.core.key(type, namespace, name));
    const change = Projection.at(versions, this.revision);
    if (!change || change.deleted) {
      throw new NotFoundError(`${qualifiedResource(type)} "${name}" not found at revision ${this.revision}`);
    }
    return change.object as T;
  }

  async list<T extends KubeObject>(type: ResourceType<T, unknown>, options: ListOptions = {}): Promise<ListResult<T>> {
    const { labels, fields } = selectors(type, options);
    const namespace = type.namespaced && options.namespace ? options.namespace : undefined;
    const items = this.objectsOf(this.core.typeState(type))
      .filter((o) => matches(type, o, namespace, labels, fields))
      .sort(byNamespaceAndName) as T[];
    return { items, resourceVersion: String(this.revision) };
  }
}
