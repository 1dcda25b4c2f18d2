import { describe, expect, it } from 'vitest';
import { createMockRuntime } from './createMockRuntime';
import { START, setup, track } from './testHarness';

const WEB = 'registry.example.com/web:1.0';

describe('pulling images', () => {
  it('takes the image pullMs on the clock and records the pull', async () => {
    const { clock, registry, runtime } = setup();
    const added = registry.add(WEB, { pullMs: 2_000, size: 42_000_000 });
    const pull = track(runtime.pullImage({ image: WEB }));
    await clock.advance(1_999);
    expect(pull.settled).toBe(false);
    expect((await runtime.imageStatus({ image: WEB })).image).toBeUndefined();
    await clock.advance(1);
    expect(pull.value).toBe(added.id);
    expect(runtime.pullHistory()).toEqual([
      { image: WEB, startedMs: START, finishedMs: START + 2_000, outcome: { imageId: added.id } },
    ]);
    const image = (await runtime.imageStatus({ image: WEB })).image;
    expect(image).toMatchObject({ id: added.id, repoTags: [WEB], repoDigests: [added.repoDigest], size: 42_000_000 });
    expect(added.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await runtime.imageFsInfo()).imageFilesystems[0]?.usedBytes).toBe(42_000_000);

    // Already on the node: no wait.
    expect(await runtime.pullImage({ image: WEB })).toBe(added.id);
  });

  it('normalises references as containerd does', async () => {
    const { registry, runtime } = setup();
    registry.add('nginx:1.25');
    const id = await runtime.pullImage({ image: 'docker.io/library/nginx:1.25' });
    expect((await runtime.imageStatus({ image: 'nginx:1.25' })).image?.repoTags).toEqual([
      'docker.io/library/nginx:1.25',
    ]);
    expect((await runtime.imageStatus({ image: id.slice('sha256:'.length) })).image?.id).toBe(id);
    await expect(runtime.pullImage({ image: 'nginx' })).rejects.toMatchObject({ code: 'NotFound' });
    registry.add('nginx');
    await runtime.pullImage({ image: 'docker.io/library/nginx' });
    expect((await runtime.imageStatus({ image: 'nginx:latest' })).image?.repoTags).toEqual([
      'docker.io/library/nginx:latest',
    ]);
  });

  it('answers NotFound for an unknown image and InvalidArgument for a reference that does not parse', async () => {
    const { runtime } = setup();
    await expect(runtime.pullImage({ image: WEB })).rejects.toMatchObject({ name: 'CriError', code: 'NotFound' });
    for (const image of ['registry.example.com/Web:1.0', 'web:bad tag', '']) {
      await expect(runtime.pullImage({ image })).rejects.toMatchObject({ code: 'InvalidArgument' });
      await expect(runtime.imageStatus({ image })).rejects.toMatchObject({ code: 'InvalidArgument' });
    }
    expect(runtime.pullHistory()).toEqual([
      { image: WEB, startedMs: START, finishedMs: START, outcome: { error: 'NotFound' } },
    ]);
    expect(await runtime.listImages()).toEqual([]);
  });

  it('demands the credentials an image was added with', async () => {
    const { registry, runtime } = setup();
    registry.add(WEB, { auth: { username: 'ci', password: 's3cret' } });
    await expect(runtime.pullImage({ image: WEB })).rejects.toMatchObject({ code: 'Unauthenticated' });
    await expect(runtime.pullImage({ image: WEB }, { username: 'ci', password: 'wrong' })).rejects.toMatchObject({
      code: 'Unauthenticated',
    });
    await expect(runtime.pullImage({ image: WEB }, { username: 'ci', password: 's3cret' })).resolves.toMatch(
      /^sha256:/,
    );
    await runtime.removeImage({ image: WEB });
    await expect(runtime.pullImage({ image: WEB }, { auth: btoa('ci:s3cret') })).resolves.toMatch(/^sha256:/);
  });

  it('fails pulls as scripted on the registry, for every node, the given number of times', async () => {
    const { clock, registry, runtime } = setup();
    registry.add(WEB);
    registry.fail(WEB, { kind: 'outage', times: 2 });
    await expect(runtime.pullImage({ image: WEB })).rejects.toMatchObject({ code: 'Unavailable' });
    await expect(runtime.pullImage({ image: WEB })).rejects.toMatchObject({ code: 'Unavailable' });
    await expect(runtime.pullImage({ image: WEB })).resolves.toBe(registry.get(WEB)?.id);

    registry.fail(WEB, { kind: 'missing', times: 2 });
    const otherNode = createMockRuntime({ clock, registry, seed: 2 });
    await expect(otherNode.pullImage({ image: WEB })).rejects.toMatchObject({ code: 'NotFound' });
    await expect(runtime.pullImage({ image: WEB })).rejects.toMatchObject({ code: 'NotFound' });
    registry.recover(WEB);
    await expect(runtime.pullImage({ image: WEB })).resolves.toMatch(/^sha256:/);

    registry.fail(WEB, { kind: 'unauthorized', times: 1 });
    await expect(runtime.pullImage({ image: WEB })).rejects.toMatchObject({ code: 'Unauthenticated' });
    expect(clock.now()).toBe(START);
  });

  it('injects slow and failing pulls on one node only', async () => {
    const { clock, registry, runtime } = setup();
    registry.add(WEB, { pullMs: 100 });
    runtime.faults.failPull(WEB, 'outage', 1);
    await expect(runtime.pullImage({ image: WEB })).rejects.toMatchObject({ code: 'Unavailable' });
    runtime.faults.slowPull(WEB, 30_000);
    const pull = track(runtime.pullImage({ image: WEB }));
    await clock.advance(29_999);
    expect(pull.settled).toBe(false);
    await clock.advance(1);
    expect(pull.value).toMatch(/^sha256:/);
    runtime.faults.clearPullFaults();
    await runtime.removeImage({ image: WEB });
    const again = track(runtime.pullImage({ image: WEB }));
    await clock.advance(100);
    expect(again.settled).toBe(true);
  });

  it('fails a pull that is under way when the runtime goes down, and stores nothing', async () => {
    const { clock, registry, runtime } = setup();
    registry.add(WEB, { pullMs: 1_000 });
    const pull = track(runtime.pullImage({ image: WEB }));
    runtime.faults.runtimeDown();
    await clock.advance(1_000);
    expect(pull.error).toMatchObject({ code: 'Unavailable' });
    runtime.faults.runtimeUp();
    expect(await runtime.listImages()).toEqual([]);
  });

  it('keeps ids stable when an image is added again, and moves a tag to a new build on re-pull', async () => {
    const { registry, runtime } = setup();
    const first = registry.add('app:latest', { build: '1' });
    expect(registry.add('app:latest', { build: '1' }).id).toBe(first.id);
    expect(setup().registry.add('app:latest', { build: '1' }).id).toBe(first.id);
    await runtime.pullImage({ image: 'app' });

    const second = registry.add('app:latest', { build: '2' });
    expect(second.id).not.toBe(first.id);
    expect(await runtime.pullImage({ image: 'app' })).toBe(second.id);
    const listed = await runtime.listImages();
    expect(listed.map((image) => [image.id, image.repoTags])).toEqual([
      [first.id, []],
      [second.id, ['docker.io/library/app:latest']],
    ]);
    expect((await runtime.imageStatus({ image: first.repoDigest })).image?.id).toBe(first.id);
  });

  it('removes an image by any name, idempotently', async () => {
    const { registry, runtime } = setup();
    const image = registry.add(WEB);
    await runtime.pullImage({ image: WEB });
    await runtime.removeImage({ image: image.repoDigest });
    expect(await runtime.listImages()).toEqual([]);
    await runtime.removeImage({ image: WEB });
  });
});
