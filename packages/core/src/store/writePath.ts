import { AppendConflictError, isKeelsonError } from '@keelson/eventlog';
import { produce } from 'immer';
import { AlreadyExistsError, ConflictError, type FieldIssue, InvalidError, ValidationError } from '../errors/index';
import { deepFreeze, jsonEqual, shareUnchanged } from '../objects/freeze';
import { inspectInput } from '../objects/inspectInput';
import type { KubeObject, ResourceType } from '../resource/defineResource';
import { invalidName, type ObjectMeta, type ObjectMetaInput } from '../resource/objectMeta';
import { formatTime, qualifiedResource, typeName } from './keys';
import { type Part, parseParts } from './parseObject';
import type { StoreCore } from './StoreCore';
import type { AdmissionRequest, DeleteOptions, StoreReader, WriteOptions } from './types';

/** Characters of generated name suffixes, as Kubernetes picks them (no vowels, no look-alikes). */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_PATCH_ATTEMPTS = 5;

/** @internal Who is writing, and through which store view. */
export interface WriteContext {
  core: StoreCore;
  actor: string;
  reader: StoreReader;
}

type Verb = 'create' | 'update' | 'patch' | 'delete';

function conflictMessage(type: ResourceType, name: string): string {
  return `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": the object has been modified; please apply your changes to the latest version and try again`;
}

function asRecord(kind: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidError(
      `${kind}: expected an object with metadata${kind ? '' : ', apiVersion and kind'}, got ${value === null ? 'null' : typeof value}`,
    );
  }
  return value as Record<string, unknown>;
}

function warn(ctx: WriteContext, options: WriteOptions, warnings: readonly string[]): void {
  for (const warning of warnings) (options.onWarning ?? ((w: string) => ctx.core.logger.warn(w)))(warning);
}

async function admit(
  ctx: WriteContext,
  request: Omit<AdmissionRequest, 'actor' | 'store'>,
  phase: 'mutate' | 'validate',
) {
  let object = request.object;
  for (const plugin of ctx.core.admission) {
    const full: AdmissionRequest = { ...request, object, actor: ctx.actor, store: ctx.reader };
    if (phase === 'validate') {
      await plugin.validate?.(full);
    } else if (plugin.mutate) {
      const result = await plugin.mutate(full);
      if (result) object = deepFreeze(result);
    }
  }
  return object;
}

function check(type: ResourceType, name: string, issues: readonly FieldIssue[] | undefined): void {
  if (issues && issues.length > 0) throw new ValidationError(type.kind, name, issues);
}

type LooseMeta = { [K in keyof ObjectMeta]?: ObjectMeta[K] | undefined };

const OMIT_WHEN_EMPTY = new Set(['labels', 'annotations', 'ownerReferences', 'finalizers']);

/** Drops unset fields, and empty ones Kubernetes omits (`omitempty`), so `[]` and absent are one state. */
function cleanMeta(meta: LooseMeta): ObjectMeta {
  const out = { ...meta } as Record<string, unknown>;
  for (const key of Object.keys(out)) {
    const value = out[key];
    const empty =
      value === undefined ||
      (OMIT_WHEN_EMPTY.has(key) &&
        (Array.isArray(value) ? value.length === 0 : Object.keys(value as object).length === 0));
    if (empty) delete out[key];
  }
  return out as unknown as ObjectMeta;
}

/** Appends the new state of one object and resolves with it as the projection applied it. */
async function commit(
  ctx: WriteContext,
  type: ResourceType,
  key: string,
  object: KubeObject,
  expectedRevision: number,
  options: WriteOptions,
  tombstone = false,
): Promise<KubeObject> {
  const { core } = ctx;
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

function generateName(ctx: WriteContext, prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[ctx.core.random.int(NAME_ALPHABET.length)];
  return `${prefix}${suffix}`;
}

/** @internal Kubernetes' create: authorizer → mutating admission → schema → metadata and strategy → validating admission → append. */
export async function createObject(
  ctx: WriteContext,
  type: ResourceType,
  input: unknown,
  namespaceOption: string | undefined,
  options: WriteOptions,
): Promise<KubeObject> {
  const { core } = ctx;
  core.typeState(type);
  const raw = inspectInput(type.kind, asRecord(type.kind, input));
  if (raw.kind !== undefined && raw.kind !== type.kind) {
    throw new InvalidError(`object kind "${String(raw.kind)}" does not match the type ${type.kind}`);
  }
  const rawMeta = (raw.metadata ?? {}) as ObjectMetaInput;
  const namespace = core.namespaceFor(type, rawMeta.namespace ?? namespaceOption);
  if (
    namespaceOption !== undefined &&
    rawMeta.namespace !== undefined &&
    type.namespaced &&
    rawMeta.namespace !== namespaceOption
  ) {
    throw new InvalidError(
      `${type.kind}: metadata.namespace "${rawMeta.namespace}" does not match the namespace option "${namespaceOption}"`,
    );
  }
  await core.authorize({
    actor: ctx.actor,
    verb: 'create',
    group: type.group,
    kind: type.kind,
    resource: type.plural,
    ...(namespace === undefined ? {} : { namespace }),
    ...(rawMeta.name === undefined ? {} : { name: rawMeta.name }),
  });
  const mutated = await admit(
    ctx,
    {
      operation: 'CREATE',
      type,
      object: raw as unknown as KubeObject,
      ...(namespace === undefined ? {} : { namespace }),
    },
    'mutate',
  );
  const source = (mutated === (raw as unknown) ? raw : inspectInput(type.kind, mutated)) as unknown as Record<
    string,
    unknown
  >;

  const warnings: string[] = [];
  const issues: FieldIssue[] = [];
  const displayName = rawMeta.name ?? `${rawMeta.generateName ?? ''}*`;
  const parsed = parseParts(type, source, ['metadata', 'spec', 'status', 'root'], issues, warnings);
  const metaIn = (parsed.metadata ?? source.metadata ?? {}) as ObjectMetaInput;
  if (metaIn.resourceVersion !== undefined && metaIn.resourceVersion !== '') {
    throw new InvalidError(`${type.kind}: metadata.resourceVersion must not be set on create; remove it`);
  }
  let name = typeof metaIn.name === 'string' ? metaIn.name : undefined;
  if (name === undefined || name === '') {
    if (!metaIn.generateName) {
      issues.push({ path: 'metadata.name', message: 'name or generateName is required' });
    } else {
      name = generateName(ctx, metaIn.generateName);
    }
  }
  if (name) {
    const problem = invalidName(name, type.nameRule);
    if (problem) issues.push({ path: metaIn.name ? 'metadata.name' : 'metadata.generateName', message: problem });
  }
  check(type, displayName, issues);
  const now = core.clock.now();
  const metadata = cleanMeta({
    name: name as string,
    generateName: metaIn.generateName,
    namespace,
    uid: core.random.uuid(),
    generation: 1,
    creationTimestamp: formatTime(now),
    labels: metaIn.labels,
    annotations: metaIn.annotations,
    ownerReferences: metaIn.ownerReferences,
    finalizers: metaIn.finalizers,
  });
  let object = {
    apiVersion: type.apiVersion,
    kind: type.kind,
    metadata,
    ...(parsed.root ?? {}),
    ...(type.schemas.spec ? { spec: parsed.spec } : {}),
    ...(parsed.status !== undefined ? { status: parsed.status } : {}),
  } as KubeObject;
  if (type.strategy.prepareForCreate) object = type.strategy.prepareForCreate(object);
  check(type, metadata.name, type.strategy.validate?.(object));
  object = deepFreeze(object);
  await admit(
    ctx,
    { operation: 'CREATE', type, object, ...(namespace === undefined ? {} : { namespace }) },
    'validate',
  );
  warn(ctx, options, warnings);
  return commit(ctx, type, core.key(type, namespace, metadata.name), object, 0, options);
}

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
    const specChanged =
      (type.schemas.spec !== undefined && !jsonEqual((old as { spec?: unknown }).spec, parsed.spec)) ||
      (type.schemas.root !== undefined &&
        Object.keys(parsed.root ?? {}).some(
          (k) => !jsonEqual((old as unknown as Record<string, unknown>)[k], parsed.root?.[k]),
        ));
    const metadata = cleanMeta({
      ...old.metadata,
      labels: metaIn.labels,
      annotations: metaIn.annotations,
      ownerReferences: metaIn.ownerReferences,
      finalizers: metaIn.finalizers,
      generation: old.metadata.generation + (specChanged ? 1 : 0),
    });
    next = {
      ...old,
      ...(parsed.root ?? {}),
      metadata,
      ...(type.schemas.spec ? { spec: parsed.spec } : {}),
    } as KubeObject;
    if (type.strategy.prepareForUpdate) next = type.strategy.prepareForUpdate(old, next);
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

/** @internal Kubernetes' delete: preconditions, finalizers, graceful deletion and propagation policy. */
export async function deleteObject(
  ctx: WriteContext,
  type: ResourceType,
  name: string,
  options: DeleteOptions,
): Promise<KubeObject> {
  const { core } = ctx;
  const namespace = core.namespaceFor(type, options.namespace);
  const old = core.current(type, namespace, name);
  await core.authorize({
    actor: ctx.actor,
    verb: 'delete',
    group: type.group,
    kind: type.kind,
    resource: type.plural,
    ...(namespace === undefined ? {} : { namespace }),
    name,
  });
  const { preconditions } = options;
  if (preconditions?.uid !== undefined && preconditions.uid !== old.metadata.uid) {
    throw new ConflictError(
      `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${old.metadata.uid}`,
    );
  }
  if (preconditions?.resourceVersion !== undefined && preconditions.resourceVersion !== old.metadata.resourceVersion) {
    throw new ConflictError(
      `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
    );
  }
  const requested = options.gracePeriodSeconds;
  if (requested !== undefined && !Number.isSafeInteger(requested)) {
    throw new InvalidError(`gracePeriodSeconds must be an integer number of seconds, got ${String(requested)}`);
  }
  const grace = type.strategy.gracefulDeleteSeconds
    ? type.strategy.gracefulDeleteSeconds(old, requested)
    : (requested ?? 0);
  if (!Number.isSafeInteger(grace) || grace < 0) {
    throw new InvalidError(`gracePeriodSeconds must be an integer >= 0, got ${String(requested)}`);
  }
  const policy = options.propagationPolicy;
  if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
    throw new InvalidError(`propagationPolicy must be Background, Foreground or Orphan, got "${String(policy)}"`);
  }
  await admit(
    ctx,
    { operation: 'DELETE', type, object: old, oldObject: old, ...(namespace === undefined ? {} : { namespace }) },
    'validate',
  );

  const finalizers = [...(old.metadata.finalizers ?? [])];
  const addFinalizer = (f: string) => {
    if (!finalizers.includes(f)) finalizers.push(f);
  };
  if (policy === 'Foreground') addFinalizer('foregroundDeletion');
  if (policy === 'Orphan') addFinalizer('orphan');
  const key = core.key(type, namespace, name);
  const expected = Number(old.metadata.resourceVersion);
  if (finalizers.length === 0 && grace === 0) return commit(ctx, type, key, old, expected, options, true);

  // Deletion starts (or a shorter grace period is requested): deletionTimestamp never moves later.
  const now = core.clock.now();
  const due = formatTime(now + grace * 1000);
  const current = old.metadata.deletionTimestamp;
  const keepCurrent = current !== undefined && current <= due;
  const deletionTimestamp = keepCurrent ? current : due;
  const metadata = cleanMeta({
    ...old.metadata,
    finalizers: finalizers.length > 0 ? finalizers : undefined,
    deletionTimestamp,
    deletionGracePeriodSeconds: keepCurrent ? (old.metadata.deletionGracePeriodSeconds ?? grace) : grace,
    generation: current === undefined ? old.metadata.generation + 1 : old.metadata.generation,
  });
  const next = deepFreeze({ ...old, metadata } as KubeObject);
  if (jsonEqual(next, old)) return old;
  return commit(ctx, type, key, next, expected, options);
}
