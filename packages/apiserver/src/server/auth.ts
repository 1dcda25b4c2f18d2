import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { InvalidError } from '@keelson/core';
import { isLoopback } from './http';
import type { ApiRequestAttributes, ApiServerOptions, Authenticator, UserInfo } from './types';

/** The user of unauthenticated loopback requests when `anonymous` is on. */
export const ANONYMOUS: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

/**
 * An authenticator of static bearer tokens (`Authorization: Bearer <token>`),
 * as kube-apiserver's `--token-auth-file`: each token maps to a user.
 *
 * @example
 * ```ts
 * createApiServer({ store, authenticate: tokenAuthenticator({ s3cret: { username: 'admin', groups: ['system:masters'] } }) });
 * ```
 */
export function tokenAuthenticator(tokens: Readonly<Record<string, UserInfo>>): Authenticator {
  if (typeof tokens !== 'object' || tokens === null) {
    throw new InvalidError('tokenAuthenticator: tokens must be an object mapping each token to { username, groups? }');
  }
  const entries = Object.entries(tokens).map(([token, user]) => {
    if (token.length === 0) throw new InvalidError('tokenAuthenticator: a token must not be empty');
    if (typeof user?.username !== 'string' || user.username === '') {
      throw new InvalidError(`tokenAuthenticator: the user of a token needs a non-empty username`);
    }
    return [Buffer.from(token), user] as const;
  });
  return (request) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) return undefined;
    const given = Buffer.from(match[1] ?? '');
    for (const [token, user] of entries) {
      if (token.length === given.length && timingSafeEqual(token, given)) return user;
    }
    return undefined;
  };
}

/** Who sent the request, or undefined (401). */
export async function authenticate(options: ApiServerOptions, request: IncomingMessage): Promise<UserInfo | undefined> {
  const user = options.authenticate === undefined ? undefined : await options.authenticate(request);
  if (user !== undefined) return user;
  if (options.anonymous === true && request.headers.authorization === undefined && isLoopback(request))
    return ANONYMOUS;
  return undefined;
}

/** Whether the server's authorizer allows the request (no authorizer: allowed). */
export async function allowed(options: ApiServerOptions, attributes: ApiRequestAttributes): Promise<boolean> {
  return options.authorize === undefined ? true : options.authorize(attributes);
}

/** Kubernetes' Forbidden message: `pods "x" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "ns"`. */
export function forbiddenMessage(a: ApiRequestAttributes): string {
  const resource = a.subresource === undefined ? a.resource : `${a.resource}/${a.subresource}`;
  const qualified = a.group === '' ? a.resource : `${a.resource}.${a.group}`;
  const subject = a.name === undefined ? qualified : `${qualified} "${a.name}"`;
  const where = a.namespace === undefined ? ' at the cluster scope' : ` in the namespace "${a.namespace}"`;
  return `${subject} is forbidden: User "${a.user.username}" cannot ${a.verb} resource "${resource}" in API group "${a.group}"${where}`;
}
