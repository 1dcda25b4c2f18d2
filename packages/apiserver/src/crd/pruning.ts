import { type JsonSchema, propertiesOf, subschema } from './structuralSchema';

const PRESERVE = 'x-kubernetes-preserve-unknown-fields';
const EMBEDDED = 'x-kubernetes-embedded-resource';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * Drops what a structural schema does not declare, as Kubernetes prunes a
 * custom object before storing it: an object keeps only its `properties`
 * (every key when `additionalProperties` is a schema or true, or under
 * `x-kubernetes-preserve-unknown-fields: true`), recursively through
 * `items` and `additionalProperties`. Returns a new value; `value` is not
 * changed.
 */
export function prune(value: unknown, schema: JsonSchema | undefined): unknown {
  if (schema === undefined) return clone(value);
  if (Array.isArray(value)) {
    const items = subschema(schema, 'items');
    return value.map((item) => (items === undefined ? pruneUnder(item, schema) : prune(item, items)));
  }
  if (!isRecord(value)) return value;
  const properties = propertiesOf(schema);
  const additional = schema.additionalProperties;
  const additionalSchema = subschema(schema, 'additionalProperties');
  const keepUnknown = schema[PRESERVE] === true || additional === true;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const declared = properties[key];
    if (declared !== undefined) out[key] = prune(child, declared);
    else if (additionalSchema !== undefined) out[key] = prune(child, additionalSchema);
    else if (keepUnknown) out[key] = clone(child);
    else if (schema[EMBEDDED] === true && (key === 'apiVersion' || key === 'kind' || key === 'metadata'))
      out[key] = clone(child);
  }
  return out;
}

/** A node without `items`: arrays under preserve-unknown-fields are kept, others emptied of objects' fields. */
function pruneUnder(value: unknown, schema: JsonSchema): unknown {
  return schema[PRESERVE] === true ? clone(value) : prune(value, {});
}

/**
 * Fills in the schema's `default`s where a field is missing, as Kubernetes
 * defaults a custom object (after pruning): properties of objects (also
 * where they are null but not `nullable`), each item of an array and each
 * value of a map. `value` itself is defaulted
 * when it is undefined. Returns a new value.
 */
export function applyDefaults(value: unknown, schema: JsonSchema | undefined): unknown {
  if (schema === undefined) return value;
  if (value === undefined) return schema.default === undefined ? undefined : clone(schema.default);
  if (Array.isArray(value)) {
    const items = subschema(schema, 'items');
    return items === undefined ? value : value.map((item) => applyDefaults(item, items));
  }
  if (!isRecord(value)) return value;
  const properties = propertiesOf(schema);
  const additionalSchema = subschema(schema, 'additionalProperties');
  const out: Record<string, unknown> = { ...value };
  for (const [key, child] of Object.entries(properties)) {
    // A null where the schema does not allow one is defaulted, as Kubernetes does since 1.20.
    const given = out[key] === null && child.nullable !== true && child.default !== undefined ? undefined : out[key];
    const next = applyDefaults(given, child);
    if (next !== undefined) out[key] = next;
  }
  if (additionalSchema !== undefined) {
    for (const key of Object.keys(out)) {
      if (!(key in properties)) out[key] = applyDefaults(out[key], additionalSchema);
    }
  }
  return out;
}
