/**
 * The component schemas of one kind: the object (`io.k8s.api.apps.v1.Deployment`),
 * its spec and status (`…DeploymentSpec`, `…DeploymentStatus`, as Kubernetes
 * splits them) and its list (`…DeploymentList`).
 */
import type { ResourceType } from '@keelson/core';
import { API_VERSION_DESCRIPTION, KIND_DESCRIPTION, listMetaRef, objectMetaRef } from './metaSchemas';
import { refWith, schemaName } from './names';
import { type ConvertedSchema, jsonToOpenApi, zodToOpenApi } from './toOpenApiSchema';

type Schema = Record<string, unknown>;

/** The identity of a kind, as `x-kubernetes-group-version-kind` spells it. */
export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

function typeMetaProperties(): Schema {
  return {
    apiVersion: { type: 'string', description: API_VERSION_DESCRIPTION },
    kind: { type: 'string', description: KIND_DESCRIPTION },
  };
}

function isRecord(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The schema of the list of a kind, which every list operation answers with. */
export function listSchema(gvk: GroupVersionKind): Schema {
  return {
    description: `${gvk.kind}List is a list of ${gvk.kind} objects.`,
    type: 'object',
    required: ['items'],
    properties: {
      ...typeMetaProperties(),
      items: {
        type: 'array',
        description: `The ${gvk.kind} objects.`,
        items: refWith(schemaName(gvk.group, gvk.version, gvk.kind), { default: {} }),
      },
      metadata: listMetaRef(),
    },
    'x-kubernetes-group-version-kind': [{ group: gvk.group, kind: `${gvk.kind}List`, version: gvk.version }],
  };
}

/**
 * A kind's schema from its own JSON schema (a CRD's openAPIV3Schema), with
 * Kubernetes' `apiVersion`, `kind` and `metadata`, plus the definitions it needs.
 */
export function ownKindSchemas(type: GroupVersionKind, own: Schema): Record<string, Schema> {
  const name = schemaName(type.group, type.version, type.kind);
  const converted = jsonToOpenApi(own, name);
  const properties = isRecord(converted.schema.properties) ? converted.schema.properties : {};
  return {
    ...converted.definitions,
    [name]: {
      description: `${type.kind} of ${type.group === '' ? '' : `${type.group}/`}${type.version}.`,
      ...converted.schema,
      type: 'object',
      properties: { ...properties, ...typeMetaProperties(), metadata: objectMetaRef() },
      'x-kubernetes-group-version-kind': [{ group: type.group, kind: type.kind, version: type.version }],
    },
  };
}

/** A kind's schema from its zod schemas: spec and status as their own components, root fields inline. */
function fromZod(type: ResourceType, name: string): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const take = (converted: ConvertedSchema): Schema => {
    Object.assign(out, converted.definitions);
    return converted.schema;
  };
  const properties: Schema = { ...typeMetaProperties(), metadata: objectMetaRef() };
  const required: string[] = [];
  const { spec, status, root } = type.schemas;
  if (root) {
    const schema = take(zodToOpenApi(root, `${name}.root`));
    if (isRecord(schema.properties)) Object.assign(properties, schema.properties);
    if (Array.isArray(schema.required)) required.push(...schema.required.filter((f) => typeof f === 'string'));
  }
  if (spec) {
    out[`${name}Spec`] = take(zodToOpenApi(spec, `${name}Spec`));
    properties.spec = refWith(`${name}Spec`, {
      description: `The desired state of the ${type.kind}.`,
    });
  }
  if (status) {
    out[`${name}Status`] = take(zodToOpenApi(status, `${name}Status`));
    properties.status = refWith(`${name}Status`, {
      description: `The observed state of the ${type.kind}. Read-only.`,
    });
  }
  out[name] = {
    description: `${type.kind} of ${type.apiVersion}.`,
    type: 'object',
    ...(required.length > 0 ? { required: required.filter((f) => f !== 'metadata') } : {}),
    properties,
    'x-kubernetes-group-version-kind': [{ group: type.group, kind: type.kind, version: type.version }],
  };
  return out;
}

/**
 * Every component schema a kind brings: the object (named as Kubernetes
 * names it), parts it refers to, and its list. `own` replaces the
 * zod-derived object schema (a CRD's openAPIV3Schema).
 */
export function kindSchemas(type: ResourceType, own?: Schema): Record<string, Schema> {
  const name = schemaName(type.group, type.version, type.kind);
  const schemas = own ? ownKindSchemas(type, own) : fromZod(type, name);
  schemas[`${name}List`] = listSchema(type);
  return schemas;
}

/** Whether a kind serves `/status`: it has a status schema (its own schema: a `status` field). */
export function hasStatus(type: ResourceType, own?: Schema): boolean {
  if (own) return isRecord(own.properties) && 'status' in own.properties;
  return type.schemas.status !== undefined;
}
