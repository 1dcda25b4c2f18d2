import { InvalidError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { clusterOf, handleFor } from '../../../test/harness';
import { INTER_POD_AFFINITY, interPodAffinity } from './plugin';

describe('InterPodAffinity args', () => {
  const handle = () => handleFor(clusterOf([]));

  it('builds with defaults and names its events', () => {
    const plugin = interPodAffinity(undefined, handle());
    expect(plugin.name).toBe(INTER_POD_AFFINITY);
    expect(plugin.events).toEqual([
      'AssignedPodAdd',
      'AssignedPodUpdate',
      'AssignedPodDelete',
      'NodeAdd',
      'NodeUpdate',
    ]);
  });

  it.each([
    [{ hardPodAffinityWeight: 101 }, 'InterPodAffinity args: hardPodAffinityWeight 101 is not in valid range [0, 100]'],
    [{ hardPodAffinityWeight: -1 }, 'InterPodAffinity args: hardPodAffinityWeight -1 is not in valid range [0, 100]'],
    [{ hardPodAffinityWeight: 1.5 }, 'InterPodAffinity args: hardPodAffinityWeight 1.5 is not in valid range [0, 100]'],
    [
      { ignorePreferredTermsOfExistingPods: 'yes' },
      'InterPodAffinity args: ignorePreferredTermsOfExistingPods must be true or false',
    ],
    [{ defaultConstraints: [] }, 'InterPodAffinity args: unknown field "defaultConstraints"'],
    ['weight', 'InterPodAffinity args: expected an object'],
  ])('rejects %j', (args, message) => {
    expect(() => interPodAffinity(args, handle())).toThrow(InvalidError);
    expect(() => interPodAffinity(args, handle())).toThrow(message);
  });
});
