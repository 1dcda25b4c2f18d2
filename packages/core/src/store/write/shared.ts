import { AppendConflictError, isKeelsonError } from '@keelson/eventlog';
import { AlreadyExistsError, ConflictError, type FieldIssue, InvalidError, ValidationError } from '../../errors/index';
import { deepFreeze } from '../../objects/freeze';
import type { KubeObject, ResourceType } from '../../resource/defineResource';
import type { ObjectMeta } from '../../resource/objectMeta';
import { qualifiedResource, typeName } from '../keys';
import type { StoreCore } from '../StoreCore';
import type { AdmissionPlugin, AdmissionRequest, StoreReader, WriteOptions } from '../types';

/** Characters of generated name suffixes, as Kubernetes picks them (no vowels, no look-alikes). */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export const MAX_PATCH_ATTEMPTS = 5;

/** @internal Who is writing, and through which store view. */
export interface WriteContext {
  core: StoreCore;
  actor: string;
  reader: StoreReader;
}

export type Verb = 'create' | 'update' | 'patch' | 'delete';

export function conflictMessage(type: ResourceType, name: string): string {
  return `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": the object has been modified; please apply your changes to the latest version and try again`;
}

export function asRecord(kind: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidError(
      `${kind}: expected an object with metadata${kind ? '' : ', apiVersion and kind'}, got ${value === null ? 'null' : typeof value}`,
    );
  }
  return value as Record<string, unknown>;
}

export function warn(ctx: WriteContext, options: WriteOptions, warnings: readonly string[]): void {
  for (const warning of warnings) (options.onWarning ?? ((w: string) => ctx.core.logger.warn(w)))(warning);
}

export async function admit(
  ctx: WriteContext,
  request: Omit<AdmissionRequest, 'actor' | 'store'>,
  phase: 'mutate' | 'validate',
) {
  let object = request.object;
  for (const plugin of ctx.core.admission) {
    const run = (phase === 'validate' ? plugin.validate : plugin.mutate) as
      | ((this: AdmissionPlugin, request: AdmissionRequest) => unknown)
      | undefined;
    if (run === undefined) continue;
    const full: AdmissionRequest = { ...request, object, actor: ctx.actor, store: ctx.reader };
    const answer = run.call(plugin, full);
    // Most plugins answer synchronously: awaiting only real promises saves a turn per plugin per write.
    const result = typeof (answer as PromiseLike<unknown> | undefined)?.then === 'function' ? await answer : answer;
    if (phase === 'mutate' && result) object = deepFreeze(result as unknown as KubeObject);
  }
  return object;
}

export function check(type: ResourceType, name: string, issues: readonly FieldIssue[] | undefined): void {
  if (issues && issues.length > 0) throw new ValidationError(type.kind, name, issues);
}

type LooseMeta = { [K in keyof ObjectMeta]?: ObjectMeta[K] | undefined };

const OMIT_WHEN_EMPTY = new Set(['labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields']);

/** Drops unset fields, and empty ones Kubernetes omits (`omitempty`), so `[]` and absent are one state. */
export function cleanMeta(meta: LooseMeta): ObjectMeta {
  // Built up key by key rather than copied and pruned: `delete` turns the object into a
  // dictionary-mode hash table, some 800 bytes more per stored object.
  const out: Record<string, unknown> = {};
  const source = meta as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const value = source[key];
    const empty =
      value === undefined ||
      (OMIT_WHEN_EMPTY.has(key) &&
        (Array.isArray(value) ? value.length === 0 : Object.keys(value as object).length === 0));
    if (!empty) out[key] = value;
  }
  return out as unknown as ObjectMeta;
}

/** Appends the new state of one object and resolves with it as the projection applied it. */
export async function commit(
  ctx: WriteContext,
  type: ResourceType,
  key: string,
  object: KubeObject,
  expectedRevision: number,
  options: WriteOptions,
  tombstone = false,
): Promise<KubeObject> {
  const { core } = ctx;
  if (options.dryRun === true) return dryRunCommit(ctx, type, key, object, expectedRevision);
  const meta: Record<string, string> = { actor: ctx.actor };
  if (options.reason !== undefined) meta.reason = options.reason;
  let revision: number;
  try {
    const entry = await core.log.append(
      {
        key,
        type: typeName(type),
        time: core.clock.now(),
        data: object,
        meta,
        ...(tombstone ? { tombstone: true as const } : {}),
      },
      { expectedRevision },
    );
    revision = entry.revision;
  } catch (error) {
    if (!(error instanceof AppendConflictError) && !isKeelsonError(error, 'AppendConflict')) throw error;
    if (expectedRevision === 0) {
      throw new AlreadyExistsError(`${qualifiedResource(type)} "${object.metadata.name}" already exists`);
    }
    throw new ConflictError(conflictMessage(type, object.metadata.name));
  }
  await core.projection.reached(revision);
  const versions = core.typeState(type).versions.get(key);
  const applied = versions?.findLast((c) => c.revision === revision);
  return applied ? applied.object : object;
}

/** What {@link commit} would have returned, with the same conflict checks, and nothing appended. */
function dryRunCommit(
  ctx: WriteContext,
  type: ResourceType,
  key: string,
  object: KubeObject,
  expectedRevision: number,
): KubeObject {
  const live = ctx.core.typeState(type).live.get(key);
  if (expectedRevision === 0 && live !== undefined) {
    throw new AlreadyExistsError(`${qualifiedResource(type)} "${object.metadata.name}" already exists`);
  }
  if (expectedRevision !== 0 && live?.revision !== expectedRevision) {
    throw new ConflictError(conflictMessage(type, object.metadata.name));
  }
  return deepFreeze(object);
}

export function generateName(ctx: WriteContext, prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[ctx.core.random.int(NAME_ALPHABET.length)];
  return `${prefix}${suffix}`;
}
