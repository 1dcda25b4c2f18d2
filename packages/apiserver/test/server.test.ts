import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ServerFixture, startServer } from './serverHarness';

const pod = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
});

let s: ServerFixture;
beforeEach(async () => {
  s = await startServer();
});
afterEach(async () => {
  await s.close();
});

describe('the API server', () => {
  it('answers /version and health without a token, everything else only with one', async () => {
    const version = await (await fetch(`${s.url}/version`)).json();
    expect(version).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0' });
    expect(await (await fetch(`${s.url}/readyz`)).text()).toBe('ok');
    const denied = await fetch(`${s.url}/api/v1/pods`);
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    const wrong = await s.request('/api/v1/pods', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('serves discovery for every kind, legacy and aggregated', async () => {
    const groups = await s.json<{ groups: { name: string; preferredVersion: { version: string } }[] }>('/apis');
    expect(groups.groups.map((g) => g.name)).toContain('apps');
    const core = await s.json<{ resources: { name: string; shortNames?: string[]; kind: string }[] }>('/api/v1');
    const pods = core.resources.find((r) => r.name === 'pods');
    expect(pods).toMatchObject({ kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'] });
    expect(core.resources.map((r) => r.name)).toEqual(
      expect.arrayContaining(['pods/status', 'pods/eviction', 'pods/binding', 'pods/log']),
    );
    const apps = await s.json<{ resources: { name: string; group?: string; kind: string }[] }>('/apis/apps/v1');
    expect(apps.resources.find((r) => r.name === 'deployments/scale')).toMatchObject({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    const aggregated = await s.request('/apis', {
      headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' },
    });
    expect(aggregated.headers.get('content-type')).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    const list = (await aggregated.json()) as {
      items: { metadata: { name: string }; versions: { resources: { resource: string }[] }[] }[];
    };
    const appsGroup = list.items.find((i) => i.metadata.name === 'apps');
    expect(appsGroup?.versions[0]?.resources.map((r) => r.resource)).toContain('deployments');
    expect((await s.request('/apis/nope.example/v1')).status).toBe(404);
    expect((await s.request('/openapi/v2')).status).toBe(404);
  });

  it('creates, reads, replaces and deletes, with Kubernetes status codes', async () => {
    const created = await s.request('/api/v1/namespaces/default/pods', { method: 'POST', json: pod('web') });
    expect(created.status).toBe(201);
    const object = (await created.json()) as {
      metadata: { resourceVersion: string; uid: string; managedFields?: { manager: string }[] };
    };
    expect(object.metadata.uid).toBeTruthy();
    expect(object.metadata.managedFields?.[0]?.manager).toBe('node');
    const again = await s.request('/api/v1/namespaces/default/pods', { method: 'POST', json: pod('web') });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ kind: 'Status', reason: 'AlreadyExists', code: 409 });
    const got = await s.json<{ metadata: { name: string } }>('/api/v1/namespaces/default/pods/web');
    expect(got.metadata.name).toBe('web');
    const missing = await s.request('/api/v1/namespaces/default/pods/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ reason: 'NotFound', details: { name: 'nope', kind: 'pods' } });

    const stale = { ...got, metadata: { ...got.metadata, labels: { a: 'b' }, resourceVersion: '1' } };
    const conflict = await s.request('/api/v1/namespaces/default/pods/web', { method: 'PUT', json: stale });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ reason: 'Conflict' });
    const fresh = { ...got, metadata: { ...got.metadata, labels: { a: 'b' } } };
    const replaced = await s.request('/api/v1/namespaces/default/pods/web', { method: 'PUT', json: fresh });
    expect(replaced.status).toBe(200);
    expect(((await replaced.json()) as { metadata: { labels: object } }).metadata.labels).toEqual({ a: 'b' });

    const deleted = await s.request('/api/v1/namespaces/default/pods/web', { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect((await s.request('/api/v1/namespaces/default/pods/web')).status).toBe(404);
  });

  it('refuses an invalid object with 422 and its causes, writing nothing', async () => {
    const before = s.store.revision;
    const bad = { ...pod('bad'), spec: { containers: [{ name: 'web' }] } };
    const answer = await s.request('/api/v1/namespaces/default/pods', { method: 'POST', json: bad });
    expect(answer.status).toBe(422);
    const status = (await answer.json()) as { reason: string; details: { causes: { field: string }[] } };
    expect(status.reason).toBe('Invalid');
    // kubectl prints `The Pod "bad" is invalid`, from the details' kind and name.
    expect(status.details).toMatchObject({ kind: 'Pod', name: 'bad' });
    expect(status.details.causes.map((c) => c.field)).toContain('spec.containers[0].image');
    expect(s.store.revision).toBe(before);
    const notJson = await s.request('/api/v1/namespaces/default/pods', {
      method: 'POST',
      body: '{oops',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect(s.store.revision).toBe(before);
  });

  it('lists with selectors, pages with limit and continue, and answers Tables', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      await s.request('/api/v1/namespaces/default/pods', {
        method: 'POST',
        json: pod(name, { tier: name < 'c' ? 'front' : 'back' }),
      });
    }
    const front = await s.json<{ items: { metadata: { name: string } }[] }>('/api/v1/pods?labelSelector=tier%3Dfront');
    expect(front.items.map((p) => p.metadata.name)).toEqual(['a', 'b']);
    const page1 = await s.json<{
      items: { metadata: { name: string } }[];
      metadata: { continue: string; remainingItemCount: number };
    }>('/api/v1/namespaces/default/pods?limit=2');
    expect(page1.items.map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect(page1.metadata.remainingItemCount).toBe(3);
    // A write between pages does not show in the continued list: it reads at the first page's revision.
    await s.request('/api/v1/namespaces/default/pods', { method: 'POST', json: pod('bb') });
    const page2 = await s.json<{ items: { metadata: { name: string } }[]; metadata: { continue?: string } }>(
      `/api/v1/namespaces/default/pods?limit=2&continue=${page1.metadata.continue}`,
    );
    expect(page2.items.map((p) => p.metadata.name)).toEqual(['c', 'd']);
    const page3 = await s.json<{ items: { metadata: { name: string } }[]; metadata: { continue?: string } }>(
      `/api/v1/namespaces/default/pods?limit=2&continue=${page2.metadata.continue}`,
    );
    expect(page3.items.map((p) => p.metadata.name)).toEqual(['e']);
    expect(page3.metadata.continue).toBeUndefined();

    const table = await s.request('/api/v1/namespaces/default/pods', {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    const body = (await table.json()) as {
      kind: string;
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[] }[];
    };
    expect(body.kind).toBe('Table');
    expect(body.columnDefinitions.slice(0, 5).map((c) => c.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
    ]);
    expect(body.rows).toHaveLength(6);
    expect((await s.request('/api/v1/pods?limit=x')).status).toBe(400);
  });

  it('patches in all four types', async () => {
    await s.request('/api/v1/namespaces/default/pods', { method: 'POST', json: pod('web') });
    const path = '/api/v1/namespaces/default/pods/web';
    const merge = await s.json<{ metadata: { labels: object } }>(path, {
      method: 'PATCH',
      body: JSON.stringify({ metadata: { labels: { app: 'web' } } }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(merge.metadata.labels).toEqual({ app: 'web' });
    const json = await s.json<{ metadata: { annotations: object } }>(path, {
      method: 'PATCH',
      body: JSON.stringify([{ op: 'add', path: '/metadata/annotations', value: { note: 'x' } }]),
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(json.metadata.annotations).toEqual({ note: 'x' });
    const strategic = await s.json<{ spec: { containers: { name: string; image: string }[] } }>(path, {
      method: 'PATCH',
      body: JSON.stringify({ spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } }),
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
    });
    expect(strategic.spec.containers).toEqual([expect.objectContaining({ name: 'web', image: 'nginx:1.28' })]);

    const applied = await s.request('/api/v1/namespaces/default/pods/made?fieldManager=me', {
      method: 'PATCH',
      body: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: made\n  labels: { x: "1" }\nspec:\n  containers:\n  - name: c\n    image: busybox\n',
      headers: { 'content-type': 'application/apply-patch+yaml' },
    });
    expect(applied.status).toBe(201);
    const made = (await applied.json()) as { metadata: { managedFields: { manager: string; operation: string }[] } };
    expect(made.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'me', operation: 'Apply' })]);
    const conflict = await s.request('/api/v1/namespaces/default/pods/made?fieldManager=other', {
      method: 'PATCH',
      body: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: made\n  labels: { x: "2" }\n',
      headers: { 'content-type': 'application/apply-patch+yaml' },
    });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ reason: 'Conflict' });
    const unknown = await s.request(path, { method: 'PATCH', body: '{}', headers: { 'content-type': 'text/plain' } });
    expect(unknown.status).toBe(415);
  });

  it('reports unknown fields by fieldValidation: Warning headers, or a Strict refusal that writes nothing', async () => {
    const extra = { ...pod('x'), spec: { ...pod('x').spec, colour: 'red' } };
    const warned = await s.request('/api/v1/namespaces/default/pods', { method: 'POST', json: extra });
    expect(warned.status).toBe(201);
    expect(warned.headers.get('warning')).toBe('299 - "unknown field \\"spec.colour\\""');
    const before = s.store.revision;
    const strict = await s.request('/api/v1/namespaces/default/pods?fieldValidation=Strict', {
      method: 'POST',
      json: { ...extra, metadata: { name: 'y' } },
    });
    expect(strict.status).toBe(400);
    expect(((await strict.json()) as { message: string }).message).toContain(
      'strict decoding error: unknown field "spec.colour"',
    );
    expect(s.store.revision).toBe(before);
    const dry = await s.request('/api/v1/namespaces/default/pods?dryRun=All', { method: 'POST', json: pod('dry') });
    expect(dry.status).toBe(201);
    expect(s.store.revision).toBe(before);
    expect((await s.request('/api/v1/namespaces/default/pods/dry')).status).toBe(404);
  });

  it('drops the null creationTimestamp Go clients write in embedded metadata, without a warning', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', creationTimestamp: null },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' }, creationTimestamp: null },
          spec: { containers: [{ name: 'web', image: 'nginx' }] },
        },
      },
    };
    const answer = await s.request('/apis/apps/v1/namespaces/default/deployments', {
      method: 'POST',
      json: deployment,
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('warning')).toBeNull();
    const created = (await answer.json()) as { spec: { template: { metadata: object } } };
    expect(created.spec.template.metadata).toEqual({ labels: { app: 'web' } });
  });

  it('serves the scale subresource', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
      },
    };
    expect(
      (await s.request('/apis/apps/v1/namespaces/default/deployments', { method: 'POST', json: deployment })).status,
    ).toBe(201);
    const scale = await s.json<{ kind: string; spec: { replicas: number } }>(
      '/apis/apps/v1/namespaces/default/deployments/web/scale',
    );
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 2 } });
    const patched = await s.json<{ spec: { replicas: number } }>(
      '/apis/apps/v1/namespaces/default/deployments/web/scale',
      {
        method: 'PATCH',
        body: JSON.stringify({ spec: { replicas: 5 } }),
        headers: { 'content-type': 'application/merge-patch+json' },
      },
    );
    expect(patched.spec.replicas).toBe(5);
    const after = await s.json<{ spec: { replicas: number } }>('/apis/apps/v1/namespaces/default/deployments/web');
    expect(after.spec.replicas).toBe(5);
  });
});
