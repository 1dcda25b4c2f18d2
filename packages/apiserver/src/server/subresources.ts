import { bindPod } from '@keelson/api';
import type { KubeObject, Scale } from '@keelson/core';
import { isKeelsonError } from '@keelson/core';
import { evictPod } from '@keelson/workloads';
import { applyJsonPatch, applyMergePatch, patchTypeOf } from '../patch/index';
import { type Call, dryRunOf, objectBody, typeOf } from './call';
import { flag, integer, readBody, sendJson } from './http';
import { HttpError, success } from './status';

/** `GET`, `PUT` and `PATCH` on `…/{name}/scale`: an autoscaling/v1 Scale. */
export async function scale(call: Call, method: string): Promise<void> {
  const type = typeOf(call);
  const { name = '', namespace } = call.path;
  if (method === 'GET') {
    sendJson(call.response, 200, await call.store.getScale(type, name, { namespace }));
    return;
  }
  let update: Scale;
  if (method === 'PUT') {
    update = (await objectBody(call, 'Scale')) as unknown as Scale;
  } else {
    const kind = patchTypeOf(call.request.headers['content-type']);
    if (kind === undefined || kind === 'apply') {
      throw new HttpError(
        415,
        'UnsupportedMediaType',
        'scale: patch with application/merge-patch+json, application/strategic-merge-patch+json or application/json-patch+json',
      );
    }
    const patch = JSON.parse((await readBody(call.request, call.ctx.maxRequestBytes)).toString('utf8')) as unknown;
    const current = structuredClone(await call.store.getScale(type, name, { namespace }));
    // A Scale has no lists, so a strategic merge patch is a merge patch.
    update = (kind === 'json' ? applyJsonPatch(current, patch) : applyMergePatch(current, patch)) as Scale;
  }
  const replicas = update?.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new HttpError(
      422,
      'Invalid',
      `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      {
        name,
        group: 'autoscaling',
        kind: 'Scale',
        causes: [{ type: 'FieldValueInvalid', message: 'must be greater than or equal to 0', field: 'spec.replicas' }],
      },
    );
  }
  const rv = update.metadata?.resourceVersion;
  const written = await call.store.updateScale(
    type,
    name,
    { spec: { replicas }, ...(rv ? { metadata: { resourceVersion: rv } } : {}) },
    { namespace, dryRun: dryRunOf(call) },
  );
  sendJson(call.response, 200, written);
}

/** `POST …/pods/{name}/binding`: assigns the pod to the Binding's target node. */
export async function binding(call: Call): Promise<void> {
  const body = await objectBody(call, 'Binding');
  const target = body.target as { kind?: string; name?: string } | undefined;
  if (target === undefined || typeof target.name !== 'string' || target.name === '') {
    throw new HttpError(422, 'Invalid', 'Binding is invalid: target.name: Required value: name of the node to bind to');
  }
  if (target.kind !== undefined && target.kind !== 'Node' && target.kind !== '') {
    throw new HttpError(
      422,
      'Invalid',
      `Binding is invalid: target.kind: Unsupported value: "${target.kind}": supported values: "Node"`,
    );
  }
  const metadata = (body.metadata ?? {}) as { uid?: string };
  await bindPod(
    call.store,
    {
      metadata: {
        name: call.path.name ?? '',
        namespace: call.path.namespace ?? 'default',
        ...(metadata.uid ? { uid: metadata.uid } : {}),
      },
    },
    target.name,
  );
  sendJson(call.response, 201, success());
}

/** `POST …/pods/{name}/eviction`: deletes the pod if its disruption budgets allow, else a 429. */
export async function eviction(call: Call): Promise<void> {
  const body = await objectBody(call, 'Eviction');
  const metadata = {
    ...((body.metadata as object | undefined) ?? {}),
    name: call.path.name,
    namespace: call.path.namespace,
  };
  const given = (body.metadata as { name?: string } | undefined)?.name;
  if (given !== undefined && given !== call.path.name) {
    throw new HttpError(400, 'BadRequest', `name in URL does not match name in Eviction object`);
  }
  await evictPod(call.store, { ...body, apiVersion: 'policy/v1', kind: 'Eviction', metadata });
  sendJson(call.response, 201, success());
}

/** `GET …/pods/{name}/log`: the container's output, streamed when following. */
export async function podLog(call: Call): Promise<void> {
  const source = call.ctx.options.podLogs;
  if (source === undefined) {
    throw new HttpError(
      404,
      'NotFound',
      'pod logs are not available from this server: it was started without a podLogs source',
    );
  }
  const pod = (await call.store.get(typeOf(call), call.path.name ?? '', {
    namespace: call.path.namespace,
  })) as KubeObject;
  const q = call.query;
  const request = {
    namespace: pod.metadata.namespace ?? 'default',
    pod: pod.metadata.name,
    ...(q.get('container') ? { container: q.get('container') as string } : {}),
    follow: flag(q, 'follow'),
    previous: flag(q, 'previous'),
    timestamps: flag(q, 'timestamps'),
    ...optional('tailLines', integer(q, 'tailLines')),
    ...optional('sinceSeconds', integer(q, 'sinceSeconds')),
    ...optional('limitBytes', integer(q, 'limitBytes')),
  };
  const abort = new AbortController();
  call.response.on('close', () => abort.abort());
  const iterator = source(request, abort.signal)[Symbol.asyncIterator]();
  // Errors before the first chunk are a Status; after it, the stream just ends. A followed log
  // with nothing written yet gets its headers after one turn of the event loop, not at its first line.
  const first = iterator.next();
  const early = await Promise.race([
    first.then(
      (item) => ({ item }),
      (error: unknown) => ({ error }),
    ),
    new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined))),
  ]);
  if (early !== undefined && 'error' in early) {
    if (isKeelsonError(early.error)) throw early.error;
    throw new HttpError(400, 'BadRequest', early.error instanceof Error ? early.error.message : String(early.error));
  }
  call.response.writeHead(200, {
    'Content-Type': 'text/plain',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  call.response.flushHeaders();
  try {
    for (let item = await first; !item.done && !abort.signal.aborted; item = await iterator.next()) {
      call.response.write(item.value);
    }
  } catch {
    // The source failed mid-stream: end what was sent.
  }
  call.response.end();
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}
