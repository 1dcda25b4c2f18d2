import http from 'node:http';
import https from 'node:https';
import type { Clock } from '@keelson/clock';
import { errorMessage, joinHostPort, resolveHost, resolvePort } from './resolveProbe';
import type { ProbeHandler, ProbeHttpHeader, ProbeOutcome } from './types';

/** The `User-Agent` of HTTP probes unless the probe sets one (the kubelet sends `kube-probe/<version>`). */
export const PROBE_USER_AGENT = 'kube-probe/keelson';

// The kubelet reads at most this much of a response body (it only logs it).
const MAX_BODY_BYTES = 10 * 1024;
// Go's http.Client gives up on the 10th redirect response in a row.
const MAX_REQUESTS = 10;
// The statuses Go's http.Client follows; other 3xx are final answers.
const FOLLOWED = new Set([301, 302, 303, 307, 308]);

/** 200–399 is healthy; a 3xx that was not followed succeeds with a warning, as in the kubelet. */
export function httpStatusOutcome(status: number): ProbeOutcome {
  if (status >= 200 && status < 300) return { result: 'Success' };
  if (status >= 300 && status < 400) return { result: 'Success', message: `Probe terminated redirects (${status})` };
  return { result: 'Failure', message: `HTTP probe failed with statuscode: ${status}` };
}

function requestHeaders(list: readonly ProbeHttpHeader[]): Record<string, string | string[]> {
  const headers = new Map<string, string[]>();
  for (const { name, value } of list) {
    const key = name.toLowerCase();
    headers.set(key, [...(headers.get(key) ?? []), value]);
  }
  if (!headers.has('user-agent')) headers.set('user-agent', [PROBE_USER_AGENT]);
  const accept = headers.get('accept');
  if (accept === undefined) headers.set('accept', ['*/*']);
  else if (accept.every((value) => value === '')) headers.delete('accept');
  const host = headers.get('host');
  if (host !== undefined) headers.set('host', host.slice(0, 1));
  return Object.fromEntries(
    [...headers].map(([key, values]) => [key, values.length === 1 ? (values[0] ?? '') : values]),
  );
}

interface Answer {
  status: number;
  location: string | undefined;
}

/** One GET: the status and `Location`, after reading (at most 10 KiB of) the body so the socket closes cleanly. */
function getOnce(url: URL, headers: Record<string, string | string[]>, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    // agent: false = no keep-alive (the kubelet's DisableKeepAlives); the kubelet skips TLS verification too.
    const request = client.request(
      url,
      { method: 'GET', headers, agent: false, signal, rejectUnauthorized: false },
      (response) => {
        const answer = { status: response.statusCode ?? 0, location: response.headers.location };
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes >= MAX_BODY_BYTES) response.destroy();
        });
        response.on('error', () => resolve(answer));
        response.on('close', () => resolve(answer));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** A real GET, following redirects to the same host as the kubelet does (not to another host). */
async function realGet(
  first: URL,
  headers: Record<string, string | string[]>,
  signal: AbortSignal,
): Promise<ProbeOutcome> {
  let url = first;
  for (let requests = 1; ; requests++) {
    let answer: Answer;
    try {
      answer = await getOnce(url, headers, signal);
    } catch (error) {
      return { result: 'Failure', message: `Get "${url.href}": ${errorMessage(error)}` };
    }
    if (!FOLLOWED.has(answer.status) || answer.location === undefined) return httpStatusOutcome(answer.status);
    let next: URL;
    try {
      next = new URL(answer.location, url);
    } catch {
      return { result: 'Failure', message: `failed to parse Location header ${JSON.stringify(answer.location)}` };
    }
    if (next.hostname !== first.hostname) return httpStatusOutcome(answer.status);
    if (requests >= MAX_REQUESTS)
      return { result: 'Failure', message: `Get "${next.href}": stopped after 10 redirects` };
    url = next;
  }
}

/** Options of {@link createHttpGetHandler}. */
export interface HttpGetHandlerOptions {
  /** Real requests are passed through `clock.track`, so a `VirtualClock` waits for them. */
  clock: Clock;
}

/**
 * The `httpGet` handler, with the kubelet's rules: a GET of
 * `scheme://host:port/path` with the probe's headers (plus a
 * `User-Agent` and an `Accept` of any type unless given), no keep-alive, no
 * certificate check; same-host redirects are followed (up to 10 responses),
 * a redirect to another host is not and counts as success; 200–399 is
 * `Success`, any other status, a connection error or a timeout `Failure`.
 * With `target.network`, the GET goes over that simulated network instead.
 */
export function createHttpGetHandler(options: HttpGetHandlerOptions): ProbeHandler {
  const { clock } = options;
  return async (probe, target, signal) => {
    const action = probe.httpGet;
    if (action === undefined) return { result: 'Unknown', message: 'not an httpGet probe' };
    const port = resolvePort(action.port, target);
    if (typeof port !== 'number') return { result: 'Unknown', message: port.error };
    const timeoutMs = probe.timeoutSeconds * 1_000;
    const path = action.path.startsWith('/') ? action.path : `/${action.path}`;

    if (target.network !== undefined) {
      if (target.containerId === undefined)
        return { result: 'Unknown', message: 'a simulated probe needs containerId' };
      try {
        return httpStatusOutcome(await target.network.http(target.containerId, { path, port, timeoutMs }));
      } catch (error) {
        return {
          result: 'Failure',
          message: `Get "http://${target.containerId}:${port}${path}": ${errorMessage(error)}`,
        };
      }
    }

    const address = joinHostPort(resolveHost(action.host, target), port);
    let url: URL;
    try {
      url = new URL(`${action.scheme.toLowerCase()}://${address}${path}`);
    } catch (error) {
      return { result: 'Failure', message: errorMessage(error) };
    }
    return clock.track(realGet(url, requestHeaders(action.httpHeaders), signal));
  };
}
