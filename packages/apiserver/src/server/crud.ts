import type { DeleteOptions, KubeObject, PropagationPolicy } from '@keelson/core';
import { recordUpdate, strategicMergeSchemaFor } from '../patch/index';
import { type Call, managerOf, nowOf, objectBody, sendObject, typeOf, withFieldValidation } from './call';
import { flag, integer, readBody, sendJson } from './http';
import { HttpError } from './status';

/** `GET …/{name}` (and `…/{name}/status`, which reads the same object). */
export async function getObject(call: Call): Promise<void> {
  const { namespace, name = '' } = call.path;
  const rv = call.query.get('resourceVersion');
  const object = await call.store.get(typeOf(call), name, {
    namespace,
    ...(rv !== null && rv !== '' && rv !== '0' ? { resourceVersion: rv } : {}),
  });
  sendObject(call, 200, object);
}

/**
 * Go clients (kubectl among them) write an unset `creationTimestamp` as
 * `null` in every embedded ObjectMeta — e.g. a Deployment's pod template, as
 * `rollout undo` sends it. It means "not set": drop it, so it is neither
 * stored nor reported as an unknown field.
 */
export function withoutNullTimestamps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullTimestamps);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'metadata' && typeof child === 'object' && child !== null && !Array.isArray(child)) {
      const { creationTimestamp, ...rest } = child as Record<string, unknown>;
      out[key] = withoutNullTimestamps(creationTimestamp === null ? rest : child);
    } else {
      out[key] = withoutNullTimestamps(child);
    }
  }
  return out;
}

/** Checks a body's apiVersion, kind, name and namespace against the URL; fills in what is missing. */
export function checkIdentity(
  call: Call,
  body: Record<string, unknown>,
  requireName: boolean,
): Record<string, unknown> {
  const { entry, namespace, name } = call.path;
  const apiVersion = entry.type.apiVersion;
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersion) {
    throw new HttpError(
      400,
      'BadRequest',
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`,
    );
  }
  if (body.kind !== undefined && body.kind !== entry.kind) {
    throw new HttpError(
      400,
      'BadRequest',
      `the kind in the data (${String(body.kind)}) does not match the expected kind (${entry.kind})`,
    );
  }
  const metadata = { ...((body.metadata as Record<string, unknown> | undefined) ?? {}) };
  if (entry.namespaced && namespace !== undefined) {
    if (metadata.namespace !== undefined && metadata.namespace !== '' && metadata.namespace !== namespace) {
      throw new HttpError(
        400,
        'BadRequest',
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    metadata.namespace = namespace;
  }
  if (requireName && name !== undefined) {
    if (metadata.name !== undefined && metadata.name !== name) {
      throw new HttpError(
        400,
        'BadRequest',
        `the name of the object (${String(metadata.name)}) does not match the name on the URL (${name})`,
      );
    }
    metadata.name = name;
  }
  return withoutNullTimestamps({ ...body, apiVersion, kind: entry.kind, metadata }) as Record<string, unknown>;
}

/** Adds the writer's `Update` entry to managedFields, as Kubernetes' field manager does on every write. */
export function withManager(
  call: Call,
  before: KubeObject | undefined,
  after: Record<string, unknown>,
  subresource?: string,
): Record<string, unknown> {
  const { type } = call.path.entry;
  return recordUpdate({
    before: before as Record<string, unknown> | undefined,
    after,
    manager: managerOf(call),
    now: nowOf(call),
    apiVersion: type.apiVersion,
    subresource,
    schema: strategicMergeSchemaFor(type.apiVersion, type.kind),
  });
}

/** `POST` on a collection. */
export async function createObject(call: Call): Promise<void> {
  const type = typeOf(call);
  const body = checkIdentity(call, await objectBody(call, type.kind), false);
  const metadata = body.metadata as Record<string, unknown>;
  if (metadata.resourceVersion !== undefined && metadata.resourceVersion !== '') {
    throw new HttpError(400, 'BadRequest', 'metadata.resourceVersion: Invalid value: must be empty on create');
  }
  const input = withManager(call, undefined, body);
  const created = await withFieldValidation(call, (options) =>
    call.store.create(type, input as never, { namespace: call.path.namespace, ...options }),
  );
  sendObject(call, 201, created);
}

/** `PUT …/{name}` and `…/{name}/status`. */
export async function replaceObject(call: Call): Promise<void> {
  const type = typeOf(call);
  const { name = '', namespace, subresource } = call.path;
  const body = checkIdentity(call, await objectBody(call, type.kind), true);
  const live = await call.store.get(type, name, { namespace });
  const input = withManager(call, live, body, subresource) as unknown as KubeObject;
  const written = await withFieldValidation(call, (options) =>
    subresource === 'status' ? call.store.updateStatus(input, options) : call.store.update(input, options),
  );
  sendObject(call, 200, written);
}

/** DeleteOptions from the body (kubectl sends one) and the query. */
async function deleteOptionsOf(call: Call): Promise<DeleteOptions> {
  let body: Record<string, unknown> = {};
  const raw = await readBody(call.request, call.ctx.maxRequestBytes);
  if (raw.length > 0 && raw.toString('utf8').trim() !== '') {
    const parsed = JSON.parse(raw.toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  }
  const options: DeleteOptions = { namespace: call.path.namespace };
  const grace = integer(call.query, 'gracePeriodSeconds') ?? (body.gracePeriodSeconds as number | undefined);
  if (grace !== undefined) options.gracePeriodSeconds = grace;
  const policy = call.query.get('propagationPolicy') ?? (body.propagationPolicy as string | undefined);
  if (policy !== undefined && policy !== null) {
    if (!['Background', 'Foreground', 'Orphan'].includes(policy)) {
      throw new HttpError(
        400,
        'BadRequest',
        `propagationPolicy: must be Background, Foreground or Orphan, got "${policy}"`,
      );
    }
    options.propagationPolicy = policy as PropagationPolicy;
  } else if (body.orphanDependents === true || flag(call.query, 'orphanDependents')) {
    options.propagationPolicy = 'Orphan';
  }
  const pre = body.preconditions as { uid?: string; resourceVersion?: string } | undefined;
  if (pre !== undefined && (pre.uid !== undefined || pre.resourceVersion !== undefined)) {
    options.preconditions = {
      ...(pre.uid === undefined ? {} : { uid: pre.uid }),
      ...(pre.resourceVersion === undefined ? {} : { resourceVersion: pre.resourceVersion }),
    };
  }
  const dryRun = call.query.getAll('dryRun');
  const bodyDryRun = Array.isArray(body.dryRun) ? (body.dryRun as string[]) : [];
  if ([...dryRun, ...bodyDryRun].includes('All')) options.dryRun = true;
  return options;
}

/** `DELETE …/{name}`: 200 with the object when it is gone, 202 when its deletion is pending (grace, finalizers). */
export async function deleteObject(call: Call): Promise<void> {
  const type = typeOf(call);
  const options = await deleteOptionsOf(call);
  const object = await call.store.delete(type, call.path.name ?? '', options);
  let gone = options.dryRun !== true;
  if (gone) {
    try {
      await call.store.get(type, call.path.name ?? '', { namespace: call.path.namespace });
      gone = false;
    } catch {
      gone = true;
    }
  }
  sendObject(call, gone || options.dryRun === true ? 200 : 202, object);
}

/** `DELETE` on a collection: deletes every match and answers with the list of them. */
export async function deleteCollection(call: Call): Promise<void> {
  const type = typeOf(call);
  const options = await deleteOptionsOf(call);
  const { items } = await call.store.list(type, {
    namespace: call.path.namespace,
    ...selectorsOf(call),
  });
  const deleted: KubeObject[] = [];
  for (const item of items) {
    try {
      deleted.push(
        await call.store.delete(type, item.metadata.name, { ...options, namespace: item.metadata.namespace }),
      );
    } catch (error) {
      if (!(error instanceof Error && (error as { code?: string }).code === 'NotFound')) throw error;
    }
  }
  sendJson(call.response, 200, {
    apiVersion: type.apiVersion,
    kind: `${type.kind}List`,
    metadata: { resourceVersion: String(call.store.revision) },
    items: deleted,
  });
}

/** `labelSelector` and `fieldSelector` from the query. */
export function selectorsOf(call: Call): { labelSelector?: string; fieldSelector?: string } {
  const labelSelector = call.query.get('labelSelector');
  const fieldSelector = call.query.get('fieldSelector');
  return {
    ...(labelSelector ? { labelSelector } : {}),
    ...(fieldSelector ? { fieldSelector } : {}),
  };
}
