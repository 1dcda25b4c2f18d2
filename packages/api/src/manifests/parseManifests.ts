import { InvalidError, type ResourceType, validateObject } from '@keelson/core';
import { parseAllDocuments } from 'yaml';
import { builtinTypes } from '../builtinTypes';

/** One object of a manifest file, checked against its kind. */
export interface Manifest {
  type: ResourceType;
  /** The object with its kind's defaults applied: ready for `store.create(type, object)`. */
  object: Record<string, unknown>;
  /** Fields the kind does not model, dropped: `unknown field "spec.foo"`. */
  warnings: string[];
}

/** Options for {@link parseManifests}. */
export interface ParseManifestsOptions {
  /** The kinds manifests may hold (default: the built-in kinds). */
  types?: readonly ResourceType[];
}

function locate(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/**
 * Parses YAML manifests (several documents separated by `---`, and `kind:
 * List` documents) into checked objects. A document that is not YAML, not an
 * object, or of an unknown kind is an `InvalidError` naming the document; a
 * schema violation is a `ValidationError` naming the field.
 *
 * @example
 * ```ts
 * for (const { type, object, warnings } of parseManifests(readFileSync('app.yaml', 'utf8'))) {
 *   await store.create(type, object as never);
 * }
 * ```
 */
export function parseManifests(text: string, options: ParseManifestsOptions = {}): Manifest[] {
  if (typeof text !== 'string') throw new InvalidError('parseManifests: expected YAML text');
  const types = options.types ?? builtinTypes;
  const byKind = new Map<string, ResourceType>();
  for (const type of types) byKind.set(`${type.apiVersion}/${type.kind}`, type);
  const out: Manifest[] = [];
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((document, index) => {
    const where = `document ${index + 1}`;
    const problem = document.errors[0];
    if (problem) {
      throw new InvalidError(
        `manifest ${where} is not valid YAML at ${locate(text, problem.pos[0])}: ${problem.message.split('\n')[0]}`,
      );
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return;
    const add = (item: unknown, label: string) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        throw new InvalidError(`manifest ${label} must be an object with apiVersion and kind`);
      }
      const { apiVersion, kind } = item as { apiVersion?: unknown; kind?: unknown };
      const type = byKind.get(`${String(apiVersion)}/${String(kind)}`);
      if (!type) {
        const known = [...byKind.keys()].join(', ');
        throw new InvalidError(
          `manifest ${label} has apiVersion "${String(apiVersion)}" kind "${String(kind)}", which is not a known kind (${known})`,
        );
      }
      const { object, warnings } = validateObject(type, item);
      out.push({ type, object, warnings });
    };
    const { kind, items } = value as { kind?: unknown; items?: unknown };
    if (kind === 'List' && Array.isArray(items)) {
      for (const [i, item] of items.entries()) add(item, `${where} item ${i + 1}`);
    } else {
      add(value, where);
    }
  });
  return out;
}
