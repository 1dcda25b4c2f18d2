import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OpenApi } from '../openapi/index';
import { sendJson } from './http';
import { HttpError } from './status';

/**
 * `GET /openapi/v3` (the index) and `/openapi/v3/<group-version>`, with the
 * document's hash as ETag: a hashed URL may be cached for good, as
 * Kubernetes serves it; a matching If-None-Match is a 304.
 */
export function serveOpenApi(
  openApi: OpenApi,
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
): boolean {
  if (path === '/openapi/v3') {
    sendJson(response, 200, openApi.index());
    return true;
  }
  const documentPath = path.slice('/openapi/v3/'.length);
  const document = openApi.document(documentPath);
  const hash = openApi.hash(documentPath);
  if (document === undefined || hash === undefined) {
    throw new HttpError(404, 'NotFound', `no OpenAPI document for ${documentPath}: GET /openapi/v3 lists them`);
  }
  const etag = `"${hash}"`;
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304, { ETag: etag });
    response.end();
    return true;
  }
  const text = JSON.stringify(document);
  response.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    ETag: etag,
    'Cache-Control': /[?&]hash=/.test(request.url ?? '') ? 'public, immutable' : 'no-cache, private',
  });
  response.end(text);
  return true;
}
