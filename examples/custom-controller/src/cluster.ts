import { builtinAdmission, builtinTypes, ensureSystemNamespaces } from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { createManager } from '@keelson/controller';
import { createStore } from '@keelson/core';
import { Website } from './website';
import { websiteController } from './websiteController';

// #region setup
/** A store with the built-in kinds and ours, and a manager running our controller, on virtual time. */
export async function startWebsites(seed = 1) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = await createStore({
    types: [...builtinTypes, Website],
    admission: builtinAdmission(),
    clock,
    random: createRandom(seed, 'websites'),
  });
  await ensureSystemNamespaces(store);
  const manager = createManager({ store }).add(websiteController);
  await manager.start();
  return { clock, store, manager };
}
// #endregion
