import { createStore } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { builtinTypes } from '../builtinTypes';
import { Service } from '../kinds/service';
import { serviceClusterIPs } from './serviceClusterIPs';

const service = (name: string, spec: Record<string, unknown> = {}) => ({
  metadata: { name, namespace: 'default' },
  spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec },
});

async function store(cidr?: string) {
  return createStore({ types: builtinTypes, admission: [serviceClusterIPs(cidr)], logger: { warn() {} } });
}

describe('serviceClusterIPs', () => {
  it('gives each new service the lowest free address of the range, also under concurrent creates', async () => {
    const s = await store();
    const a = await s.create(Service, service('a'));
    expect(a.spec.clusterIP).toBe('10.96.0.2');
    expect(a.spec.clusterIPs).toEqual(['10.96.0.2']);
    const [b, c] = await Promise.all([s.create(Service, service('b')), s.create(Service, service('c'))]);
    expect(new Set([b.spec.clusterIP, c.spec.clusterIP])).toEqual(new Set(['10.96.0.3', '10.96.0.4']));
    await s.delete(Service, 'a', { namespace: 'default' });
    expect((await s.create(Service, service('d'))).spec.clusterIP).toBe('10.96.0.2');
  });

  it('keeps a requested free IP in range, refuses a taken or outside one writing nothing, and skips headless and ExternalName', async () => {
    const s = await store('10.0.0.0/24');
    expect((await s.create(Service, service('a', { clusterIP: '10.0.0.10' }))).spec.clusterIP).toBe('10.0.0.10');
    const before = s.revision;
    await expect(s.create(Service, service('b', { clusterIP: '10.0.0.10' }))).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining(
        'spec.clusterIPs[0]: Invalid value: "10.0.0.10": provided IP is already allocated',
      ),
    });
    await expect(s.create(Service, service('c', { clusterIP: '192.168.0.1' }))).rejects.toMatchObject({
      message: expect.stringContaining('provided IP is not in the valid range. The range of valid IPs is 10.0.0.0/24'),
    });
    expect(s.revision).toBe(before);
    expect((await s.create(Service, service('h', { clusterIP: 'None' }))).spec.clusterIP).toBe('None');
    const external = await s.create(Service, {
      metadata: { name: 'ext', namespace: 'default' },
      spec: { type: 'ExternalName', externalName: 'example.com' },
    });
    expect(external.spec.clusterIP).toBeUndefined();
  });

  it('refuses a malformed range', () => {
    expect(() => serviceClusterIPs('10.96.0.1/12')).toThrow(/IPv4 network/);
  });
});
