// #region example
import { PersistentVolumeClaim } from '@keelson/api';
import type { VirtualClock } from '@keelson/clock';
import { createManager } from '@keelson/controller';
import type { Store } from '@keelson/core';
import { createMockProvisioner, storageControllers } from '@keelson/storage';

export async function provisionAClaim(store: Store, clock: VirtualClock) {
  const mock = createMockProvisioner({ clock, delayMs: { provision: 2_000 } }); // mock.csi.keelson.dev
  const manager = createManager({ store, clock });
  for (const controller of storageControllers({ provisioners: [mock] })) manager.add(controller);
  await manager.start(); // claims now bind to volumes, or get pvc-<uid> volumes from their class

  await store.create(PersistentVolumeClaim, {
    metadata: { name: 'data', namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'fast' },
  });
  await clock.advance(2_000); // the mock driver takes its time on the clock
  const claim = await store.get(PersistentVolumeClaim, 'data', { namespace: 'default' });
  await manager.stop();
  return claim; // status.phase 'Bound', spec.volumeName `pvc-${claim.metadata.uid}`
}
// #endregion
