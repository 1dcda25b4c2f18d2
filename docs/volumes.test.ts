import { describe, expect, it } from 'vitest';
import { configMapVolume } from './snippets/volumes';

describe('volumes guide', () => {
  it('a configMap volume follows its source; a scripted container writes into an emptyDir', async () => {
    expect(await configMapVolume()).toEqual({ before: 'fast', started: 'yes', after: 'safe' });
  });
});
