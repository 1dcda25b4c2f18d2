import { describe, expect, it } from 'vitest';
import {
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  PV_PROTECTION_FINALIZER,
  PVC_PROTECTION_FINALIZER,
} from '../constants';
import { createClaim, createVolume, storageStoppedAfterEach } from '../testSupport';

const start = storageStoppedAfterEach();

describe('static binding', () => {
  it('binds a claim to the smallest Available volume that fits, both ways, with Kubernetes annotations', async () => {
    const h = await start();
    await createVolume(h.store, 'small', '1Gi');
    await createVolume(h.store, 'big', '10Gi');
    await createVolume(h.store, 'medium', '5Gi');
    await h.advance();
    expect((await h.volume('small')).status?.phase).toBe('Available');
    await createClaim(h.store, 'data', '2Gi');
    await h.advance();

    const claim = await h.claim('data');
    expect(claim.spec.volumeName).toBe('medium');
    expect(claim.status).toMatchObject({
      phase: 'Bound',
      capacity: { storage: '5Gi' },
      accessModes: ['ReadWriteOnce'],
    });
    expect(claim.metadata.annotations).toMatchObject({ [ANN_BIND_COMPLETED]: 'yes', [ANN_BOUND_BY_CONTROLLER]: 'yes' });
    expect(claim.metadata.finalizers).toEqual([PVC_PROTECTION_FINALIZER]);
    const volume = await h.volume('medium');
    expect(volume.status?.phase).toBe('Bound');
    expect(volume.spec.claimRef).toMatchObject({
      kind: 'PersistentVolumeClaim',
      namespace: 'default',
      name: 'data',
      uid: claim.metadata.uid,
    });
    expect(volume.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER]).toBe('yes');
    expect(volume.metadata.finalizers).toEqual([PV_PROTECTION_FINALIZER]);
    expect((await h.volume('small')).status?.phase).toBe('Available');
    expect((await h.volume('big')).status?.phase).toBe('Available');
  });

  it('leaves claims Pending with FailedBinding when access modes, selector, class or volume mode do not match', async () => {
    const h = await start();
    await createVolume(h.store, 'rwo', '5Gi', { labels: { tier: 'bronze' } });
    await createVolume(h.store, 'classy', '5Gi', { storageClassName: 'gold', accessModes: ['ReadWriteMany'] });
    await h.advance();
    await createClaim(h.store, 'wants-rwx', '1Gi', { accessModes: ['ReadWriteMany'] });
    await createClaim(h.store, 'wants-gold-label', '1Gi', { selector: { matchLabels: { tier: 'gold' } } });
    await createClaim(h.store, 'wants-block', '1Gi', { volumeMode: 'Block' });
    await createClaim(h.store, 'too-big', '6Gi');
    await h.advance();
    for (const name of ['wants-rwx', 'wants-gold-label', 'wants-block', 'too-big']) {
      const claim = await h.claim(name);
      expect(claim.status?.phase, name).toBe('Pending');
      expect(claim.spec.volumeName, name).toBeUndefined();
      expect(await h.events(name), name).toEqual([
        'FailedBinding: no persistent volumes available for this claim and no storage class is set',
      ]);
    }
    expect((await h.volume('rwo')).status?.phase).toBe('Available');
    // "" matches only volumes without a class: the gold volume is for gold claims.
    await createClaim(h.store, 'gold', '1Gi', { storageClassName: 'gold', accessModes: ['ReadWriteMany'] });
    await h.advance();
    expect((await h.claim('gold')).spec.volumeName).toBe('classy');
  });

  it('binds a claim that appears before its volume once the volume comes', async () => {
    const h = await start();
    await createClaim(h.store, 'early', '1Gi');
    await h.advance();
    expect((await h.claim('early')).status?.phase).toBe('Pending');
    await createVolume(h.store, 'late', '1Gi');
    await h.advance();
    expect((await h.claim('early')).spec.volumeName).toBe('late');
  });

  it('honours a volume pre-bound by claimRef over a smaller free one, without bound-by-controller on the volume', async () => {
    const h = await start();
    await createVolume(h.store, 'free', '1Gi');
    await createVolume(h.store, 'reserved', '8Gi', { claimRef: { name: 'mine', namespace: 'default' } });
    await h.advance();
    expect((await h.volume('reserved')).status?.phase).toBe('Available');
    await createClaim(h.store, 'other', '1Gi');
    await createClaim(h.store, 'mine', '1Gi');
    await h.advance();
    expect((await h.claim('other')).spec.volumeName).toBe('free');
    expect((await h.claim('mine')).spec.volumeName).toBe('reserved');
    const reserved = await h.volume('reserved');
    expect(reserved.spec.claimRef?.uid).toBe((await h.claim('mine')).metadata.uid);
    expect(reserved.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER]).toBeUndefined();
  });

  it("honours a claim's spec.volumeName, and says why a named volume cannot serve", async () => {
    const h = await start();
    await createVolume(h.store, 'pick-me', '9Gi');
    await createVolume(h.store, 'tiny', '1Gi');
    await createVolume(h.store, 'cheaper', '2Gi');
    await h.advance();
    await createClaim(h.store, 'named', '2Gi', { volumeName: 'pick-me' });
    await createClaim(h.store, 'wrong', '2Gi', { volumeName: 'tiny' });
    await h.advance();
    const named = await h.claim('named');
    expect(named.status?.phase).toBe('Bound');
    expect(named.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER]).toBeUndefined();
    expect((await h.volume('pick-me')).spec.claimRef?.name).toBe('named');
    expect((await h.claim('wrong')).status?.phase).toBe('Pending');
    expect(await h.events('wrong')).toEqual([
      'VolumeMismatch: Cannot bind to requested volume "tiny": requested PV is too small',
    ]);
    expect((await h.volume('cheaper')).status?.phase).toBe('Available');
  });
});
