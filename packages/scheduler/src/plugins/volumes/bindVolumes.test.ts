import type { PersistentVolume, PersistentVolumeClaim } from '@keelson/api';
import { VirtualClock } from '@keelson/clock';
import { describe, expect, it } from 'vitest';
import { makeNode } from '../../../test/harness';
import { makeClaim, makeVolume } from '../../../test/volumeFixtures';
import { bindingsDone, waitForBindings } from './bindVolumes';
import type { VolumeLister } from './lister';
import type { PodVolumes } from './podVolumes';

/** A lister whose claims and volumes a test replaces, telling its listeners. */
function mutableLister() {
  const claims = new Map<string, PersistentVolumeClaim>();
  const volumes = new Map<string, PersistentVolume>();
  const listeners = new Set<() => void>();
  const lister: VolumeLister & { closed: boolean } = {
    closed: false,
    claim: (_ns, name) => claims.get(name),
    volume: (name) => volumes.get(name),
    volumesOfClass: () => [...volumes.values()],
    storageClass: () => undefined,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const set = (object: PersistentVolumeClaim | PersistentVolume) => {
    if (object.kind === 'PersistentVolume') volumes.set(object.metadata.name, object as PersistentVolume);
    else claims.set(object.metadata.name, object as PersistentVolumeClaim);
    for (const listener of [...listeners]) listener();
  };
  return { lister, set, listeners };
}

const node = makeNode('node-a');
const selected = { 'volume.kubernetes.io/selected-node': 'node-a' };

describe('waiting for the PV controller', () => {
  it('resolves when a provisioned claim is bound to a volume the node can reach', async () => {
    const clock = new VirtualClock(0);
    const { lister, set, listeners } = mutableLister();
    const claim = makeClaim('c', { className: 'wait', annotations: selected });
    set(claim);
    const volumes: PodVolumes = { bindings: [], provisions: [claim] };
    let done = false;
    const waiting = waitForBindings(lister, clock, 600_000, () => bindingsDone(lister, volumes, node)).then(() => {
      done = true;
    });
    await clock.advance(10_000);
    expect(done).toBe(false);
    set(makeVolume('pv-c', { className: 'wait', claim: 'c', nodes: ['node-a'] }));
    set(makeClaim('c', { className: 'wait', annotations: selected, volumeName: 'pv-c' }));
    await waiting;
    expect(done).toBe(true);
    expect(listeners.size).toBe(0);
  });

  it('fails when the selected-node annotation is reset, or the volume lands on another node', async () => {
    const clock = new VirtualClock(0);
    const { lister, set } = mutableLister();
    const claim = makeClaim('c', { className: 'wait', annotations: selected });
    set(claim);
    const volumes: PodVolumes = { bindings: [], provisions: [claim] };
    const reset = waitForBindings(lister, clock, 600_000, () => bindingsDone(lister, volumes, node));
    set(makeClaim('c', { className: 'wait' }));
    await expect(reset).rejects.toThrow('binding volumes: selectedNode annotation reset for PVC "c"');

    set(makeVolume('pv-c', { className: 'wait', claim: 'c', nodes: ['node-b'] }));
    set(makeClaim('c', { className: 'wait', annotations: selected, volumeName: 'pv-c' }));
    expect(() => bindingsDone(lister, volumes, node)).toThrow(`pv "pv-c" node affinity doesn't match node "node-a"`);
  });

  it('times out on the clock, and gives up when the scheduler stops', async () => {
    const clock = new VirtualClock(0);
    const { lister, set } = mutableLister();
    const claim = makeClaim('c', { className: 'wait', annotations: selected });
    set(claim);
    const volumes: PodVolumes = { bindings: [], provisions: [claim] };
    const timedOut = waitForBindings(lister, clock, 600_000, () => bindingsDone(lister, volumes, node));
    const outcome = timedOut.catch((error: Error) => error.message);
    await clock.advance(599_999);
    await clock.advance(1);
    expect(await outcome).toBe('binding volumes: context deadline exceeded');

    const stopped = waitForBindings(lister, clock, 600_000, () => bindingsDone(lister, volumes, node));
    lister.closed = true;
    set(claim);
    await expect(stopped).rejects.toThrow('binding volumes: scheduler stopped');
  });
});
