import type { KubeObject } from '@keelson/core';
import { isKeelsonError } from '@keelson/core';
import { parse as parseYaml } from 'yaml';
import {
  applyConflictError,
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  patchTypeOf,
  recordUpdate,
  serverSideApply,
  strategicMergeSchemaFor,
} from '../patch/index';
import { type Call, isConflict, managerOf, nowOf, sendObject, typeOf, withFieldValidation } from './call';
import { checkIdentity } from './crud';
import { flag, readBody } from './http';
import { HttpError } from './status';

const ATTEMPTS = 5;

type Json = Record<string, unknown>;

/** Reads the patch document by its Content-Type; a bad one is a 400, an unknown type a 415. */
async function patchBody(call: Call) {
  const contentType = call.request.headers['content-type'];
  const kind = patchTypeOf(contentType);
  if (kind === undefined) {
    throw new HttpError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml${strategicSchema(call) === undefined ? '' : ', application/strategic-merge-patch+json'}`,
    );
  }
  if (kind === 'strategic' && strategicSchema(call) === undefined) {
    throw new HttpError(
      415,
      'UnsupportedMediaType',
      `strategic merge patch is not supported for ${call.path.entry.kind}: use application/merge-patch+json or application/apply-patch+yaml`,
    );
  }
  const text = (await readBody(call.request, call.ctx.maxRequestBytes)).toString('utf8');
  try {
    const patch: unknown = kind === 'apply' ? parseYaml(text) : JSON.parse(text);
    return { kind, patch };
  } catch (error) {
    const what = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, 'BadRequest', `the patch is not valid ${kind === 'apply' ? 'YAML' : 'JSON'}: ${what}`);
  }
}

function strategicSchema(call: Call) {
  const { type } = call.path.entry;
  return strategicMergeSchemaFor(type.apiVersion, type.kind);
}

/** A deep, mutable copy of a stored (frozen) object. */
function thaw(object: KubeObject): Json {
  return structuredClone(object) as unknown as Json;
}

/**
 * `PATCH …/{name}` (and `/status`) in the four patch types. The patch is
 * applied to the live object and written at its resourceVersion, retried on
 * a conflict unless the patch itself pins a resourceVersion. Server-side
 * apply creates the object when it does not exist.
 */
export async function patchObject(call: Call): Promise<void> {
  const type = typeOf(call);
  const { name = '', namespace, subresource } = call.path;
  const { kind, patch } = await patchBody(call);
  const schema = strategicSchema(call);
  const manager = managerOf(call);
  if (kind === 'apply' && call.query.get('fieldManager') === null) {
    throw new HttpError(400, 'BadRequest', 'fieldManager: Required value: is required for apply patch');
  }
  if (kind !== 'json' && (typeof patch !== 'object' || patch === null || Array.isArray(patch))) {
    throw new HttpError(400, 'BadRequest', `the ${kind} patch must be an object`);
  }
  const force = flag(call.query, 'force');
  if (force && kind !== 'apply') throw new HttpError(400, 'BadRequest', 'force: may only be set for apply patches');

  for (let attempt = 1; ; attempt++) {
    let live: KubeObject | undefined;
    try {
      live = await call.store.get(type, name, { namespace });
    } catch (error) {
      if (!(kind === 'apply' && subresource === undefined && isKeelsonError(error, 'NotFound'))) throw error;
    }
    const now = nowOf(call);
    let next: Json;
    if (kind === 'apply') {
      const applied = checkIdentity(call, patch as Json, true);
      const result = serverSideApply({
        live: live === undefined ? undefined : thaw(live),
        applied,
        fieldManager: manager,
        force,
        now,
        subresource,
        schema,
      });
      if (result.conflicts.length > 0) throw applyConflictError(result.conflicts);
      next = result.object;
    } else {
      const current = thaw(live as KubeObject);
      const patched =
        kind === 'json'
          ? applyJsonPatch(current, patch)
          : kind === 'merge'
            ? applyMergePatch(current, patch)
            : applyStrategicMergePatch(current, patch, schema);
      next = recordUpdate({
        before: current,
        after: checkIdentity(call, patched as Json, true),
        manager,
        now,
        apiVersion: type.apiVersion,
        subresource,
        schema,
      });
    }
    const pinned =
      typeof (patch as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion === 'string';
    try {
      const written = await withFieldValidation(call, (options) => {
        if (live === undefined) {
          const { resourceVersion: _rv, ...metadata } = next.metadata as Json;
          return call.store.create(type, { ...next, metadata } as never, { namespace, ...options });
        }
        const object = next as unknown as KubeObject;
        const at = pinned
          ? object
          : { ...object, metadata: { ...object.metadata, resourceVersion: live.metadata.resourceVersion } };
        return subresource === 'status' ? call.store.updateStatus(at, options) : call.store.update(at, options);
      });
      sendObject(call, live === undefined ? 201 : 200, written);
      return;
    } catch (error) {
      if (pinned || attempt >= ATTEMPTS || !(isConflict(error) || isKeelsonError(error, 'AlreadyExists'))) throw error;
    }
  }
}
