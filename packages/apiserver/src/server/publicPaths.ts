import type { ServerResponse } from 'node:http';
import { sendJson } from './http';

/** What `/version` reports: Kubernetes 1.32, so kubectl v1.32 sees no version skew. */
export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'keelson',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

/** Version and health: answered without authentication, as Kubernetes' public-info-viewer allows. */
export function publicPath(path: string, response: ServerResponse): boolean {
  if (path === '/version') {
    sendJson(response, 200, SERVER_VERSION);
    return true;
  }
  if (path === '/healthz' || path === '/readyz' || path === '/livez') {
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '2' });
    response.end('ok');
    return true;
  }
  return false;
}
