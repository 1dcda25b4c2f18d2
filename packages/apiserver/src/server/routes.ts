import type { Call } from './call';
import { createObject, deleteCollection, deleteObject, getObject, replaceObject } from './crud';
import { flag } from './http';
import { listObjects } from './list';
import { patchObject } from './patch';
import { HttpError } from './status';
import { binding, eviction, podLog, scale } from './subresources';
import { type WatchRegistry, watchObjects } from './watch';

/** The Kubernetes verb of a resource request, for authorization and logs. */
export function verbOf(method: string, call: Pick<Call, 'path' | 'query'>): string {
  const { name } = call.path;
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (name === undefined) return flag(call.query, 'watch') ? 'watch' : 'list';
      return 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return name === undefined ? 'deletecollection' : 'delete';
    default:
      return method.toLowerCase();
  }
}

const UNSUPPORTED_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy', 'ephemeralcontainers']);

const NOTHING_TO: Readonly<Record<string, string>> = {
  portforward: 'forward to',
  ephemeralcontainers: 'debug in (kubectl debug needs ephemeral containers)',
};

/** Runs a resource request by method and subresource. */
export async function route(call: Call, method: string, watches: WatchRegistry): Promise<void> {
  const { name, subresource, entry } = call.path;
  if (subresource !== undefined) {
    if (UNSUPPORTED_SUBRESOURCES.has(subresource)) {
      throw new HttpError(
        405,
        'MethodNotAllowed',
        `${entry.plural}/${subresource} is not supported by Keelson: containers are simulated, so there is nothing to ${NOTHING_TO[subresource] ?? subresource}`,
        { name: name ?? '', kind: entry.plural, group: entry.group },
      );
    }
    if (!entry.subresources.includes(subresource)) {
      throw new HttpError(
        404,
        'NotFound',
        `the server could not find the requested resource (${method.toLowerCase()} ${entry.plural}/${subresource})`,
      );
    }
    return subresourceRoute(call, method, subresource);
  }
  if (name === undefined) {
    if (method === 'GET') return flag(call.query, 'watch') ? watchObjects(call, watches) : listObjects(call);
    if (method === 'POST') return createObject(call);
    if (method === 'DELETE') return deleteCollection(call);
  } else {
    if (method === 'GET') return getObject(call);
    if (method === 'PUT') return replaceObject(call);
    if (method === 'PATCH') return patchObject(call);
    if (method === 'DELETE') return deleteObject(call);
  }
  throw methodNotAllowed(method);
}

function subresourceRoute(call: Call, method: string, subresource: string): Promise<void> {
  switch (subresource) {
    case 'status':
      if (method === 'GET') return getObject(call);
      if (method === 'PUT') return replaceObject(call);
      if (method === 'PATCH') return patchObject(call);
      break;
    case 'scale':
      if (method === 'GET' || method === 'PUT' || method === 'PATCH') return scale(call, method);
      break;
    case 'binding':
      if (method === 'POST') return binding(call);
      break;
    case 'eviction':
      if (method === 'POST') return eviction(call);
      break;
    case 'log':
      if (method === 'GET') return podLog(call);
      break;
  }
  throw methodNotAllowed(method);
}

function methodNotAllowed(method: string): HttpError {
  return new HttpError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource (${method})`,
  );
}
