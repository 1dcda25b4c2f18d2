import type { InputOf } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { CronJob, parseCronSchedule } from './cronJob';
import { builtinStore, issuesOf } from './testStore';

type CronJobInput = InputOf<typeof CronJob>;

const cronJob = (name: string, spec: Partial<CronJobInput['spec']> = {}): CronJobInput => ({
  metadata: { name, namespace: 'default' },
  spec: {
    schedule: '*/5 * * * *',
    jobTemplate: {
      spec: {
        template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'work', image: 'busybox:1.36' }] } },
      },
    },
    ...spec,
  },
});

describe('CronJob', () => {
  it('applies the batch/v1 defaults', async () => {
    const { store } = await builtinStore();
    const created = await store.create(CronJob, cronJob('tick'));
    expect(created.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    expect(created.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 6, completions: 1, parallelism: 1 });
  });

  it('refuses a bad schedule, an unknown time zone, TZ= in the schedule, a long name and restartPolicy Always, writing nothing', async () => {
    const { store } = await builtinStore();
    const bad = await issuesOf(store.create(CronJob, cronJob('bad', { schedule: '61 * * * *' })));
    expect(bad.map((i) => i.path)).toEqual(['spec.schedule']);
    expect(bad[0]?.message).toContain('Invalid value: "61 * * * *"');
    const fields = await issuesOf(store.create(CronJob, cronJob('fields', { schedule: '* * * *' })));
    expect(fields[0]?.message).toContain('five');
    const zone = await issuesOf(store.create(CronJob, cronJob('zone', { timeZone: 'Mars/Olympus' })));
    expect(zone).toEqual([
      { path: 'spec.timeZone', message: 'Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus' },
    ]);
    const tz = await issuesOf(store.create(CronJob, cronJob('tz', { schedule: 'TZ=UTC 0 * * * *' })));
    expect(tz[0]?.message).toContain('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
    const long = await issuesOf(store.create(CronJob, cronJob('x'.repeat(53))));
    expect(long).toEqual([{ path: 'metadata.name', message: 'must be no more than 52 characters' }]);
    const always = cronJob('always');
    always.spec.jobTemplate.spec.template.spec.restartPolicy = 'Always';
    expect((await issuesOf(store.create(CronJob, always))).map((i) => i.path)).toEqual([
      'spec.jobTemplate.spec.template.spec.restartPolicy',
    ]);
    expect((await store.list(CronJob)).items).toEqual([]);
  });

  it('parses five fields and descriptors in a time zone, days of month or of week matching either', () => {
    const nine = parseCronSchedule('0 9 * * *', 'Europe/Berlin');
    if (typeof nine === 'string') throw new Error(nine);
    expect(nine.nextRun(new Date('2026-07-01T00:00:00Z'))?.toISOString()).toBe('2026-07-01T07:00:00.000Z');
    const weekly = parseCronSchedule('@weekly');
    if (typeof weekly === 'string') throw new Error(weekly);
    expect(weekly.nextRun(new Date('2026-01-01T00:00:00Z'))?.toISOString()).toBe('2026-01-04T00:00:00.000Z');
    // The 13th, or any Friday (2026-02-06 is a Friday).
    const either = parseCronSchedule('0 0 13 * 5');
    if (typeof either === 'string') throw new Error(either);
    expect(either.nextRun(new Date('2026-02-01T00:00:00Z'))?.toISOString()).toBe('2026-02-06T00:00:00.000Z');
  });
});
