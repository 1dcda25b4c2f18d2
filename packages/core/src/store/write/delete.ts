import { ConflictError, InvalidError } from '../../errors/index';
import { deepFreeze, jsonEqual } from '../../objects/freeze';
import type { KubeObject, ResourceType } from '../../resource/defineResource';
import { formatTime } from '../keys';
import type { DeleteOptions } from '../types';
import { admit, cleanMeta, commit, type WriteContext } from './shared';

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
