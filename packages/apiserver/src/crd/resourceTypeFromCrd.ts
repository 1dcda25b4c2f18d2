import {
  defineResource,
  type FieldDefinition,
  type FieldIssue,
  InvalidError,
  KeelsonError,
  type KubeObject,
  type ResourceType,
} from '@keelson/core';
import { z } from 'zod';
import type { PrinterColumn } from '../table/tableTypes';
import type { CrdSpec, CrdVersion } from './crdSchema';
import { applyDefaults, prune } from './pruning';
import { compileSchema, type SchemaCheck } from './schemaValidator';
import { type JsonSchema, propertiesOf } from './structuralSchema';

/** What this module reads of a CustomResourceDefinition. */
export interface CrdLike {
  metadata: { name: string };
  spec: CrdSpec;
}

/** How discovery names a custom kind besides its plural: `kubectl get ws`, `kubectl get all`. */
export interface CrdNames {
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly listKind: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
}

const PRESERVE = 'x-kubernetes-preserve-unknown-fields';
const ENVELOPE = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];

/** The version objects are stored (and served) at: the one with `storage: true`. */
export function storageVersionOf(crd: CrdLike): CrdVersion {
  const version = crd.spec.versions.find((v) => v.storage);
  if (version === undefined) {
    throw new InvalidError(`CustomResourceDefinition ${crd.metadata.name} has no storage version`);
  }
  return version;
}

/** The storage version's `openAPIV3Schema`, for publishing in OpenAPI v3 (undefined when it has none). */
export function crdSchemaOf(crd: CrdLike): JsonSchema | undefined {
  return crd.spec.versions.find((v) => v.storage)?.schema?.openAPIV3Schema;
}

/** The storage version's `additionalPrinterColumns`, as Table printing takes them. */
export function printerColumnsOf(crd: CrdLike): PrinterColumn[] {
  const columns = crd.spec.versions.find((v) => v.storage)?.additionalPrinterColumns ?? [];
  return columns.map((column) => ({
    name: column.name,
    type: column.type,
    jsonPath: column.jsonPath,
    ...(column.description === undefined ? {} : { description: column.description }),
    ...(column.priority === undefined ? {} : { priority: column.priority }),
    ...(column.format === undefined ? {} : { format: column.format }),
  }));
}

/** The names discovery shows, with Kubernetes' defaults for singular and listKind. */
export function crdNamesOf(crd: CrdLike): CrdNames {
  const { names } = crd.spec;
  return {
    plural: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    kind: names.kind,
    listKind: names.listKind || `${names.kind}List`,
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
  };
}

/**
 * One part of a custom object (`spec`, `status`, or the other top-level
 * fields) as a zod schema: pruned to what the schema declares, defaulted,
 * then checked by Ajv, each failure an issue at its field. Running inside
 * the part's zod schema, the check covers create, update and updateStatus
 * alike (the store parses exactly the parts each write changes).
 */
function partSchema(
  schema: JsonSchema | undefined,
  prefix: string,
  keepUnknown: boolean,
  required: boolean,
): z.ZodType {
  const check: SchemaCheck | undefined = schema === undefined ? undefined : compileSchema(schema);
  return z.unknown().transform((value, ctx) => {
    if (schema === undefined || check === undefined) {
      return keepUnknown && value !== undefined ? (JSON.parse(JSON.stringify(value)) as unknown) : undefined;
    }
    const out = applyDefaults(prune(value, schema), schema);
    if (out === undefined) {
      if (required) ctx.addIssue({ code: 'custom', message: 'Required value', path: [] });
      return undefined;
    }
    for (const issue of check(out, prefix)) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: [...issue.path] });
    }
    return out;
  });
}

/** The root schema without the envelope fields the store handles itself. */
function topLevelSchema(root: JsonSchema): JsonSchema {
  const properties = Object.fromEntries(Object.entries(propertiesOf(root)).filter(([k]) => !ENVELOPE.includes(k)));
  const required = Array.isArray(root.required) ? root.required.filter((k) => !ENVELOPE.includes(String(k))) : [];
  const { required: _required, properties: _properties, ...rest } = root;
  return { ...rest, properties, ...(required.length > 0 ? { required } : {}) };
}

function valueAtPath(object: unknown, path: string): string | undefined {
  let value: unknown = object;
  for (const key of path.replace(/^\./, '').split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value === undefined || value === null
    ? undefined
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
}

/**
 * The kind a CustomResourceDefinition serves, at its storage version
 * (Keelson keeps one version per kind: other served versions are not served,
 * as there is no conversion). Its objects are pruned to the
 * `openAPIV3Schema` (unless `x-kubernetes-preserve-unknown-fields`),
 * defaulted from it and validated against it with Ajv; with the `status`
 * subresource a create drops `status` (it is written through
 * `updateStatus` only); `subresources.scale` becomes the kind's `scale`;
 * `selectableFields` become field selectors. Throws `InvalidError` when the
 * CRD cannot make a kind (run {@link validateCrd} first for field-named issues).
 */
export function resourceTypeFromCrd(crd: CrdLike): ResourceType {
  const version = storageVersionOf(crd);
  const root: JsonSchema = version.schema?.openAPIV3Schema ?? { type: 'object', [PRESERVE]: true };
  const declared = propertiesOf(root);
  const keepUnknown = root[PRESERVE] === true;
  const required = Array.isArray(root.required) ? root.required.map(String) : [];
  const statusSubresource = version.subresources?.status !== undefined;
  const metadataCheck = declared.metadata === undefined ? undefined : compileSchema(declared.metadata);
  const validateMetadata = (object: KubeObject): FieldIssue[] =>
    (metadataCheck?.(object.metadata, 'metadata') ?? []).map((issue) => ({
      path: ['metadata', ...issue.path.map(String)].join('.'),
      message: issue.message,
    }));
  const fields: Record<string, FieldDefinition<KubeObject>> = {};
  for (const { jsonPath } of version.selectableFields ?? []) {
    fields[jsonPath.replace(/^\./, '')] = { get: (object) => valueAtPath(object, jsonPath) };
  }
  const scale = version.subresources?.scale;
  return defineResource({
    group: crd.spec.group,
    version: version.name,
    kind: crd.spec.names.kind,
    plural: crd.spec.names.plural,
    namespaced: crd.spec.scope === 'Namespaced',
    spec: partSchema(declared.spec, 'spec', keepUnknown, required.includes('spec')),
    status: partSchema(declared.status, 'status', keepUnknown, false),
    // A pipe, not a ZodObject: the store only ever calls safeParse on it.
    root: partSchema(topLevelSchema(root), '', keepUnknown, false) as unknown as z.ZodObject,
    fields: fields as Record<string, FieldDefinition<never>>,
    strategy: {
      prepareForCreate(object) {
        if (!statusSubresource || !('status' in object)) return object;
        const { status: _status, ...rest } = object as KubeObject & { status?: unknown };
        return rest as typeof object;
      },
      validate: validateMetadata,
      validateUpdate: (_old, next) => validateMetadata(next),
    },
    ...(scale === undefined
      ? {}
      : {
          scale: {
            specReplicasPath: scale.specReplicasPath,
            statusReplicasPath: scale.statusReplicasPath,
            ...(scale.labelSelectorPath === undefined ? {} : { labelSelectorPath: scale.labelSelectorPath }),
          },
        }),
  }) as unknown as ResourceType;
}

/**
 * The same kind, refusing creates (405 MethodNotAllowed) as Kubernetes does
 * while its CRD is being deleted; reads, updates and deletes go on. The
 * store runs the strategy of the type object a caller passes, so this holds
 * for callers that look the kind up in `store.types` (as the HTTP API does),
 * not for a type object kept from before.
 */
export function terminatingType(type: ResourceType): ResourceType {
  return Object.freeze({
    ...type,
    strategy: Object.freeze({
      ...type.strategy,
      prepareForCreate(): never {
        throw new KeelsonError(
          'MethodNotAllowed',
          405,
          `create not allowed while custom resource definition is terminating: delete of ${type.plural}.${type.group} is in progress`,
        );
      },
    }),
  }) as ResourceType;
}
