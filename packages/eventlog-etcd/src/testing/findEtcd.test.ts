import { describe, expect, it, vi } from 'vitest';
import { ETCD_BINARY_ENV, etcdForTests, findEtcd } from './findEtcd';

const missing = { [ETCD_BINARY_ENV]: '/nonexistent/etcd', PATH: '' };

describe('finding etcd for tests', () => {
  it('takes the binary named by the environment, and nothing else when that one is missing', () => {
    expect(findEtcd({ [ETCD_BINARY_ENV]: process.execPath })).toBe(process.execPath);
    expect(findEtcd(missing)).toBeUndefined();
  });

  it('skips with a printed reason when there is no etcd', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const found = etcdForTests(missing);
      expect(found.binary).toBeUndefined();
      expect(found.reason).toMatch(/no etcd binary found/);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/skipping etcd tests/));
    } finally {
      warn.mockRestore();
    }
  });

  it('fails instead of skipping under CI', () => {
    expect(() => etcdForTests({ ...missing, CI: 'true' })).toThrow(/CI is set/);
  });
});
