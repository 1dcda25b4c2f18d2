import { CronJob, Event, Job } from '@keelson/api';
import type { Store } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { rfc3339, START, startWorkloads, type WorkloadHarness } from '../testSupport';
import { CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION, cronJobController } from './cronJobController';
import { formatInTimeZone, jobNameFor } from './schedule';

let harness: WorkloadHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

async function start() {
  harness = await startWorkloads([cronJobController()]);
  return harness;
}

type CronJobSpec = Partial<Omit<CronJob['spec'], 'jobTemplate'>>;

function createCronJob(store: Store, spec: CronJobSpec & { schedule: string }) {
  return store.create(CronJob, {
    metadata: { name: 'tick', namespace: 'default' },
    spec: {
      ...spec,
      jobTemplate: {
        metadata: { labels: { app: 'tick' } },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'tick', image: 'busybox' }] } } },
      },
    } as never,
  });
}

const jobs = async (store: Store) =>
  (await store.list(Job, { namespace: 'default' })).items
    .filter((j) => !j.metadata.deletionTimestamp)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
const getCronJob = (store: Store) => store.get(CronJob, 'tick', { namespace: 'default' });
const reasons = async (store: Store) => (await store.list(Event, { namespace: 'default' })).items.map((e) => e.reason);

/** What the Job controller would write when a job ends. */
async function finishJob(store: Store, job: Job, outcome: 'Complete' | 'Failed'): Promise<void> {
  const now = rfc3339(store.clock.now());
  await store.updateStatus({
    ...job,
    status: {
      ...job.status,
      startTime: job.metadata.creationTimestamp,
      ...(outcome === 'Complete' ? { completionTime: now, succeeded: 1 } : { failed: 1 }),
      conditions: [{ type: outcome, status: 'True', lastTransitionTime: now, lastProbeTime: now }],
    },
  });
}

describe('cronJobController', () => {
  it('creates a job at each scheduled time, named by its minute and owned by the CronJob', async () => {
    const { store, advance } = await start();
    const cronJob = await createCronJob(store, { schedule: '*/10 * * * *' });
    await advance(HOUR);
    const made = await jobs(store);
    const times = [10, 20, 30, 40, 50, 60].map((m) => START + m * MINUTE);
    expect(made.map((j) => j.metadata.name)).toEqual(times.map((t) => `tick-${t / MINUTE}`));
    expect(made[0]?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', uid: cronJob.metadata.uid });
    expect(made[0]?.metadata.labels).toMatchObject({ app: 'tick' });
    expect(made[0]?.metadata.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]).toBe('2026-01-01T00:10:00Z');
    expect(made[0]?.metadata.creationTimestamp).toBe('2026-01-01T00:10:00Z');
    const status = (await getCronJob(store)).status;
    expect(status?.active?.map((r) => r.name)).toEqual(made.map((j) => j.metadata.name));
    expect(status?.lastScheduleTime).toBe('2026-01-01T01:00:00Z');
  });

  it('runs a week of a weekday schedule in a time zone: exactly the runs the schedule names', async () => {
    const { store, advance } = await start();
    await createCronJob(store, {
      schedule: '0 9 * * 1-5',
      timeZone: 'Europe/Berlin',
      successfulJobsHistoryLimit: 10,
    });
    const seen = new Map<string, string | undefined>();
    for (let hour = 0; hour < 7 * 24; hour++) {
      await advance(HOUR);
      for (const job of await jobs(store)) {
        if (seen.has(job.metadata.name)) continue;
        seen.set(job.metadata.name, job.metadata.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]);
        await finishJob(store, job, 'Complete');
      }
    }
    // 2026-01-01 is a Thursday: Thu, Fri, then Mon–Wed; 09:00 in Berlin is 08:00 UTC in winter.
    expect([...seen.values()]).toEqual([
      '2026-01-01T09:00:00+01:00',
      '2026-01-02T09:00:00+01:00',
      '2026-01-05T09:00:00+01:00',
      '2026-01-06T09:00:00+01:00',
      '2026-01-07T09:00:00+01:00',
    ]);
    const cronJob = await getCronJob(store);
    expect(cronJob.status?.lastScheduleTime).toBe('2026-01-07T08:00:00Z');
    expect(cronJob.status?.lastSuccessfulTime).toBe('2026-01-07T08:00:00Z');
    expect(cronJob.status?.active).toBeUndefined();
  });

  it('Forbid skips a run while one is active and starts it when that one finishes', async () => {
    const { store, advance } = await start();
    await createCronJob(store, { schedule: '0 * * * *', concurrencyPolicy: 'Forbid' });
    await advance(HOUR);
    await advance(HOUR + 30 * MINUTE);
    const [first, ...more] = await jobs(store);
    expect(more).toHaveLength(0);
    expect(await reasons(store)).toContain('JobAlreadyActive');
    await finishJob(store, first as Job, 'Complete');
    await advance();
    const after = await jobs(store);
    expect(after.map((j) => j.metadata.name)).toEqual([
      jobNameFor(await getCronJob(store), START + HOUR),
      jobNameFor(await getCronJob(store), START + 2 * HOUR),
    ]);
    expect((await getCronJob(store)).status?.active?.map((r) => r.name)).toEqual([after[1]?.metadata.name]);
  });

  it('with a starting deadline, a run that could not start in time is missed', async () => {
    const { store, advance } = await start();
    await createCronJob(store, { schedule: '0 * * * *', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 600 });
    await advance(HOUR);
    await advance(HOUR + 30 * MINUTE);
    const [first] = await jobs(store);
    await finishJob(store, first as Job, 'Complete');
    await advance();
    expect((await jobs(store)).map((j) => j.metadata.name)).toEqual([first?.metadata.name]);
    await advance(30 * MINUTE);
    expect(await jobs(store)).toHaveLength(2);
  });

  it('Replace deletes the running job before starting the next', async () => {
    const { store, advance } = await start();
    await createCronJob(store, { schedule: '0 * * * *', concurrencyPolicy: 'Replace' });
    await advance(HOUR);
    const [first] = await jobs(store);
    await advance(HOUR);
    const left = await jobs(store);
    expect(left.map((j) => j.metadata.name)).toEqual([`tick-${(START + 2 * HOUR) / MINUTE}`]);
    expect(left[0]?.metadata.name).not.toBe(first?.metadata.name);
    expect((await getCronJob(store)).status?.active?.map((r) => r.name)).toEqual([left[0]?.metadata.name]);
  });

  it('a suspended CronJob starts nothing; resumed, it starts the most recent missed run only', async () => {
    const { store, advance } = await start();
    await createCronJob(store, { schedule: '0 * * * *', suspend: true });
    await advance(5 * HOUR + 30 * MINUTE);
    expect(await jobs(store)).toHaveLength(0);
    await store.patch(
      CronJob,
      'tick',
      (d) => {
        d.spec.suspend = false;
        return d;
      },
      { namespace: 'default' },
    );
    await advance();
    expect((await jobs(store)).map((j) => j.metadata.name)).toEqual([`tick-${(START + 5 * HOUR) / MINUTE}`]);
  });

  it('keeps successfulJobsHistoryLimit successful and failedJobsHistoryLimit failed jobs', async () => {
    const { store, advance } = await start();
    await createCronJob(store, { schedule: '0 * * * *', successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 });
    for (let i = 1; i <= 6; i++) {
      await advance(HOUR);
      const newest = (await jobs(store)).find((j) => !j.status?.conditions);
      await finishJob(store, newest as Job, i % 3 === 0 ? 'Failed' : 'Complete');
      await advance();
    }
    const names = (await jobs(store)).map((j) => j.metadata.name);
    // Runs 1–6: 3 and 6 failed; of the successes 4 and 5 are kept, of the failures 6.
    expect(names).toEqual([4, 5, 6].map((h) => `tick-${(START + h * HOUR) / MINUTE}`));
    expect(await reasons(store)).toContain('SuccessfulDelete');
  });

  it('writes the scheduled time with the offset of its zone', () => {
    expect(formatInTimeZone(Date.UTC(2026, 6, 1, 7), 'Europe/Berlin')).toBe('2026-07-01T09:00:00+02:00');
    expect(formatInTimeZone(Date.UTC(2026, 0, 1, 5, 30), 'America/St_Johns')).toBe('2026-01-01T02:00:00-03:30');
    expect(formatInTimeZone(Date.UTC(2026, 0, 1), 'Europe/London')).toBe('2026-01-01T00:00:00Z');
    expect(formatInTimeZone(Date.UTC(2026, 0, 1), undefined)).toBe('2026-01-01T00:00:00Z');
  });
});
