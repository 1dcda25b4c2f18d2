/**
 * Zod schemas (and hand-written JSON schemas, such as a CRD's
 * openAPIV3Schema) in the OpenAPI 3.0 form Kubernetes publishes.
 */
import { z } from 'zod';
import { INT_OR_STRING, QUANTITY } from './metaSchemas';

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
 * `fromZod` also writes what zod spells its own way as Kubernetes does
 * (integer widths, IntOrString, Quantity); a hand-written schema is kept as written.
 */
export function sanitizeSchema(value: unknown, prefix: string, fromZod = false): unknown {
  if (Array.isArray(value)) return value.map((item) => sanitizeSchema(item, prefix, fromZod));
  if (value === null || typeof value !== 'object') return value;
  const out: Schema = {};
  for (const [key, item] of Object.entries(value)) {
    if (WITHHELD.has(key) || key === '$defs' || key === 'definitions') continue;
    if (key === 'default' || key === 'enum' || key === 'example') {
      out[key] = structuredClone(item);
    } else if (FIELD_MAPS.has(key) && item !== null && typeof item === 'object' && !Array.isArray(item)) {
      out[key] = Object.fromEntries(
        Object.entries(item).map(([field, sub]) => [field, sanitizeSchema(sub, prefix, fromZod)]),
      );
    } else if (key === '$ref' && typeof item === 'string') {
      const local = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(item);
      out[key] = local ? `#/components/schemas/${prefix}.${local[1]}` : item;
    } else {
      out[key] = sanitizeSchema(item, prefix, fromZod);
    }
  }
  if (!fromZod) return out;
  if (out.type === 'integer') return withIntegerFormat(out);
  const named = unionName(out.anyOf);
  if (named) {
    // Published as Kubernetes does, a reference to the named type, so that
    // client generators (and kubectl explain) recognise it.
    const { anyOf: _, ...rest } = out;
    return { ...rest, allOf: [{ $ref: `#/components/schemas/${named}` }] };
  }
  return out;
}

const INT32_MAX = 2147483647;

/**
 * Go's integer widths as Kubernetes writes them (`format: int32` / `int64`)
 * in place of the bounds zod states for `z.int32()` and `z.int()`.
 */
function withIntegerFormat(schema: Schema): Schema {
  const out = { ...schema };
  const [low, format] =
    out.maximum === INT32_MAX
      ? [-INT32_MAX - 1, 'int32']
      : out.maximum === Number.MAX_SAFE_INTEGER
        ? [Number.MIN_SAFE_INTEGER, 'int64']
        : [undefined, undefined];
  if (format === undefined) return out;
  out.format = format;
  delete out.maximum;
  if (out.minimum === low) delete out.minimum;
  return out;
}

/**
 * The Kubernetes type a two-branch zod union stands for: an integer or a
 * string is an IntOrString (ports, rollout bounds), a string or a number a
 * Quantity (resources, sizes).
 */
function unionName(anyOf: unknown): string | undefined {
  if (!Array.isArray(anyOf) || anyOf.length !== 2) return undefined;
  const types = anyOf.map((branch) => (branch !== null && typeof branch === 'object' ? branch.type : undefined));
  if (!types.includes('string')) return undefined;
  if (types.includes('integer')) return INT_OR_STRING;
  if (types.includes('number')) return QUANTITY;
  return undefined;
}

function definitionsOf(schema: Schema, prefix: string, fromZod: boolean): Record<string, Schema> {
  const definitions: Record<string, Schema> = {};
  for (const key of ['$defs', 'definitions']) {
    const defs = schema[key];
    if (defs === null || typeof defs !== 'object') continue;
    for (const [name, def] of Object.entries(defs)) {
      definitions[`${prefix}.${name}`] = sanitizeSchema(def, prefix, fromZod) as Schema;
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
  return { schema: sanitizeSchema(json, prefix, true) as Schema, definitions: definitionsOf(json, prefix, true) };
}

/** A hand-written JSON schema (a CRD's openAPIV3Schema) made fit to publish. */
export function jsonToOpenApi(schema: Record<string, unknown>, prefix: string): ConvertedSchema {
  return { schema: sanitizeSchema(schema, prefix) as Schema, definitions: definitionsOf(schema, prefix, false) };
}
