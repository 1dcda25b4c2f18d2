/**
 * The OpenAPI v3 documents of the API server, as kubectl 1.32 reads them:
 * `/openapi/v3` lists one document per group-version, each at a URL with a
 * hash so clients may cache it for good.
 */
import { createHash } from 'node:crypto';
import type { ResourceType } from '@keelson/core';
import { type CreateOnlyKind, groupVersionDocument, rootDocuments } from './documents';
import { kindSchemas } from './kindSchemas';
import { documentPath } from './names';

/** What {@link createOpenApi} publishes. */
export interface OpenApiOptions {
  /**
   * The kinds served, read on each call (they change at run time when CRDs
   * are added). Documents are rebuilt only when the kinds (or their own
   * schemas) change: a new array holding the same kinds costs a comparison.
   */
  types: () => readonly ResourceType[];
  /** A kind's own JSON schema (for CRDs: their openAPIV3Schema), used instead of the zod-derived one. */
  schemaOf?: (type: ResourceType) => Record<string, unknown> | undefined;
  /** Kinds served only through POST (SelfSubjectAccessReview, TokenReview), merged into their group-version's document. */
  createOnly?: readonly CreateOnlyKind[];
  /**
   * Whether a kind's PATCH declares `application/strategic-merge-patch+json`.
   * Default: never. kubectl 1.32 (`apply`, `diff`) computes a strategic
   * merge patch from the published schema when the content type is listed;
   * as these schemas carry no merge keys it would then replace lists the
   * server merges by key. Without it kubectl uses the merge keys compiled
   * into it for built-in kinds and a JSON merge patch for others, as for CRDs.
   */
  strategicMerge?: (type: ResourceType) => boolean;
}

/** The OpenAPI v3 endpoints' bodies. */
export interface OpenApi {
  /** The body of `GET /openapi/v3`: each document's path and its URL with `?hash=`. */
  index(): { paths: Record<string, { serverRelativeURL: string }> };
  /** The body of `GET /openapi/v3/<path>` (`api/v1`, `apis/apps/v1`), or undefined when not served. Frozen. */
  document(path: string): Record<string, unknown> | undefined;
  /** A stable hash of a document (its ETag and the `?hash=` of {@link OpenApi.index}), or undefined when not served. */
  hash(path: string): string | undefined;
}

interface Built {
  readonly types: readonly ResourceType[];
  /** What `schemaOf` gave for each kind, in order. */
  readonly own: readonly (Record<string, unknown> | undefined)[];
  readonly documents: ReadonlyMap<string, Record<string, unknown>>;
  readonly hashes: ReadonlyMap<string, string>;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Kubernetes' document hash: SHA-512 of the JSON body, upper-case hex. */
function hashOf(document: Record<string, unknown>): string {
  return createHash('sha512').update(JSON.stringify(document)).digest('hex').toUpperCase();
}

/** `api/v1` from `api/v1`, `/api/v1`, `/openapi/v3/api/v1?hash=…` or `api/v1/`. */
function normalise(path: string): string {
  const [bare = ''] = path.split('?');
  return bare
    .replace(/^\/+/, '')
    .replace(/^openapi\/v3\/+/, '')
    .replace(/\/+$/, '');
}

/**
 * Builds the OpenAPI v3 documents of the kinds served: per group-version,
 * each kind's schema (named as Kubernetes names it, with
 * `x-kubernetes-group-version-kind`), its list, the meta schemas they use,
 * and its paths with Kubernetes' operations and parameters — PATCH declares
 * `fieldValidation`, which `kubectl apply` requires.
 *
 * @example
 * ```ts
 * const openApi = createOpenApi({ types: () => store.types });
 * openApi.index();                 // { paths: { 'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=…' }, … } }
 * openApi.document('apis/apps/v1'); // { openapi: '3.0.0', paths, components: { schemas } }
 * ```
 */
export function createOpenApi(options: OpenApiOptions): OpenApi {
  const schemaOf = options.schemaOf ?? (() => undefined);
  const strategicMerge = options.strategicMerge ?? (() => false);
  const createOnly = options.createOnly ?? [];
  let built: Built | undefined;
  // A kind's zod schemas never change, and converting them is most of a
  // rebuild's cost; adding one CRD should not convert every built-in again.
  const zodSchemas = new WeakMap<ResourceType, Record<string, Record<string, unknown>>>();
  const zodSchemasOf = (type: ResourceType) => {
    const cached = zodSchemas.get(type);
    if (cached) return cached;
    const schemas = kindSchemas(type);
    zodSchemas.set(type, schemas);
    return schemas;
  };

  const build = (): Built => {
    const types = options.types();
    if (built?.types === types) return built;
    // Callers such as store.types hand out a fresh array on each read.
    const own = types.map((type) => schemaOf(type));
    if (built && sameItems(built.types, types) && sameItems(built.own, own)) {
      built = { ...built, types };
      return built;
    }
    const ownOf = new Map(types.map((type, i) => [type, own[i]]));
    const groups = new Map<string, { types: ResourceType[]; createOnly: CreateOnlyKind[] }>();
    const groupOf = (group: string, version: string) => {
      const path = documentPath(group, version);
      const entry = groups.get(path) ?? { types: [], createOnly: [] };
      groups.set(path, entry);
      return entry;
    };
    for (const type of types) groupOf(type.group, type.version).types.push(type);
    for (const kind of createOnly) groupOf(kind.group, kind.version).createOnly.push(kind);
    const documents = new Map<string, Record<string, unknown>>(Object.entries(rootDocuments()));
    for (const [path, entry] of groups) {
      documents.set(
        path,
        groupVersionDocument({ ...entry, schemaOf: (type) => ownOf.get(type), strategicMerge, zodSchemasOf }),
      );
    }
    const hashes = new Map<string, string>();
    for (const [path, document] of documents) {
      hashes.set(path, hashOf(document));
      deepFreeze(document);
    }
    built = { types, own, documents, hashes };
    return built;
  };

  return {
    index() {
      const { hashes } = build();
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const path of [...hashes.keys()].sort()) {
        paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hashes.get(path)}` };
      }
      return { paths };
    },
    document(path) {
      return build().documents.get(normalise(path));
    },
    hash(path) {
      return build().hashes.get(normalise(path));
    },
  };
}
