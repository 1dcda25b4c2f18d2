import { type FieldIssue, InvalidError, ValidationError } from '../errors/index';
import { inspectInput } from '../objects/inspectInput';
import type { ResourceType } from '../resource/defineResource';
import { invalidName } from '../resource/objectMeta';
import { parseParts } from './parseObject';

/** What {@link validateObject} found: the object with defaults applied, and dropped unknown fields. */
export interface ValidatedObject {
  object: Record<string, unknown>;
  warnings: string[];
}

/**
 * Checks an object against its kind without writing it (a dry run of the
 * create path's schema and name rules): for manifests, editors and tests.
 * Throws `ValidationError` naming every bad field, or `InvalidError`.
 */
export function validateObject(type: ResourceType, input: unknown): ValidatedObject {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidError(`${type.kind}: expected an object, got ${input === null ? 'null' : typeof input}`);
  }
  const raw = inspectInput(type.kind, input as Record<string, unknown>);
  if (raw.apiVersion !== undefined && raw.apiVersion !== type.apiVersion) {
    throw new InvalidError(`${type.kind}: apiVersion "${String(raw.apiVersion)}" is not ${type.apiVersion}`);
  }
  const issues: FieldIssue[] = [];
  const warnings: string[] = [];
  const parsed = parseParts(type, raw, ['metadata', 'spec', 'status', 'root'], issues, warnings);
  const name = parsed.metadata?.name;
  if (name) {
    const problem = invalidName(name, type.nameRule);
    if (problem) issues.push({ path: 'metadata.name', message: problem });
  } else if (!parsed.metadata?.generateName) {
    issues.push({ path: 'metadata.name', message: 'name or generateName is required' });
  }
  if (issues.length > 0) throw new ValidationError(type.kind, name ?? '', issues);
  const object: Record<string, unknown> = {
    apiVersion: type.apiVersion,
    kind: type.kind,
    metadata: parsed.metadata,
    ...(parsed.root ?? {}),
  };
  if (type.schemas.spec) object.spec = parsed.spec;
  if (parsed.status !== undefined) object.status = parsed.status;
  return { object, warnings };
}
