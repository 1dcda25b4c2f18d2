import { describe, expect, it } from 'vitest';
import { isImageId, normalizeImageReference, parseImageReference } from './imageReference';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('normalizeImageReference', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.25', 'docker.io/library/nginx:1.25'],
    ['docker.io/library/nginx:1.25', 'docker.io/library/nginx:1.25'],
    ['index.docker.io/library/nginx', 'docker.io/library/nginx:latest'],
    ['bitnami/redis:7', 'docker.io/bitnami/redis:7'],
    ['registry.example.com/web:1.0', 'registry.example.com/web:1.0'],
    ['registry.example.com/team/web', 'registry.example.com/team/web:latest'],
    ['localhost/app:dev', 'localhost/app:dev'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['registry.example.com:443/a/b_c/d-e:v1.2.3-rc.1', 'registry.example.com:443/a/b_c/d-e:v1.2.3-rc.1'],
    [`nginx@${DIGEST}`, `docker.io/library/nginx@${DIGEST}`],
    [`nginx:1.25@${DIGEST}`, `docker.io/library/nginx:1.25@${DIGEST}`],
  ])('%s → %s', (ref, normalized) => {
    expect(normalizeImageReference(ref)).toBe(normalized);
  });

  it('splits a reference into repository, tag and digest', () => {
    expect(parseImageReference(`redis:7@${DIGEST}`)).toEqual({
      repository: 'docker.io/library/redis',
      tag: '7',
      digest: DIGEST,
      normalized: `docker.io/library/redis:7@${DIGEST}`,
    });
    expect(parseImageReference(`redis@${DIGEST}`)).not.toHaveProperty('tag');
  });

  it.each([
    [''],
    ['NGINX'],
    ['registry.example.com/Web:1.0'],
    ['nginx:bad tag'],
    ['nginx:'],
    ['nginx@sha256:short'],
    ['a//b'],
    ['-leading/dash'],
    ['ab'.repeat(32)],
    [`registry.example.com/${'x'.repeat(260)}`],
  ])('rejects %j with a reason', (ref) => {
    expect(typeof parseImageReference(ref)).toBe('string');
    expect(() => normalizeImageReference(ref)).toThrow(TypeError);
  });

  it('tells image ids from names', () => {
    expect(isImageId(DIGEST)).toBe(true);
    expect(isImageId('ab'.repeat(32))).toBe(true);
    expect(isImageId('nginx')).toBe(false);
  });
});
