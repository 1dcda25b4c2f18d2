import type { z } from 'zod';

type Internals = z.ZodType['_zod'];
type Payload = Parameters<Internals['run']>[0];

/**
 * Each wrapped schema marks the values it produced with a symbol of its own:
 * a non-enumerable property whose value is the object itself, which JSON,
 * `Object.keys` and spreads leave out (a WeakMap measured several times
 * slower per write). A copy that does carry it over (a copy by property
 * descriptors, as immer's strict shallow copy makes) points at the
 * original, not at itself, so it is parsed like any other new object.
 */
type Marked = { [mark: symbol]: unknown };

/**
 * Makes `schema` take its own earlier outputs as they are once they are
 * frozen (as the store freezes every object it keeps), instead of parsing
 * them again: an update that carries over a stored container, probe or
 * port list pays nothing to validate it. Anything else (a new object, a
 * copy, an object the schema did not produce, an output never frozen) is
 * parsed as usual, with the same errors at the same paths.
 *
 * Sound when the schema is idempotent on its outputs — parsing an output
 * again succeeds and yields an equal value, as schemas that only check and
 * fill in defaults are — and when nothing changes an output in place
 * before it is frozen (the store's strategies copy, never mutate).
 * Validation that depends on where the value sits belongs in a parent's
 * checks, which still run. Returns `schema` itself, changed in place, so
 * wrap a schema where it is defined, before deriving others from it.
 *
 * @example
 * ```ts
 * export const containerSchema = reuseOutputs(z.object({ name: z.string(), image: z.string() }));
 * ```
 */
export function reuseOutputs<S extends z.ZodType>(schema: S): S {
  const internals = schema._zod;
  const run = internals.run;
  const mark = Symbol('keelson.producedBy');
  internals.run = (payload, ctx) => {
    const value = payload.value;
    if (
      typeof value === 'object' &&
      value !== null &&
      ctx.direction !== 'backward' &&
      (value as Marked)[mark] === value &&
      Object.isFrozen(value)
    ) {
      return payload;
    }
    const result = run(payload, ctx);
    if (!(result instanceof Promise)) remember(result, mark);
    return result;
  };
  return schema;
}

function remember(result: Payload, mark: symbol): void {
  const output = result.value;
  if (result.issues.length === 0 && typeof output === 'object' && output !== null && Object.isExtensible(output)) {
    Object.defineProperty(output, mark, { value: output });
  }
}
