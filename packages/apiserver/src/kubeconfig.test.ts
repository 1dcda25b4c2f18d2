import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kubeconfigYaml } from './kubeconfig';

describe('kubeconfigYaml', () => {
  it('writes one cluster, user and context, current, with the token', () => {
    const config = parse(kubeconfigYaml({ server: 'http://127.0.0.1:6443', token: 'abc' }));
    expect(config).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'keelson', cluster: { server: 'http://127.0.0.1:6443' } }],
      users: [{ name: 'keelson-admin', user: { token: 'abc' } }],
      contexts: [{ name: 'keelson', context: { cluster: 'keelson', user: 'keelson-admin' } }],
      'current-context': 'keelson',
      preferences: {},
    });
  });

  it('takes names and a namespace, and leaves credentials out without a token', () => {
    const config = parse(
      kubeconfigYaml({ server: 'http://[::1]:1', cluster: 'c', user: 'u', context: 'x', namespace: 'team-a' }),
    );
    expect(config.clusters[0]).toEqual({ name: 'c', cluster: { server: 'http://[::1]:1' } });
    expect(config.users[0]).toEqual({ name: 'u', user: {} });
    expect(config.contexts[0]).toEqual({ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'team-a' } });
    expect(config['current-context']).toBe('x');
  });

  it('keeps the certificate authority as base64 PEM', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const config = parse(kubeconfigYaml({ server: 'https://127.0.0.1:6443', certificateAuthority: pem, token: 't' }));
    expect(config.clusters[0].cluster).toEqual({
      server: 'https://127.0.0.1:6443',
      'certificate-authority-data': Buffer.from(pem).toString('base64'),
    });
  });
});
