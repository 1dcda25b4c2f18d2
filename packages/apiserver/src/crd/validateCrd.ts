import type { FieldIssue } from '@keelson/core';
import type { CrdNamesSpec, CrdSpec, CrdStatus, CrdVersion } from './crdSchema';
import { defaultIssues } from './schemaDefaults';
import { compileSchema } from './schemaValidator';
import { type JsonSchema, structuralIssues } from './structuralSchema';

/** What {@link validateCrd} reads of a CustomResourceDefinition. */
export interface CrdShape {
  metadata: { name: string };
  spec: CrdSpec;
  status?: CrdStatus | undefined;
}

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_MESSAGE =
  "a lowercase RFC 1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
/** What Keelson's `defineResource` accepts as a version (Kubernetes also allows other DNS-1035 labels). */
const KEELSON_VERSION = /^v\d+((alpha|beta)\d+)?$/;
const PRINTER_TYPES = ['integer', 'number', 'string', 'boolean', 'date'];
const PRINTER_FORMATS = ['int32', 'int64', 'float', 'double', 'byte', 'date', 'date-time', 'password'];
const SPEC_PATH = /^\.spec(\.[A-Za-z0-9_]+)+$/;
const STATUS_PATH = /^\.status(\.[A-Za-z0-9_]+)+$/;
/** The finalizer that holds a deleted CRD until its custom objects are gone. */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

function dns1035(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  return DNS1035.test(value) ? undefined : DNS1035_MESSAGE;
}

function supported(value: string, values: readonly string[]): string {
  return `Unsupported value: ${JSON.stringify(value)}: supported values: ${values.map((v) => `"${v}"`).join(', ')}`;
}

/** Kubernetes' ValidateCustomResourceDefinitionNames, for `spec.names` and `status.acceptedNames`. */
export function validateNames(names: CrdNamesSpec, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const label = (field: string, value: string | undefined, lower = false) => {
    if (!value) return;
    const problem = dns1035(lower ? value.toLowerCase() : value);
    if (problem) {
      const message = lower ? `may have mixed case, but should otherwise match: ${problem}` : problem;
      issues.push({ path: `${path}.${field}`, message: `Invalid value: ${JSON.stringify(value)}: ${message}` });
    }
  };
  label('plural', names.plural);
  label('singular', names.singular);
  label('kind', names.kind, true);
  label('listKind', names.listKind, true);
  if (names.kind && !/^[A-Z][A-Za-z0-9]*$/.test(names.kind)) {
    issues.push({
      path: `${path}.kind`,
      message: `Invalid value: ${JSON.stringify(names.kind)}: must be UpperCamelCase such as "Website"`,
    });
  }
  names.shortNames?.forEach((name, i) => {
    label(`shortNames[${i}]`, name);
  });
  names.categories?.forEach((name, i) => {
    label(`categories[${i}]`, name);
  });
  if (names.kind && names.kind === names.listKind) {
    issues.push({
      path: `${path}.listKind`,
      message: `Invalid value: ${JSON.stringify(names.listKind)}: kind and listKind may not be the same`,
    });
  }
  return issues;
}

function validateVersion(version: CrdVersion, path: string, issues: FieldIssue[]): void {
  const problem = dns1035(version.name);
  if (!version.name) issues.push({ path: `${path}.name`, message: 'Required value' });
  else if (problem) issues.push({ path: `${path}.name`, message: `Invalid value: "${version.name}": ${problem}` });
  else if (version.storage && !KEELSON_VERSION.test(version.name)) {
    issues.push({
      path: `${path}.name`,
      message: `Invalid value: "${version.name}": a storage version must look like v1, v1beta1 or v2alpha3`,
    });
  }
  const schema = version.schema?.openAPIV3Schema as JsonSchema | undefined;
  const schemaPath = `${path}.schema.openAPIV3Schema`;
  if (schema === undefined) {
    issues.push({ path: schemaPath, message: 'Required value: schemas are required' });
  } else {
    const structural = structuralIssues(schema, schemaPath);
    issues.push(...structural);
    if (structural.length === 0) {
      issues.push(...defaultIssues(schema, schemaPath));
      try {
        compileSchema(schema);
      } catch (error) {
        issues.push({ path: `${path}.schema`, message: `Invalid value: "": ${(error as Error).message}` });
      }
    }
  }
  const scale = version.subresources?.scale;
  if (scale !== undefined) {
    const scalePath = `${path}.subresources.scale`;
    if (!SPEC_PATH.test(scale.specReplicasPath)) {
      issues.push({
        path: `${scalePath}.specReplicasPath`,
        message: `Invalid value: ${JSON.stringify(scale.specReplicasPath)}: should be a json path under .spec`,
      });
    }
    if (!STATUS_PATH.test(scale.statusReplicasPath)) {
      issues.push({
        path: `${scalePath}.statusReplicasPath`,
        message: `Invalid value: ${JSON.stringify(scale.statusReplicasPath)}: should be a json path under .status`,
      });
    }
    const selector = scale.labelSelectorPath;
    if (selector !== undefined && !SPEC_PATH.test(selector) && !STATUS_PATH.test(selector)) {
      issues.push({
        path: `${scalePath}.labelSelectorPath`,
        message: `Invalid value: ${JSON.stringify(selector)}: should be a json path under either .spec or .status`,
      });
    }
  }
  version.additionalPrinterColumns?.forEach((column, i) => {
    const at = `${path}.additionalPrinterColumns[${i}]`;
    if (!column.name) issues.push({ path: `${at}.name`, message: 'Required value' });
    if (!PRINTER_TYPES.includes(column.type))
      issues.push({ path: `${at}.type`, message: supported(column.type, PRINTER_TYPES) });
    if (column.format !== undefined && column.format !== '' && !PRINTER_FORMATS.includes(column.format)) {
      issues.push({ path: `${at}.format`, message: supported(column.format, PRINTER_FORMATS) });
    }
    if (!column.jsonPath) issues.push({ path: `${at}.jsonPath`, message: 'Required value' });
    if (column.priority !== undefined && column.priority < 0) {
      issues.push({
        path: `${at}.priority`,
        message: `Invalid value: ${column.priority}: must be greater than or equal to 0`,
      });
    }
  });
}

/** Kubernetes' ValidateCustomResourceDefinitionSpec, for apiextensions.k8s.io/v1. */
export function validateCrdSpec(spec: CrdSpec, path = 'spec'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!spec.group) issues.push({ path: `${path}.group`, message: 'Required value' });
  else if (!DNS1123_SUBDOMAIN.test(spec.group) || spec.group.length > 253) {
    issues.push({
      path: `${path}.group`,
      message: `Invalid value: "${spec.group}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    });
  } else if (!spec.group.includes('.')) {
    issues.push({
      path: `${path}.group`,
      message: `Invalid value: "${spec.group}": should be a domain with at least one dot`,
    });
  }
  if (!spec.scope) issues.push({ path: `${path}.scope`, message: 'Required value' });
  else if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    issues.push({ path: `${path}.scope`, message: supported(spec.scope, ['Cluster', 'Namespaced']) });
  }
  if (spec.versions.length === 0)
    issues.push({
      path: `${path}.versions`,
      message: 'Required value: must have exactly one version marked as storage version',
    });
  const names = new Set<string>();
  let storage = 0;
  spec.versions.forEach((version, i) => {
    if (version.storage) storage++;
    if (names.has(version.name)) {
      issues.push({ path: `${path}.versions`, message: 'Invalid value: must contain unique version names' });
    }
    names.add(version.name);
    validateVersion(version, `${path}.versions[${i}]`, issues);
  });
  if (spec.versions.length > 0 && storage !== 1) {
    issues.push({
      path: `${path}.versions`,
      message: 'Invalid value: must have exactly one version marked as storage version',
    });
  }
  for (const field of ['plural', 'singular', 'kind', 'listKind'] as const) {
    if (!spec.names[field]) issues.push({ path: `${path}.names.${field}`, message: 'Required value' });
  }
  issues.push(...validateNames(spec.names, `${path}.names`));
  const strategy = spec.conversion?.strategy ?? 'None';
  if (strategy !== 'None') {
    issues.push({ path: `${path}.conversion.strategy`, message: supported(strategy, ['None']) });
  }
  if (spec.preserveUnknownFields === true) {
    issues.push({
      path: `${path}.preserveUnknownFields`,
      message:
        'Invalid value: true: must be false in order to use defaults in the schema; set x-kubernetes-preserve-unknown-fields: true in spec.versions[*].schema.openAPIV3Schema instead',
    });
  }
  return issues;
}

/** Kubernetes' ValidateCustomResourceDefinition: the name, the spec and the status' accepted names. */
export function validateCrd(crd: CrdShape): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { spec } = crd;
  if (crd.metadata.name !== `${spec.names.plural}.${spec.group}`) {
    issues.push({ path: 'metadata.name', message: 'must be spec.names.plural+"."+spec.group' });
  }
  issues.push(...validateCrdSpec(spec));
  if (crd.status?.acceptedNames !== undefined)
    issues.push(...validateNames(crd.status.acceptedNames, 'status.acceptedNames'));
  return issues;
}

/**
 * Kubernetes' ValidateCustomResourceDefinitionUpdate: everything
 * {@link validateCrd} checks, group and plural immutable (they make up the
 * name), scope and kind immutable once Established, and every stored
 * version still listed in `spec.versions`. Unlike Kubernetes, the storage
 * version of an Established CRD is immutable too (no conversion).
 */
export function validateCrdUpdate(old: CrdShape, next: CrdShape): FieldIssue[] {
  const issues = validateCrd(next);
  const immutable = (path: string, a: unknown, b: unknown) => {
    if (a !== b) issues.push({ path, message: `Invalid value: ${JSON.stringify(b)}: field is immutable` });
  };
  immutable('spec.group', old.spec.group, next.spec.group);
  immutable('spec.names.plural', old.spec.names.plural, next.spec.names.plural);
  const established = old.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
  if (established) {
    immutable('spec.scope', old.spec.scope, next.spec.scope);
    immutable('spec.names.kind', old.spec.names.kind, next.spec.names.kind);
    // A store keeps one version per kind and has no conversion: objects stored at the
    // old version would no longer be served, so the storage version stays.
    const storage = (crd: CrdShape) => crd.spec.versions.find((v) => v.storage)?.name;
    const before = storage(old);
    const after = storage(next);
    if (before !== undefined && after !== undefined && before !== after) {
      issues.push({
        path: 'spec.versions',
        message: `Forbidden: the storage version of an established CustomResourceDefinition cannot change from "${before}" to "${after}": Keelson serves one version per kind and converts none`,
      });
    }
  }
  const served = new Set(next.spec.versions.map((v) => v.name));
  next.status?.storedVersions?.forEach((version, i) => {
    if (!served.has(version)) {
      issues.push({
        path: `status.storedVersions[${i}]`,
        message: `Invalid value: "${version}": must appear in spec.versions`,
      });
    }
  });
  return issues;
}
