import type { z } from 'zod';
import type { FieldIssue } from '../errors/index';
import { InvalidError } from '../errors/index';
import type { NameRule, ObjectMeta, ObjectMetaInput } from './objectMeta';

/** What every stored object has. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

/** A field that field selectors may use; `indexed` fields also index watchers (O(1) dispatch). */
export interface FieldDefinition<T> {
  get(object: T): string | undefined;
  indexed?: boolean;
}

/** What a strategy may know about the write it prepares. */
export interface StrategyContext {
  /** The write's time on the store's clock, in ms. */
  readonly now: number;
}

/**
 * Per-kind rules, as Kubernetes keeps them in each kind's registry. Every
 * function is pure: it returns a new object and never mutates its inputs
 * (which are frozen).
 */
export interface Strategy<T> {
  /** Clears or defaults what a create may not set (e.g. a new pod's status). */
  prepareForCreate?(object: T): T;
  /**
   * Carries over what an update may not change. `context.now` is the write's
   * time (the store's clock, ms), for fields a transition stamps.
   */
  prepareForUpdate?(old: T, next: T, context: StrategyContext): T;
  /** Rules beyond the schema, on create; each issue names a field. */
  validate?(object: T): FieldIssue[];
  /** Rules on update, such as immutable fields. */
  validateUpdate?(old: T, next: T): FieldIssue[];
  /**
   * The grace period a `delete` gets, from the one requested (undefined when
   * none was); 0 deletes at once. Without this rule the request is used as is
   * (default 0). Pods: 0 when unbound or finished, else the request or
   * `terminationGracePeriodSeconds`.
   */
  gracefulDeleteSeconds?(object: T, requested: number | undefined): number;
}

/**
 * Where a scalable kind keeps its replica counts, for the `scale`
 * subresource (`store.getScale` / `store.updateScale`), as a CRD declares
 * `subresources.scale`: dotted paths such as `.spec.replicas`.
 */
export interface ScaleSubresource {
  /** The desired replicas, under `.spec`. */
  specReplicasPath: string;
  /** The observed replicas, under `.status`. */
  statusReplicasPath: string;
  /** A label selector (a string, or a structured selector) the Scale reports as `status.selector`. */
  labelSelectorPath?: string;
}

type Schema = z.ZodType;
type RootSchema = z.ZodObject;

/** The object type a definition describes. */
export type ResourceObject<S, St, R> = KubeObject &
  ([S] extends [Schema] ? { spec: z.output<S> } : unknown) &
  ([St] extends [Schema] ? { status?: z.output<St> } : unknown) &
  ([R] extends [RootSchema] ? z.output<R> : unknown);

/** A spec the schema can default entirely (`.default({})`, `.prefault({})`) may be left out. */
type SpecInput<S extends Schema> = undefined extends z.input<S> ? { spec?: z.input<S> } : { spec: z.input<S> };

/** What `create` and `update` take: the object before defaults, with metadata the store fills in. */
export type ResourceInput<S, St, R> = { apiVersion?: string; kind?: string; metadata?: ObjectMetaInput } & ([
  S,
] extends [Schema]
  ? SpecInput<S>
  : unknown) &
  ([St] extends [Schema] ? { status?: z.input<St> } : unknown) &
  ([R] extends [RootSchema] ? z.input<R> : unknown);

/** The arguments of {@link defineResource}. */
export interface ResourceDefinition<
  S extends Schema | undefined,
  St extends Schema | undefined,
  R extends RootSchema | undefined,
> {
  /** API group; '' for Kubernetes' core group (`v1`). */
  group: string;
  version: string;
  kind: string;
  /** Lower-case plural, as in URLs and RBAC rules: `websites`. */
  plural: string;
  namespaced: boolean;
  /** The desired state; changes bump `metadata.generation`. */
  spec?: S;
  /** The observed state, written through `updateStatus`. */
  status?: St;
  /** Top-level fields besides spec and status, for kinds shaped that way (Event, EndpointSlice). */
  root?: R;
  /** Default `subdomain`. */
  nameRule?: NameRule;
  fields?: Record<string, FieldDefinition<ResourceObject<S, St, R>>>;
  strategy?: Strategy<ResourceObject<S, St, R>>;
  /** Serve a `scale` subresource (an `autoscaling/v1` Scale) from these fields. */
  scale?: ScaleSubresource;
}

/** A registered kind: what the store needs to validate, store, select and watch its objects. */
export interface ResourceType<T extends KubeObject = KubeObject, I = unknown> {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** `group/version`, or just `version` in the core group. */
  readonly apiVersion: string;
  readonly nameRule: NameRule;
  readonly schemas: { readonly spec?: Schema; readonly status?: Schema; readonly root?: RootSchema };
  /** Field selector whitelist beyond `metadata.name` and `metadata.namespace`. */
  readonly fields: Readonly<Record<string, FieldDefinition<T>>>;
  readonly strategy: Strategy<T>;
  /** Where the replica counts are, when the kind has a `scale` subresource. */
  readonly scale?: ScaleSubresource;
  /** @internal Carries the input type; never set. */
  readonly __input?: I;
}

/** The object type of a resource type: `type Website = ResourceOf<typeof Website>`. */
export type ResourceOf<R> = R extends ResourceType<infer T, unknown> ? T : never;

/** The input type of a resource type (what `create` accepts). */
export type InputOf<R> = R extends ResourceType<KubeObject, infer I> ? I : never;

const NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Declares a kind: its identity, zod schemas, selectable fields and rules.
 *
 * @example
 * ```ts
 * const Website = defineResource({
 *   group: 'example.dev', version: 'v1', kind: 'Website', plural: 'websites', namespaced: true,
 *   spec: z.object({ replicas: z.number().int().min(0).default(1), image: z.string() }),
 *   status: z.object({ readyReplicas: z.number().int().default(0) }),
 *   fields: { 'spec.image': { get: (w) => w.spec.image } },
 * });
 * type Website = ResourceOf<typeof Website>;
 * ```
 */
export function defineResource<
  S extends Schema | undefined = undefined,
  St extends Schema | undefined = undefined,
  R extends RootSchema | undefined = undefined,
>(definition: ResourceDefinition<S, St, R>): ResourceType<ResourceObject<S, St, R>, ResourceInput<S, St, R>> {
  const { group, version, kind, plural, namespaced } = definition;
  if (typeof group !== 'string' || (group !== '' && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(group))) {
    throw new InvalidError(`defineResource: group must be '' or a DNS subdomain such as "example.dev", got "${group}"`);
  }
  if (typeof version !== 'string' || !/^v\d+((alpha|beta)\d+)?$/.test(version)) {
    throw new InvalidError(`defineResource: version must look like v1, v1beta1 or v2alpha3, got "${version}"`);
  }
  if (typeof kind !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    throw new InvalidError(`defineResource: kind must be UpperCamelCase such as "Website", got "${kind}"`);
  }
  if (typeof plural !== 'string' || !NAME.test(plural)) {
    throw new InvalidError(`defineResource: plural must be lower case such as "websites", got "${plural}"`);
  }
  if (typeof namespaced !== 'boolean') {
    throw new InvalidError(`defineResource: namespaced must be true or false for ${kind}`);
  }
  for (const reserved of ['metadata.name', 'metadata.namespace']) {
    if (definition.fields && reserved in definition.fields) {
      throw new InvalidError(`defineResource: ${kind} may not redefine the built-in field "${reserved}"`);
    }
  }
  const { scale } = definition;
  if (scale !== undefined) {
    const checks: [string, string | undefined, RegExp][] = [
      ['specReplicasPath', scale.specReplicasPath, /^\.spec(\.[A-Za-z0-9_]+)+$/],
      ['statusReplicasPath', scale.statusReplicasPath, /^\.status(\.[A-Za-z0-9_]+)+$/],
      ['labelSelectorPath', scale.labelSelectorPath ?? '.status.x', /^\.(spec|status)(\.[A-Za-z0-9_]+)+$/],
    ];
    for (const [field, path, pattern] of checks) {
      if (typeof path !== 'string' || !pattern.test(path)) {
        throw new InvalidError(
          `defineResource: scale.${field} of ${kind} must be a dotted path such as ".spec.replicas" (${field === 'statusReplicasPath' ? 'under .status' : field === 'specReplicasPath' ? 'under .spec' : 'under .spec or .status'}), got ${JSON.stringify(path)}`,
        );
      }
    }
  }
  const schemas: { spec?: Schema; status?: Schema; root?: RootSchema } = {};
  if (definition.spec) schemas.spec = definition.spec;
  if (definition.status) schemas.status = definition.status;
  if (definition.root) schemas.root = definition.root;
  return Object.freeze({
    group,
    version,
    kind,
    plural,
    namespaced,
    apiVersion: group === '' ? version : `${group}/${version}`,
    nameRule: definition.nameRule ?? 'subdomain',
    schemas: Object.freeze(schemas),
    fields: Object.freeze({ ...(definition.fields ?? {}) }),
    strategy: Object.freeze({ ...(definition.strategy ?? {}) }),
    ...(scale === undefined ? {} : { scale: Object.freeze({ ...scale }) }),
  }) as ResourceType<ResourceObject<S, St, R>, ResourceInput<S, St, R>>;
}
