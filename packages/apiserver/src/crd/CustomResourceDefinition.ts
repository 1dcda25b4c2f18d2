import { defineResource, type ResourceOf } from '@keelson/core';
import { type CrdSpec, type CrdStatus, crdSpecSchema, crdStatusSchema } from './crdSchema';
import { validateCrd, validateCrdUpdate } from './validateCrd';

/** Kubernetes' defaults for `spec.names`: singular is the lower-case kind, listKind the kind plus `List`. */
function withDefaultNames(spec: CrdSpec): CrdSpec {
  const { names } = spec;
  if (names.singular && names.listKind) return spec;
  return {
    ...spec,
    names: {
      ...names,
      singular: names.singular || names.kind.toLowerCase(),
      listKind: names.listKind || (names.kind ? `${names.kind}List` : ''),
    },
  };
}

/** `status.storedVersions` with the current storage version added, as the registry keeps it. */
function withStorageVersion(spec: CrdSpec, status: CrdStatus | undefined): CrdStatus {
  const storage = spec.versions.find((v) => v.storage)?.name;
  const stored = status?.storedVersions ?? [];
  if (storage === undefined || stored.includes(storage)) return { ...status, storedVersions: stored };
  return { ...status, storedVersions: [...stored, storage] };
}

/**
 * `apiextensions.k8s.io/v1` CustomResourceDefinition, cluster-scoped: applying
 * one (with {@link serveCustomResources} running) serves a new kind.
 * Creating one clears what a client put in `status` but the storage version
 * in `storedVersions`; updates keep the status and append a new storage
 * version to it. Validation is Kubernetes' ValidateCustomResourceDefinition
 * (and ...Update, which also checks the immutable fields).
 */
export const CustomResourceDefinition = defineResource({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  namespaced: false,
  spec: crdSpecSchema,
  status: crdStatusSchema,
  fields: {
    'spec.group': { get: (crd) => crd.spec.group },
    'spec.names.kind': { get: (crd) => crd.spec.names.kind },
  },
  strategy: {
    prepareForCreate(crd) {
      const spec = withDefaultNames(crd.spec);
      return { ...crd, spec, status: withStorageVersion(spec, undefined) };
    },
    prepareForUpdate(old, next) {
      const spec = withDefaultNames(next.spec);
      return { ...next, spec, status: withStorageVersion(spec, old.status) };
    },
    validate: (crd) => validateCrd(crd),
    validateUpdate: (old, next) => validateCrdUpdate(old, next),
  },
});

/** A stored CustomResourceDefinition. */
export type CustomResourceDefinition = ResourceOf<typeof CustomResourceDefinition>;
