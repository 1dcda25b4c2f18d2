import type { KubeObject, ResourceType } from '../resource/defineResource';
import type { LabelSelectorInput } from '../selectors/index';

/** Who a request acts as, and what it does: the authorizer's input. */
export interface RequestAttributes {
  actor: string;
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';
  group: string;
  kind: string;
  /** The kind's plural, as RBAC rules name resources. */
  resource: string;
  namespace?: string | undefined;
  name?: string;
  subresource?: 'status';
}

/** Decides whether a request may proceed; a refusal is a `ForbiddenError` and nothing is written. */
export type Authorizer = (request: RequestAttributes) => boolean | Promise<boolean>;

/** What an admission plugin sees. */
export interface AdmissionRequest<T extends KubeObject = KubeObject> {
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  type: ResourceType;
  /** The object being written (for DELETE: the object being deleted). Frozen: return a new one to change it. */
  object: T;
  /** The stored object, on UPDATE and DELETE. */
  oldObject?: T;
  namespace?: string | undefined;
  subresource?: 'status';
  actor: string;
  /** Read access to the store, for plugins that check other objects (e.g. the namespace). */
  store: StoreReader;
}

/**
 * An admission plugin: `mutate` runs before the schema (and may return a
 * changed object), `validate` after every other rule; either refuses a write
 * by throwing a `KeelsonError` (usually `ForbiddenError` or `ValidationError`).
 */
export interface AdmissionPlugin {
  name: string;
  mutate?(request: AdmissionRequest): KubeObject | undefined | Promise<KubeObject | undefined>;
  validate?(request: AdmissionRequest): void | Promise<void>;
}

/** Where to find an object, and (optionally) which version to read at least. */
export interface GetOptions {
  namespace?: string | undefined;
  /** Read at least this version: waits up to 3 s for the store to catch up, else `TimeoutError`. */
  resourceVersion?: string;
}

export interface ListOptions extends GetOptions {
  labelSelector?: LabelSelectorInput;
  fieldSelector?: string;
}

export interface ListResult<T> {
  items: T[];
  /** The store's revision the list reflects: resume a watch from it with no gap. */
  resourceVersion: string;
}

export interface WriteOptions {
  /** Unknown fields dropped from the input are reported here (default: the store's logger). */
  onWarning?: (warning: string) => void;
  /** Recorded with the change, shown by `history`. */
  reason?: string;
  /** Run every check (schema, strategy, admission, conflicts) and return the result, but write nothing (Kubernetes' `dryRun=All`). */
  dryRun?: boolean;
}

export interface CreateOptions extends WriteOptions {
  namespace?: string | undefined;
}

export interface PatchOptions extends WriteOptions {
  namespace?: string | undefined;
  /** Precondition: patch only this version (no retries). Without it, conflicts are retried up to 5 times. */
  resourceVersion?: string;
  subresource?: 'status';
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions extends WriteOptions {
  namespace?: string | undefined;
  /** Seconds before the object is gone; default the kind's strategy (0 for most kinds). */
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface WatchOptions {
  namespace?: string | undefined;
  labelSelector?: LabelSelectorInput;
  fieldSelector?: string;
  /** Deliver every change after this version (no gap, no duplicate); without it, an ADDED per existing match first. */
  resourceVersion?: string;
  /** Also send BOOKMARK events (only a resourceVersion) every minute of the store's clock. */
  allowBookmarks?: boolean;
}

export type WatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }
  | { type: 'BOOKMARK'; object: { apiVersion: string; kind: string; metadata: { resourceVersion: string } } };

/** The reading half of the store, as admission plugins and views see it. */
export interface StoreReader {
  get<T extends KubeObject>(type: ResourceType<T, unknown>, name: string, options?: GetOptions): Promise<T>;
  list<T extends KubeObject>(type: ResourceType<T, unknown>, options?: ListOptions): Promise<ListResult<T>>;
}

/** One version of an object, as `history` yields it. */
export interface HistoryEntry<T> {
  revision: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: T;
  /** RFC 6902 operations from the previous version (from `null` for the first). */
  patch: import('../history/jsonPatch').JsonPatchOperation[];
  actor: string;
  reason?: string;
}
