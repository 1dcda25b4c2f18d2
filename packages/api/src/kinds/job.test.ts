import type { InputOf } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { JOB } from '../../test/documentationExamples';
import { Job } from './job';
import { builtinStore, issuePaths, issuesOf, manifest } from './testStore';

type JobInput = InputOf<typeof Job>;

const job = (name: string, spec: Partial<JobInput['spec']> = {}): JobInput => ({
  metadata: { name, namespace: 'default' },
  spec: {
    template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'work', image: 'busybox:1.36' }] } },
    ...spec,
  },
});

describe('Job', () => {
  it('applies the batch/v1 defaults to the pi example and generates its selector', async () => {
    const { store, warnings } = await builtinStore();
    const pi = await store.create(Job, manifest<JobInput>(JOB));
    expect(warnings).toEqual([]);
    const uid = pi.metadata.uid;
    expect(pi.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 4,
      completionMode: 'NonIndexed',
      suspend: false,
      manualSelector: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
    });
    expect(pi.spec.template.metadata.labels).toEqual({
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': uid,
      'job-name': 'pi',
    });
    expect(pi.spec.template.spec.containers[0]?.command).toEqual(['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)']);
    expect(pi.status).toEqual({});
  });

  it('defaults completions only when parallelism is unset too, and backoffLimit to 6', async () => {
    const { store } = await builtinStore();
    const parallel = await store.create(Job, job('work-queue', { parallelism: 3 }));
    expect(parallel.spec.parallelism).toBe(3);
    expect(parallel.spec).not.toHaveProperty('completions');
    expect(parallel.spec.backoffLimit).toBe(6);
    const fixed = await store.create(Job, job('fixed', { completions: 5 }));
    expect(fixed.spec).toMatchObject({ completions: 5, parallelism: 1 });
    const perIndex = await store.create(
      Job,
      job('indexed', { completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1 }),
    );
    expect(perIndex.spec.backoffLimit).toBe(2147483647);
  });

  it('copies the template labels to an unlabelled job', async () => {
    const { store } = await builtinStore();
    const input = job('labelled');
    input.spec.template.metadata = { labels: { app: 'batch' } };
    const created = await store.create(Job, input);
    expect(created.metadata.labels).toEqual({ app: 'batch' });
    expect(created.spec.template.metadata.labels).toMatchObject({ app: 'batch', 'job-name': 'labelled' });
  });

  it('requires restartPolicy Never or OnFailure, which the Always default fails', async () => {
    const { store } = await builtinStore();
    const always = job('always');
    delete always.spec.template.spec.restartPolicy;
    expect(await issuesOf(store.create(Job, always))).toEqual([
      {
        path: 'spec.template.spec.restartPolicy',
        message: 'Unsupported value: "Always": supported values: "OnFailure", "Never"',
      },
    ]);
    expect(await issuePaths(store.create(Job, job('indexed', { completionMode: 'Indexed', parallelism: 2 })))).toEqual([
      'spec.completions',
    ]);
  });

  it('keeps the selector and the template of a started job immutable', async () => {
    const { store } = await builtinStore();
    await store.create(Job, job('pi'));
    const changed = store.patch(
      Job,
      'pi',
      (draft) => {
        const container = draft.spec.template.spec.containers[0];
        if (container) container.image = 'busybox:1.37';
      },
      { namespace: 'default' },
    );
    expect(await issuePaths(changed)).toEqual(['spec.template']);
    const scaled = await store.patch(
      Job,
      'pi',
      (draft) => {
        draft.spec.parallelism = 2;
      },
      { namespace: 'default' },
    );
    expect(scaled.spec.parallelism).toBe(2);
    await store.create(Job, job('held', { suspend: true }));
    const edited = await store.patch(
      Job,
      'held',
      (draft) => {
        draft.spec.template.spec.nodeSelector = { zone: 'a' };
      },
      { namespace: 'default' },
    );
    expect(edited.spec.template.spec.nodeSelector).toEqual({ zone: 'a' });
  });
});
