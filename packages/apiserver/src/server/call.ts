import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, ResourceType, Store } from '@keelson/core';
import { formatTime, isKeelsonError } from '@keelson/core';
import { toTable } from '../table/index';
import type { ResourceEntry } from './catalog';
import { parseBody, readBody, sendJson } from './http';
import type { ResourcePath } from './paths';
import { HttpError } from './status';
import type { ServerContext, UserInfo } from './types';

/** One resource request on its way through the server. */
export interface Call {
  readonly ctx: ServerContext;
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly query: URLSearchParams;
  readonly user: UserInfo;
  /** The store, acting as the user. */
  readonly store: Store;
  readonly path: ResourcePath & { entry: ResourceEntry };
  /** `Warning` headers to send (dropped unknown fields under fieldValidation=Warn). */
  readonly warnings: string[];
}

/** The kind served at the call's path. */
export function typeOf(call: Call): ResourceType {
  return call.path.entry.type;
}

/** The request body, parsed (JSON, or YAML by Content-Type). */
export async function bodyOf(call: Call): Promise<unknown> {
  return parseBody(await readBody(call.request, call.ctx.maxRequestBytes), call.request.headers['content-type']);
}

/** The body as an object, or a 400 naming what was expected. */
export async function objectBody(call: Call, what: string): Promise<Record<string, unknown>> {
  const body = await bodyOf(call);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(
      400,
      'BadRequest',
      `the request body must be a ${what} object, got ${Array.isArray(body) ? 'an array' : typeof body}`,
    );
  }
  return body as Record<string, unknown>;
}

/** `dryRun=All` (any other value is a 400, as Kubernetes answers). */
export function dryRunOf(call: Call): boolean {
  const values = call.query.getAll('dryRun');
  for (const value of values) {
    if (value !== 'All') {
      throw new HttpError(400, 'BadRequest', `dryRun: unsupported value "${value}": the only supported value is "All"`);
    }
  }
  return values.length > 0;
}

/** The field manager of a write: the `fieldManager` parameter, else the User-Agent's program name, as Kubernetes derives it. */
export function managerOf(call: Call): string {
  const given = call.query.get('fieldManager');
  if (given !== null && given !== '') {
    if (given.length > 128) throw new HttpError(400, 'BadRequest', 'fieldManager: must be at most 128 characters');
    return given;
  }
  const agent = call.request.headers['user-agent'] ?? '';
  const program = agent.split('/')[0]?.trim() ?? '';
  return program === '' ? 'unknown' : program.slice(0, 128);
}

/** The write's time on the store's clock, RFC 3339. */
export function nowOf(call: Call): string {
  return formatTime(call.store.clock.now());
}

/** `fieldValidation`: Strict, Warn (the default) or Ignore. */
export function fieldValidationOf(call: Call): 'Strict' | 'Warn' | 'Ignore' {
  const value = call.query.get('fieldValidation') ?? 'Warn';
  if (value !== 'Strict' && value !== 'Warn' && value !== 'Ignore') {
    throw new HttpError(400, 'BadRequest', `fieldValidation: must be Strict, Warn or Ignore, got "${value}"`);
  }
  return value;
}

/**
 * Runs a write with the request's `fieldValidation`: under Strict, a dry
 * run first, refusing the write (nothing stored) when the object has
 * unknown fields; under Warn, each dropped field is a Warning header.
 */
export async function withFieldValidation<T>(
  call: Call,
  write: (options: { dryRun: boolean; onWarning: (warning: string) => void }) => Promise<T>,
): Promise<T> {
  const mode = fieldValidationOf(call);
  const dryRun = dryRunOf(call);
  if (mode === 'Strict') {
    const found: string[] = [];
    const result = await write({ dryRun: true, onWarning: (w) => found.push(w) });
    if (found.length > 0) {
      const { kind } = call.path.entry;
      throw new HttpError(
        400,
        'BadRequest',
        `${kind} in version "${call.path.version}" cannot be handled as a ${kind}: strict decoding error: ${found.join(', ')}`,
      );
    }
    if (dryRun) return result;
  }
  return write({ dryRun, onWarning: (w) => (mode === 'Warn' ? call.warnings.push(w) : undefined) });
}

/** What the client accepts: a Table, partial metadata, or the objects themselves. */
export type Representation = 'Table' | 'PartialObjectMetadata' | 'Object';

export function representationOf(request: IncomingMessage): Representation {
  const accept = request.headers.accept ?? '';
  for (const part of accept.split(',')) {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    if (params.get('g') !== 'meta.k8s.io' || params.get('v') !== 'v1') continue;
    const as = params.get('as');
    if (as === 'Table') return 'Table';
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return 'PartialObjectMetadata';
  }
  return 'Object';
}

export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** A Table of objects with every column; kubectl hides those of priority > 0 unless `-o wide`, as with Kubernetes. */
export function tableOf(
  call: Call,
  objects: readonly KubeObject[],
  meta: { resourceVersion?: string; continue?: string } = {},
) {
  const { entry } = call.path;
  const include = call.query.get('includeObject');
  const printerColumns = call.ctx.extrasOf(entry.type)?.printerColumns;
  return toTable(objects, {
    apiVersion: entry.type.apiVersion,
    kind: entry.kind,
    now: call.store.clock.now(),
    wide: true,
    includeObject: include === 'None' || include === 'Object' ? include : 'Metadata',
    ...(printerColumns === undefined ? {} : { printerColumns }),
    ...(meta.resourceVersion === undefined ? {} : { resourceVersion: meta.resourceVersion }),
    ...(meta.continue === undefined ? {} : { continue: meta.continue }),
  });
}

/** Answers with one object in the representation asked for. */
export function sendObject(call: Call, code: number, object: KubeObject): void {
  const representation = representationOf(call.request);
  if (representation === 'Table') {
    sendJson(call.response, code, tableOf(call, [object]), TABLE_CONTENT_TYPE, call.warnings);
  } else if (representation === 'PartialObjectMetadata') {
    sendJson(
      call.response,
      code,
      partialMetadata(object),
      'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io',
      call.warnings,
    );
  } else {
    sendJson(call.response, code, object, 'application/json', call.warnings);
  }
}

export function partialMetadata(object: KubeObject): object {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

/** Whether an error is the store's Conflict. */
export function isConflict(error: unknown): boolean {
  return isKeelsonError(error, 'Conflict');
}
