import type { z } from 'zod';
import type { FieldIssue } from '../errors/index';
import type { ResourceType } from '../resource/defineResource';
import { type ObjectMetaInput, objectMetaInputSchema } from '../resource/objectMeta';

/** The parts of an object a write validates: only the part being written is parsed. */
export type Part = 'metadata' | 'spec' | 'status' | 'root';

const ENVELOPE = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'status']);

function formatPath(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(object)';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reports keys of `input` that parsing dropped (fields the schema does not know). */
function droppedFields(input: unknown, output: unknown, path: string, warnings: string[]): void {
  if (input === output) return; // taken as it is (a stored subtree): nothing dropped
  if (Array.isArray(input) && Array.isArray(output)) {
    for (let i = 0; i < Math.min(input.length, output.length); i++) {
      droppedFields(input[i], output[i], `${path}[${i}]`, warnings);
    }
    return;
  }
  if (!isRecord(input) || !isRecord(output)) return;
  for (const key of Object.keys(input)) {
    const child = path ? `${path}.${key}` : key;
    if (!(key in output)) warnings.push(`unknown field "${child}"`);
    else droppedFields(input[key], output[key], child, warnings);
  }
}

export interface ParsedParts {
  metadata?: ObjectMetaInput;
  spec?: unknown;
  status?: unknown;
  root?: Record<string, unknown>;
}

/**
 * Validates and defaults the requested parts of `input` with the kind's zod
 * schemas, adding every issue (across parts) to `issues` and every dropped
 * unknown field to `warnings`; the caller adds its own rules' issues and
 * throws one `ValidationError` for all of them. Parts that are the very
 * objects of the `stored` version (an update that did not touch them) are
 * taken as they are: they were validated when written.
 */
export function parseParts(
  type: ResourceType,
  input: Record<string, unknown>,
  parts: readonly Part[],
  issues: FieldIssue[],
  warnings: string[],
  stored?: Record<string, unknown>,
): ParsedParts {
  const out: ParsedParts = {};
  const run = <T>(schema: z.ZodType<T>, value: unknown, prefix: string): T | undefined => {
    const result = schema.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) {
        issues.push({ path: formatPath(prefix, issue.path), message: issue.message });
      }
      return undefined;
    }
    droppedFields(value, result.data, prefix, warnings);
    return result.data;
  };
  for (const part of parts) {
    if (part === 'metadata') {
      const metadata = run(objectMetaInputSchema, input.metadata ?? {}, 'metadata');
      if (metadata) out.metadata = metadata as ObjectMetaInput;
    } else if (part === 'spec' && type.schemas.spec) {
      // The stored spec was parsed when it was written: the very same object needs no second parse.
      out.spec =
        stored !== undefined && input.spec === stored.spec ? stored.spec : run(type.schemas.spec, input.spec, 'spec');
    } else if (part === 'status' && type.schemas.status && input.status !== undefined) {
      out.status =
        stored !== undefined && input.status === stored.status
          ? stored.status
          : run(type.schemas.status, input.status, 'status');
    } else if (part === 'root' && type.schemas.root) {
      const top: Record<string, unknown> = {};
      for (const key of Object.keys(input)) if (!ENVELOPE.has(key)) top[key] = input[key];
      const root = run(type.schemas.root, top, '');
      if (root) out.root = root as Record<string, unknown>;
    }
  }
  if (parts.includes('root') && !type.schemas.root) {
    for (const key of Object.keys(input)) if (!ENVELOPE.has(key)) warnings.push(`unknown field "${key}"`);
  }
  return out;
}
