import { InvalidError } from '@keelson/core';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonSchema } from './structuralSchema';

/** One failed check of a value: where (path segments below the value) and Kubernetes' message. */
export interface SchemaIssue {
  path: readonly (string | number)[];
  message: string;
}

/** Checks a value against an OpenAPI v3 schema; `prefix` is the value's own path (`spec`), for messages. */
export type SchemaCheck = (value: unknown, prefix: string) => SchemaIssue[];

/** One Ajv for every CRD schema: OpenAPI's `nullable`, unknown formats and `x-kubernetes-*` keywords accepted. */
const ajv = new Ajv({ allErrors: true, strict: false, logger: false, verbose: true });
for (const [name, pattern] of [
  ['date-time', /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/],
  ['date', /^\d{4}-\d{2}-\d{2}$/],
  ['uuid', /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/],
  ['byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/],
] as const) {
  ajv.addFormat(name, pattern);
}
for (const name of ['int32', 'int64', 'float', 'double']) ajv.addFormat(name, { type: 'number', validate: () => true });

/**
 * Rewrites Kubernetes' OpenAPI v3 dialect into JSON Schema draft 7 for Ajv:
 * boolean `exclusiveMinimum`/`exclusiveMaximum` become numbers, and
 * `x-kubernetes-*` extensions (which Ajv ignores) are dropped.
 */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-kubernetes-')) continue;
    if (key === 'default' || key === 'enum' || key === 'example') out[key] = value;
    else if (key === 'properties' && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, toJsonSchema(child)]));
    } else out[key] = toJsonSchema(value);
  }
  const source = schema as Record<string, unknown>;
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof source[flag] === 'boolean') {
      if (source[flag] === true && typeof source[bound] === 'number') {
        out[flag] = source[bound];
        delete out[bound];
      } else delete out[flag];
    }
  }
  return out;
}

/**
 * Compiles a CRD's schema for one part of its objects. Throws `InvalidError`
 * when Ajv cannot build a validator from it.
 */
export function compileSchema(schema: JsonSchema): SchemaCheck {
  let validate: ValidateFunction;
  const source = toJsonSchema(schema) as object;
  try {
    validate = ajv.compile(source);
  } catch (error) {
    throw new InvalidError(`error building validator: ${(error as Error).message}`);
  } finally {
    // Ajv caches every schema it compiles; CRDs come and go, so keep only the function.
    ajv.removeSchema(source);
  }
  return (value, prefix) => {
    if (validate(value)) return [];
    const seen = new Set<string>();
    const issues: SchemaIssue[] = [];
    for (const error of validate.errors ?? []) {
      // anyOf/oneOf report each branch and then themselves: the summary is the useful line.
      if (error.schemaPath.includes('/anyOf/') || error.schemaPath.includes('/oneOf/')) continue;
      const issue = toIssue(error, prefix);
      const key = `${issue.path.join('/')}:${issue.message}`;
      if (!seen.has(key)) issues.push(issue);
      seen.add(key);
    }
    return issues;
  };
}

function segments(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((key) => (/^(0|[1-9]\d*)$/.test(key) ? Number(key) : key));
}

/** `spec.items[0].name`, the way Kubernetes names a field. */
export function formatPath(prefix: string, path: readonly (string | number)[]): string {
  let out = prefix;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : key;
  return out;
}

function valueAt(data: unknown): string {
  return JSON.stringify(data) ?? 'null';
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** One Ajv error in the words of Kubernetes' OpenAPI validator (kube-openapi). */
function toIssue(error: ErrorObject, prefix: string): SchemaIssue {
  const path = segments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const field = formatPath(prefix, path) || '<root>';
  const data = error.data;
  const invalid = (message: string): SchemaIssue => ({
    path,
    message: `Invalid value: ${valueAt(data)}: ${field} in body ${message}`,
  });
  switch (error.keyword) {
    case 'required':
      return { path: [...path, String(params.missingProperty)], message: 'Required value' };
    case 'type':
      return {
        path,
        message: `Invalid value: "${typeName(data)}": ${field} in body must be of type ${String(params.type)}: ${valueAt(typeName(data))}`,
      };
    case 'enum':
      return {
        path,
        message: `Unsupported value: ${valueAt(data)}: supported values: ${((params.allowedValues as unknown[]) ?? []).map(valueAt).join(', ')}`,
      };
    case 'minimum':
      return invalid(`should be greater than or equal to ${String(params.limit)}`);
    case 'exclusiveMinimum':
      return invalid(`should be greater than ${String(params.limit)}`);
    case 'maximum':
      return invalid(`should be less than or equal to ${String(params.limit)}`);
    case 'exclusiveMaximum':
      return invalid(`should be less than ${String(params.limit)}`);
    case 'multipleOf':
      return invalid(`should be a multiple of ${String(params.multipleOf)}`);
    case 'minLength':
      return invalid(`should be at least ${String(params.limit)} chars long`);
    case 'maxLength':
      return { path, message: `Too long: may not be longer than ${String(params.limit)}` };
    case 'pattern':
      return invalid(`should match '${String(params.pattern)}'`);
    case 'format':
      return invalid(`must be of type ${String(params.format)}: ${valueAt(data)}`);
    case 'minItems':
      return invalid(`should have at least ${String(params.limit)} items`);
    case 'maxItems':
      return {
        path,
        message: `Too many: ${valueAt((data as unknown[]).length)}: must have at most ${String(params.limit)} items`,
      };
    case 'minProperties':
      return invalid(`should have at least ${String(params.limit)} properties`);
    case 'maxProperties':
      return {
        path,
        message: `Too many: ${Object.keys(data as object).length}: must have at most ${String(params.limit)} properties`,
      };
    default:
      return invalid(error.message ?? `fails ${error.keyword}`);
  }
}
