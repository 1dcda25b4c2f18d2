import { isKeelsonError } from '@keelson/eventlog';
import { produce } from 'immer';
import { ConflictError, type FieldIssue } from '../../errors/index';
import { deepFreeze, jsonEqual, shareUnchanged } from '../../objects/freeze';
import { inspectInput } from '../../objects/inspectInput';
import type { KubeObject, ResourceType } from '../../resource/defineResource';
import type { ObjectMeta, ObjectMetaInput } from '../../resource/objectMeta';
import { type Part, parseParts } from '../parseObject';
import type { WriteOptions } from '../types';
import {
  admit,
  asRecord,
  check,
  cleanMeta,
  commit,
  conflictMessage,
  MAX_PATCH_ATTEMPTS,
  type Verb,
  type WriteContext,
  warn,
} from './shared';

/** Whether an update ends a deletion: deleting, no finalizers left, no grace period pending. */
function deletionComplete(meta: ObjectMeta): boolean {
  return (
    meta.deletionTimestamp !== undefined &&
    (meta.finalizers === undefined || meta.finalizers.length === 0) &&
    (meta.deletionGracePeriodSeconds ?? 0) === 0
  );
}

/** @internal Kubernetes' update and update of the status subresource. */
export async function updateObject(
  ctx: WriteContext,
  input: unknown,
  subresource: 'status' | undefined,
  options: WriteOptions,
  verb: Verb = 'update',
): Promise<KubeObject> {
  const { core } = ctx;
  const given = asRecord('', input);
  const type = core.typeOf(given);
  const raw = inspectInput(type.kind, given);
  const rawMeta = asRecord(type.kind, raw.metadata ?? {}) as ObjectMetaInput;
  const namespace = core.namespaceFor(type, rawMeta.namespace);
  const name = rawMeta.name ?? '';
  const old = core.current(type, namespace, name);
  await core.authorize({
    actor: ctx.actor,
    verb,
    group: type.group,
    kind: type.kind,
    resource: type.plural,
    ...(namespace === undefined ? {} : { namespace }),
    name,
    ...(subresource ? { subresource } : {}),
  });
  if (rawMeta.resourceVersion !== undefined && rawMeta.resourceVersion !== old.metadata.resourceVersion) {
    throw new ConflictError(conflictMessage(type, name));
  }
  const base = {
    operation: 'UPDATE' as const,
    type,
    oldObject: old,
    ...(namespace === undefined ? {} : { namespace }),
    ...(subresource ? { subresource } : {}),
  };
  const mutated = (await admit(ctx, { ...base, object: raw as unknown as KubeObject }, 'mutate')) as unknown as Record<
    string,
    unknown
  >;
  const source = mutated === raw ? raw : inspectInput(type.kind, mutated);

  const warnings: string[] = [];
  const parts: Part[] = subresource === 'status' ? ['status'] : ['metadata', 'spec', 'root'];
  const schemaIssues: FieldIssue[] = [];
  const parsed = parseParts(type, source, parts, schemaIssues, warnings, old as unknown as Record<string, unknown>);
  check(type, name, schemaIssues);
  let next: KubeObject;
  if (subresource === 'status') {
    next = { ...old, status: parsed.status } as KubeObject;
    if (parsed.status === undefined) delete (next as { status?: unknown }).status;
  } else {
    const metaIn = parsed.metadata as ObjectMetaInput;
    const issues: FieldIssue[] = [];
    if (old.metadata.deletionTimestamp !== undefined) {
      const before = new Set(old.metadata.finalizers ?? []);
      const added = (metaIn.finalizers ?? []).filter((f) => !before.has(f));
      if (added.length > 0) {
        issues.push({
          path: 'metadata.finalizers',
          message: `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
        });
      }
    }
    if (metaIn.uid !== undefined && metaIn.uid !== old.metadata.uid) {
      issues.push({ path: 'metadata.uid', message: 'field is immutable' });
    }
    check(type, name, issues);
    // Shared with the stored spec where equal, so the strategy's checks skip unchanged subtrees by
    // reference; the stored spec itself comes back exactly when nothing in it changed.
    const oldSpec = (old as { spec?: unknown }).spec;
    const spec = type.schemas.spec ? shareUnchanged(oldSpec, parsed.spec) : undefined;
    const specChanged =
      (type.schemas.spec !== undefined && spec !== oldSpec) ||
      (type.schemas.root !== undefined && !jsonEqual(rootFields(old), parsed.root ?? {}));
    const metadata = cleanMeta({
      ...old.metadata,
      labels: metaIn.labels,
      annotations: metaIn.annotations,
      ownerReferences: metaIn.ownerReferences,
      finalizers: metaIn.finalizers,
      managedFields: metaIn.managedFields ?? old.metadata.managedFields,
      generation: old.metadata.generation + (specChanged ? 1 : 0),
    });
    // An update replaces the object: top-level fields it leaves out are gone (as a PUT in
    // Kubernetes); only the status, which the main resource does not write, is carried over.
    next = {
      ...envelope(old),
      ...(parsed.root ?? {}),
      metadata,
      ...(type.schemas.spec ? { spec } : {}),
    } as KubeObject;
    if (type.strategy.prepareForUpdate) next = type.strategy.prepareForUpdate(old, next, { now: core.clock.now() });
    check(type, name, type.strategy.validateUpdate?.(old, next));
  }
  next = deepFreeze(shareUnchanged(old, next));
  await admit(ctx, { ...base, object: next }, 'validate');
  warn(ctx, options, warnings);
  if (next === old) return old; // a no-op update writes nothing, as in Kubernetes
  const key = core.key(type, namespace, name);
  const expected = Number(old.metadata.resourceVersion);
  if (deletionComplete(next.metadata)) return commit(ctx, type, key, next, expected, options, true);
  return commit(ctx, type, key, next, expected, options);
}

/** @internal `patch`: a pure recipe on an immer draft of the current object, retried on conflicts unless pinned to a version. */
export async function patchObject<T extends KubeObject>(
  ctx: WriteContext,
  type: ResourceType,
  name: string,
  recipe: (draft: T) => T | undefined,
  namespaceOption: string | undefined,
  pinned: string | undefined,
  subresource: 'status' | undefined,
  options: WriteOptions,
): Promise<KubeObject> {
  const { core } = ctx;
  const namespace = core.namespaceFor(type, namespaceOption);
  let lastConflict: unknown;
  for (let attempt = 0; attempt < MAX_PATCH_ATTEMPTS; attempt++) {
    const current = core.current<T>(type, namespace, name);
    if (pinned !== undefined && current.metadata.resourceVersion !== pinned) {
      throw new ConflictError(conflictMessage(type, name));
    }
    const next = produce(current, recipe as (draft: T) => undefined) as T;
    const request = {
      ...next,
      metadata: { ...next.metadata, name, resourceVersion: current.metadata.resourceVersion },
    };
    if (namespace !== undefined) request.metadata.namespace = namespace;
    try {
      return await updateObject(ctx, request, subresource, options, 'patch');
    } catch (error) {
      if (pinned !== undefined || !isKeelsonError(error, 'Conflict')) throw error;
      lastConflict = error;
      await core.projection.reached(core.projection.revision);
    }
  }
  throw lastConflict;
}

const ENVELOPE = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'status']);

/** The object without its top-level data fields (a ConfigMap's `data`, a Secret's `type`…). */
function envelope(object: KubeObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (ENVELOPE.has(key)) out[key] = value;
  return out;
}

/** The object's top-level data fields, as the `root` schema parses them. */
function rootFields(object: KubeObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (!ENVELOPE.has(key)) out[key] = value;
  return out;
}
