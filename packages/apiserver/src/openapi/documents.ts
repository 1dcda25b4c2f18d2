/**
 * Assembles the OpenAPI v3 document of one group-version from its kinds, and
 * the small documents of the discovery roots (`api`, `apis`).
 */
import type { ResourceType } from '@keelson/core';
import { kindPaths } from './kindPaths';
import { hasStatus, kindSchemas, ownKindSchemas } from './kindSchemas';
import { metaSchemas, referencedNames } from './metaSchemas';
import { META, ref } from './names';

type Schema = Record<string, unknown>;

/**
 * A kind served only through `create`, such as `authorization.k8s.io/v1`
 * SelfSubjectAccessReview (`kubectl auth can-i`) or TokenReview: it gets a
 * POST on its collection and a component schema, nothing else.
 */
export interface CreateOnlyKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** The object's JSON schema (OpenAPI 3.0); `apiVersion`, `kind` and `metadata` are added. */
  readonly schema: Readonly<Record<string, unknown>>;
}

/** What a group-version document is made of. */
export interface DocumentInput {
  readonly types: readonly ResourceType[];
  readonly createOnly: readonly CreateOnlyKind[];
  readonly schemaOf: (type: ResourceType) => Record<string, unknown> | undefined;
  /** The component schemas of a kind without a schema of its own; the caller may memoise them. */
  readonly zodSchemasOf?: (type: ResourceType) => Record<string, Schema>;
  readonly strategicMerge: (type: ResourceType) => boolean;
}

function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Adds the meta schemas the document refers to, until nothing it names is missing. */
function closeOverMeta(schemas: Record<string, Schema>, paths: Record<string, Schema>): void {
  let pending = [...referencedNames([schemas, paths])];
  while (pending.length > 0) {
    const next: string[] = [];
    for (const name of pending) {
      const meta = metaSchemas[name];
      if (schemas[name] !== undefined || meta === undefined) continue;
      const copy = structuredClone(meta);
      schemas[name] = copy;
      next.push(...referencedNames(copy));
    }
    pending = next;
  }
}

function openApiDocument(paths: Record<string, Schema>, schemas: Record<string, Schema>): Schema {
  closeOverMeta(schemas, paths);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths: sorted(paths),
    components: { schemas: sorted(schemas) },
  };
}

/** The document of one group-version, from the kinds served in it. */
export function groupVersionDocument(input: DocumentInput): Schema {
  const paths: Record<string, Schema> = {};
  const schemas: Record<string, Schema> = {};
  for (const type of input.types) {
    const own = input.schemaOf(type);
    Object.assign(schemas, own || !input.zodSchemasOf ? kindSchemas(type, own) : input.zodSchemasOf(type));
    Object.assign(
      paths,
      kindPaths(type, {
        plural: type.plural,
        namespaced: type.namespaced,
        status: hasStatus(type, own),
        scale: type.scale !== undefined,
        strategicMerge: input.strategicMerge(type),
      }),
    );
  }
  for (const kind of input.createOnly) {
    Object.assign(schemas, ownKindSchemas(kind, structuredClone(kind.schema) as Schema));
    Object.assign(
      paths,
      kindPaths(kind, { ...kind, status: false, scale: false, strategicMerge: false, createOnly: true }),
    );
  }
  return openApiDocument(paths, schemas);
}

function rootDocument(path: '/api/' | '/apis/', schemaName: string, operationId: string): Schema {
  const get = {
    tags: [path === '/api/' ? 'core' : 'apis'],
    description: path === '/api/' ? 'get available API versions' : 'get available API groups',
    operationId,
    responses: {
      '200': { description: 'OK', content: { 'application/json': { schema: ref(schemaName) } } },
      '401': { description: 'Unauthorized' },
    },
  };
  const schema: Schema = {
    description: path === '/api/' ? 'The versions of the core group.' : 'The API groups served.',
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      ...(path === '/api/'
        ? { versions: { type: 'array', items: { type: 'string', default: '' } } }
        : { groups: { type: 'array', items: { type: 'object' } } }),
    },
  };
  return openApiDocument({ [path]: { get } }, { [schemaName]: schema });
}

/** The documents of the discovery roots, listed by Kubernetes as `api` and `apis`. */
export function rootDocuments(): Record<string, Schema> {
  return {
    api: rootDocument('/api/', `${META}.APIVersions`, 'getCoreAPIVersions'),
    apis: rootDocument('/apis/', `${META}.APIGroupList`, 'getAPIVersions'),
  };
}
