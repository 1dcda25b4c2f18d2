import type { KubeObject, ListResult } from '@keelson/core';
import { ExpiredError } from '@keelson/core';
import { type Call, partialMetadata, representationOf, TABLE_CONTENT_TYPE, tableOf, typeOf } from './call';
import { selectorsOf } from './crud';
import { integer, sendJson } from './http';
import { HttpError } from './status';

/** What a continue token holds: the revision the first page was read at and the last key returned. */
interface Continue {
  rv: number;
  key: string;
}

function encodeContinue(token: Continue): string {
  return Buffer.from(JSON.stringify({ v: 1, ...token })).toString('base64url');
}

function decodeContinue(text: string): Continue {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (parsed.v === 1 && Number.isSafeInteger(parsed.rv) && typeof parsed.key === 'string') {
      return { rv: parsed.rv as number, key: parsed.key };
    }
  } catch {
    // Falls through to the error below.
  }
  throw new HttpError(
    400,
    'BadRequest',
    'continue: the token is not one this server issued; start the list again without it',
  );
}

const keyOf = (object: KubeObject) => `${object.metadata.namespace ?? ''}/${object.metadata.name}`;

/** Reads the list the request asks for: consistent, at least a revision, exactly a revision, or a continued page. */
async function read(call: Call): Promise<{ result: ListResult<KubeObject>; after?: string }> {
  const type = typeOf(call);
  const options = { namespace: call.path.namespace, ...selectorsOf(call) };
  const token = call.query.get('continue');
  const rv = call.query.get('resourceVersion') ?? '';
  const match = call.query.get('resourceVersionMatch') ?? '';
  if (match !== '' && match !== 'Exact' && match !== 'NotOlderThan') {
    throw new HttpError(400, 'BadRequest', `resourceVersionMatch: must be Exact or NotOlderThan, got "${match}"`);
  }
  if (match !== '' && rv === '') {
    throw new HttpError(400, 'BadRequest', 'resourceVersionMatch: is forbidden unless resourceVersion is provided');
  }
  if (token !== null && token !== '') {
    if (rv !== '' && rv !== '0') {
      throw new HttpError(
        400,
        'BadRequest',
        'resourceVersion: specifying resource version is not allowed when using continue',
      );
    }
    const { rv: at, key } = decodeContinue(token);
    await call.store.list(type, { ...options, resourceVersion: String(at) }); // authorizes, as the first page did
    try {
      const view = await call.store.at(at);
      return { result: await view.list(type, options), after: key };
    } catch (error) {
      if (error instanceof ExpiredError) {
        throw new HttpError(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
      throw error;
    }
  }
  if (match === 'Exact') {
    const at = Number(rv);
    if (!Number.isSafeInteger(at) || at < 0)
      throw new HttpError(400, 'BadRequest', `resourceVersion: must be a revision, got "${rv}"`);
    await call.store.list(type, options);
    const view = await call.store.at(at);
    return { result: await view.list(type, options) };
  }
  return {
    result: await call.store.list(type, rv === '' || rv === '0' ? options : { ...options, resourceVersion: rv }),
  };
}

/** `GET` on a collection: a `<Kind>List`, a Table or a PartialObjectMetadataList, paged by `limit` and `continue`. */
export async function listObjects(call: Call): Promise<void> {
  const type = typeOf(call);
  const limit = integer(call.query, 'limit') ?? 0;
  const { result, after } = await read(call);
  let items = result.items;
  if (after !== undefined) {
    const start = items.findIndex((item) => keyOf(item) > after);
    items = start < 0 ? [] : items.slice(start);
  }
  const metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number } = {
    resourceVersion: result.resourceVersion,
  };
  if (limit > 0 && items.length > limit) {
    const remaining = items.length - limit;
    items = items.slice(0, limit);
    const last = items[items.length - 1] as KubeObject;
    metadata.continue = encodeContinue({ rv: Number(result.resourceVersion), key: keyOf(last) });
    const { labelSelector, fieldSelector } = selectorsOf(call);
    if (labelSelector === undefined && fieldSelector === undefined) metadata.remainingItemCount = remaining;
  }
  const representation = representationOf(call.request);
  if (representation === 'Table') {
    sendJson(call.response, 200, tableOf(call, items, metadata), TABLE_CONTENT_TYPE);
  } else if (representation === 'PartialObjectMetadata') {
    sendJson(
      call.response,
      200,
      { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata, items: items.map(partialMetadata) },
      'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
    );
  } else {
    sendJson(call.response, 200, { apiVersion: type.apiVersion, kind: `${type.kind}List`, metadata, items });
  }
}
