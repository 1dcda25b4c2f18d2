import { afterEach, describe, expect, it } from 'vitest';
import type { ApiRequestAttributes } from '../src/index';
import { type ServerFixture, startServer } from './serverHarness';

let s: ServerFixture;
afterEach(async () => {
  await s.close();
});

/** Protobuf length-delimited field. */
function field(number: number, value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([Buffer.from([(number << 3) | 2, bytes.length]), bytes]);
}

const onlyReads = (a: ApiRequestAttributes) => ['get', 'list', 'watch'].includes(a.verb);

describe('authorization', () => {
  it('refuses what the authorizer denies with a Forbidden Status, writing nothing', async () => {
    s = await startServer({ authorize: onlyReads });
    const before = s.store.revision;
    const answer = await s.request('/api/v1/namespaces/default/pods', {
      method: 'POST',
      json: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'x' },
        spec: { containers: [{ name: 'c', image: 'i' }] },
      },
    });
    expect(answer.status).toBe(403);
    expect(await answer.json()).toMatchObject({
      reason: 'Forbidden',
      message:
        'pods is forbidden: User "admin" cannot create resource "pods" in API group "" in the namespace "default"',
    });
    expect(s.store.revision).toBe(before);
    expect((await s.request('/api/v1/namespaces/default/pods')).status).toBe(200);
  });

  it('answers SelfSubjectAccessReviews in JSON and in the protobuf kubectl sends', async () => {
    s = await startServer({ authorize: onlyReads });
    const review = (verb: string) => ({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb, resource: 'pods', namespace: 'default' } },
    });
    const path = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
    const list = await s.json<{ status: { allowed: boolean } }>(path, { method: 'POST', json: review('list') });
    expect(list.status.allowed).toBe(true);
    const create = await s.json<{ status: { allowed: boolean } }>(path, { method: 'POST', json: review('create') });
    expect(create.status.allowed).toBe(false);

    const attributes = Buffer.concat([field(1, 'default'), field(2, 'delete'), field(5, 'pods')]);
    const raw = field(2, field(1, attributes));
    const envelope = Buffer.concat([Buffer.from('k8s\0'), field(2, raw)]);
    const answer = await s.json<{ spec: object; status: { allowed: boolean } }>(path, {
      method: 'POST',
      body: envelope,
      headers: { 'content-type': 'application/vnd.kubernetes.protobuf' },
    });
    expect(answer.spec).toEqual({ resourceAttributes: { namespace: 'default', verb: 'delete', resource: 'pods' } });
    expect(answer.status.allowed).toBe(false);
  });

  it('takes unauthenticated loopback requests as anonymous only when asked to', async () => {
    s = await startServer({ anonymous: true });
    const anonymous = await fetch(`${s.url}/api/v1/namespaces`);
    expect(anonymous.status).toBe(200);
    const wrongToken = await fetch(`${s.url}/api/v1/namespaces`, { headers: { authorization: 'Bearer nope' } });
    expect(wrongToken.status).toBe(401);
  });
});
