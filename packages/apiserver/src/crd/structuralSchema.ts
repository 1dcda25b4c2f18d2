import type { FieldIssue } from '@keelson/core';

/** An OpenAPI v3 schema as a CRD carries it: any JSON object. */
export type JsonSchema = Readonly<Record<string, unknown>>;

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const LOGIC = ['allOf', 'anyOf', 'oneOf'] as const;
const PRESERVE = 'x-kubernetes-preserve-unknown-fields';
const INT_OR_STRING = 'x-kubernetes-int-or-string';

/** The object-valued member `key` of a schema, when it is one. */
export function subschema(schema: JsonSchema | undefined, key: string): JsonSchema | undefined {
  const value = schema?.[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonSchema) : undefined;
}

/** The `properties` of a schema, as a map of schemas. */
export function propertiesOf(schema: JsonSchema | undefined): Readonly<Record<string, JsonSchema>> {
  return (subschema(schema, 'properties') ?? {}) as Readonly<Record<string, JsonSchema>>;
}

/**
 * What makes an `openAPIV3Schema` non-structural, or forbidden in a v1 CRD,
 * as Kubernetes' CRD validation reports it: every node says its `type`
 * (except int-or-string and preserve-unknown-fields nodes, and nodes under
 * `allOf`/`anyOf`/`oneOf`/`not`, which only add value checks), arrays say
 * their `items`, `properties` and `additionalProperties` are exclusive, no
 * `$ref`, no `uniqueItems`, and the root is an object whose `metadata` may
 * only constrain `name` and `generateName`.
 */
export function structuralIssues(root: JsonSchema, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (root.type !== 'object') {
    issues.push(
      root.type === undefined
        ? { path: `${path}.type`, message: 'Required value: must be object at the root' }
        : { path: `${path}.type`, message: `Invalid value: ${JSON.stringify(root.type)}: must be object at the root` },
    );
  }
  const metadata = propertiesOf(root).metadata;
  if (metadata !== undefined) {
    const extra = Object.keys(propertiesOf(metadata)).filter((k) => k !== 'name' && k !== 'generateName');
    if (extra.length > 0 || metadata.type !== 'object') {
      issues.push({
        path: `${path}.properties[metadata]`,
        message:
          'Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified',
      });
    }
  }
  walk(root, path, false, issues);
  return issues;
}

function walk(schema: JsonSchema, path: string, valueOnly: boolean, issues: FieldIssue[]): void {
  for (const key of ['$ref', 'definitions', 'id', 'patternProperties', 'dependencies', 'additionalItems']) {
    if (schema[key] !== undefined) issues.push({ path: `${path}.${key}`, message: 'Forbidden: must not be used' });
  }
  if (schema.uniqueItems === true) {
    issues.push({
      path: `${path}.uniqueItems`,
      message: 'Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
    });
  }
  const type = schema.type;
  if (type !== undefined && (typeof type !== 'string' || !TYPES.includes(type))) {
    issues.push({
      path: `${path}.type`,
      message: `Unsupported value: ${JSON.stringify(type)}: supported values: ${TYPES.map((t) => `"${t}"`).join(', ')}`,
    });
  }
  const exempt = schema[INT_OR_STRING] === true || schema[PRESERVE] === true;
  if (!valueOnly && type === undefined && !exempt) {
    issues.push({ path: `${path}.type`, message: 'Required value: must not be empty for specified fields' });
  }
  if (schema[PRESERVE] !== undefined && schema[PRESERVE] !== true) {
    issues.push({ path: `${path}.${PRESERVE}`, message: 'Invalid value: must be true or undefined' });
  }
  if (valueOnly) {
    for (const key of ['default', 'nullable', PRESERVE, INT_OR_STRING]) {
      if (schema[key] !== undefined)
        issues.push({ path: `${path}.${key}`, message: 'Forbidden: must be undefined to be structural' });
    }
  }
  const properties = subschema(schema, 'properties');
  const additional = schema.additionalProperties;
  if (properties !== undefined && additional !== undefined && additional !== true) {
    issues.push({
      path: `${path}.additionalProperties`,
      message: 'Forbidden: additionalProperties and properties are mutual exclusive',
    });
  }
  if (additional === false) {
    issues.push({ path: `${path}.additionalProperties`, message: 'Forbidden: must not be false' });
  }
  if (type === 'array' && !valueOnly && subschema(schema, 'items') === undefined) {
    issues.push({ path: `${path}.items`, message: 'Required value: must be specified' });
  }
  if (Array.isArray(schema.items)) {
    issues.push({ path: `${path}.items`, message: 'Forbidden: items must be a schema object and not an array' });
  }
  for (const [name, child] of Object.entries(properties ?? {})) {
    if (typeof child === 'object' && child !== null && !Array.isArray(child)) {
      walk(child as JsonSchema, `${path}.properties[${name}]`, valueOnly, issues);
    } else {
      issues.push({ path: `${path}.properties[${name}]`, message: 'Invalid value: must be a schema object' });
    }
  }
  const items = subschema(schema, 'items');
  if (items !== undefined) walk(items, `${path}.items`, valueOnly, issues);
  const additionalSchema = subschema(schema, 'additionalProperties');
  if (additionalSchema !== undefined) walk(additionalSchema, `${path}.additionalProperties`, valueOnly, issues);
  for (const key of LOGIC) {
    const list = schema[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      issues.push({ path: `${path}.${key}`, message: 'Invalid value: must be a list of schemas' });
      continue;
    }
    list.forEach((child, i) => {
      if (typeof child === 'object' && child !== null) walk(child as JsonSchema, `${path}.${key}[${i}]`, true, issues);
    });
  }
  const not = subschema(schema, 'not');
  if (not !== undefined) walk(not, `${path}.not`, true, issues);
}
