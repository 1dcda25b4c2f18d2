import { type FieldIssue, InvalidError } from '../../errors/index';
import { deepFreeze } from '../../objects/freeze';
import { inspectInput } from '../../objects/inspectInput';
import type { KubeObject, ResourceType } from '../../resource/defineResource';
import { invalidName, type ObjectMetaInput } from '../../resource/objectMeta';
import { formatTime } from '../keys';
import { parseParts } from '../parseObject';
import type { WriteOptions } from '../types';
import { admit, asRecord, check, cleanMeta, commit, generateName, type WriteContext, warn } from './shared';

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
    managedFields: metaIn.managedFields,
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
