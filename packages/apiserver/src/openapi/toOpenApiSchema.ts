/**
 * Zod schemas (and hand-written JSON schemas, such as a CRD's
 * openAPIV3Schema) in the OpenAPI 3.0 form Kubernetes publishes.
 */
import { z } from 'zod';
import { INT_OR_STRING } from './metaSchemas';

type Schema = Record<string, unknown>;

/**
 * Merge hints we must not publish: kubectl trusts them to compute strategic
 * merge patches, and the server's merge rules are not derived from these
 * schemas, so a hint here could make the two disagree.
 */
const WITHHELD = new Set(['x-kubernetes-patch-merge-key', 'x-kubernetes-patch-strategy', '$schema', '$id']);

/** Keywords whose value maps field names to schemas: their keys are data, never keywords. */
const FIELD_MAPS = new Set(['properties', 'patternProperties']);

/** What a converted schema is, with the definitions it needs, already renamed to component names. */
export interface ConvertedSchema {
  readonly schema: Schema;
  /** Shared or recursive parts, keyed by component name. */
  readonly definitions: Readonly<Record<string, Schema>>;
}

/**
 * A deep copy of a JSON schema with the withheld keywords gone and local
 * `$ref`s (`#/$defs/x`, `#/definitions/x`) pointed at `#/components/schemas/<prefix>.x`.
 */
export function sanitizeSchema(value: unknown, prefix: string): unknown {
  if (Array.isArray(value)) return value.map((item) => sanitizeSchema(item, prefix));
  if (value === null || typeof value !== 'object') return value;
  const out: Schema = {};
  for (const [key, item] of Object.entries(value)) {
    if (WITHHELD.has(key) || key === '$defs' || key === 'definitions') continue;
    if (key === 'default' || key === 'enum' || key === 'example') {
      out[key] = structuredClone(item);
    } else if (FIELD_MAPS.has(key) && item !== null && typeof item === 'object' && !Array.isArray(item)) {
      out[key] = Object.fromEntries(Object.entries(item).map(([field, sub]) => [field, sanitizeSchema(sub, prefix)]));
    } else if (key === '$ref' && typeof item === 'string') {
      const local = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(item);
      out[key] = local ? `#/components/schemas/${prefix}.${local[1]}` : item;
    } else {
      out[key] = sanitizeSchema(item, prefix);
    }
  }
  if (isIntOrString(out.anyOf)) {
    // Published as Kubernetes does, a reference to IntOrString, so that
    // kubectl explain and client generators recognise the type.
    const { anyOf: _, ...rest } = out;
    return { ...rest, allOf: [{ $ref: `#/components/schemas/${INT_OR_STRING}` }] };
  }
  return out;
}

/** Kubernetes' IntOrString as zod writes it, `z.union([z.int(), z.string()])`. */
function isIntOrString(anyOf: unknown): boolean {
  if (!Array.isArray(anyOf) || anyOf.length !== 2) return false;
  const types = anyOf.map((branch) => (branch !== null && typeof branch === 'object' ? branch.type : undefined));
  return types.includes('integer') && types.includes('string');
}

function definitionsOf(schema: Schema, prefix: string): Record<string, Schema> {
  const definitions: Record<string, Schema> = {};
  for (const key of ['$defs', 'definitions']) {
    const defs = schema[key];
    if (defs === null || typeof defs !== 'object') continue;
    for (const [name, def] of Object.entries(defs)) {
      definitions[`${prefix}.${name}`] = sanitizeSchema(def, prefix) as Schema;
    }
  }
  return definitions;
}

/** An object whose fields are not described; kubectl and clients then accept any content. */
export const OPEN_OBJECT: Readonly<Schema> = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

/**
 * The OpenAPI 3.0 form of a zod schema, as its input (what clients send:
 * defaulted fields are optional). Parts JSON Schema cannot express
 * (refinements, custom types) are left open rather than refused.
 * `prefix` names the shared definitions it needs (`<prefix>.__schema0`).
 */
export function zodToOpenApi(schema: z.ZodType, prefix: string): ConvertedSchema {
  let json: Schema;
  try {
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as Schema;
  } catch {
    return { schema: { ...OPEN_OBJECT }, definitions: {} };
  }
  return { schema: sanitizeSchema(json, prefix) as Schema, definitions: definitionsOf(json, prefix) };
}

/** A hand-written JSON schema (a CRD's openAPIV3Schema) made fit to publish. */
export function jsonToOpenApi(schema: Record<string, unknown>, prefix: string): ConvertedSchema {
  return { schema: sanitizeSchema(schema, prefix) as Schema, definitions: definitionsOf(schema, prefix) };
}
