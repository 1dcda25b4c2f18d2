import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { HttpError, type Status } from './status';

/** Reads a request body up to `limit` bytes; a larger one is a 413 Status. */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit} bytes`);
}

/** Parses a body as JSON, or YAML when the Content-Type says so; a bad one is a 400 naming the problem. */
export function parseBody(body: Buffer, contentType: string | undefined): unknown {
  if (/protobuf/i.test(contentType ?? '')) {
    throw new HttpError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
    );
  }
  const text = body.toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'BadRequest', 'the request body is empty: send a JSON object');
  const yaml = /yaml/i.test(contentType ?? '');
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const what = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, 'BadRequest', `the request body is not valid ${yaml ? 'YAML' : 'JSON'}: ${what}`);
  }
}

/** Answers with a JSON body. */
export function sendJson(
  response: ServerResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
  warnings: readonly string[] = [],
): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-cache, private',
  };
  if (warnings.length > 0) headers.Warning = warnings.map(warningHeader);
  response.writeHead(code, headers);
  response.end(text);
}

/** Answers with a Status (its code is the HTTP status). */
export function sendStatus(response: ServerResponse, status: Status): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendJson(response, status.code, status);
}

/** A `Warning` header value as Kubernetes writes them: `299 - "text"`. */
export function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text.replace(/[\r\n]+/g, ' '))}`;
}

/** Whether the request is from this machine. */
export function isLoopback(request: IncomingMessage): boolean {
  const address = request.socket.remoteAddress ?? '';
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** A boolean query parameter as Kubernetes reads them (`1`, `true`). */
export function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value === '1' || value === 'true';
}

/** A non-negative integer query parameter, or undefined; anything else is a 400 naming it. */
export function integer(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new HttpError(400, 'BadRequest', `${name}: must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return n;
}
