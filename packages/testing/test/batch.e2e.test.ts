/**
 * End-to-end runs of Jobs and CronJobs on a whole test cluster: pods that
 * fail until the backoff limit, and a week of a CronJob's schedule.
 */
import { CronJob, getCondition, Job, Pod } from '@keelson/api';
import { CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION } from '@keelson/workloads';
import { describe, expect, it } from 'vitest';
import { clustersClosedAfterEach } from './support';

const cluster = clustersClosedAfterEach();

const IMAGES = {
  'batch:fails': { behaviour: { exitAfterMs: 3_000, exitCode: 2 } },
  'batch:works': { behaviour: { exitAfterMs: 30_000, exitCode: 0 } },
};

describe('jobs end to end', () => {
  it('a job whose pods fail backs off between them and stops at backoffLimit', async () => {
    const c = await cluster({ nodes: 2, seed: 4, images: IMAGES });
    await c.apply(`
apiVersion: batch/v1
kind: Job
metadata: { name: crunch }
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: crunch, image: 'batch:fails' }]
`);
    await c.waitFor(
      async () => getCondition((await c.get(Job, 'crunch', 'default')).status?.conditions, 'Failed')?.status === 'True',
      { timeout: '5m', description: 'the job failed' },
    );
    const job = await c.get(Job, 'crunch', 'default');
    expect(job.status).toMatchObject({ failed: 3, succeeded: 0, active: 0 });
    expect(getCondition(job.status?.conditions, 'Failed')?.reason).toBe('BackoffLimitExceeded');
    const pods = (await c.list(Pod)).sort((a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
    );
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.status?.phase === 'Failed')).toBe(true);
    // Each pod ran about 3 s; the next came 10 s, then 20 s, after the failure.
    const starts = pods.map((p) => Date.parse(p.metadata.creationTimestamp ?? ''));
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(10_000 + 3_000);
    expect(gaps[1]).toBeGreaterThanOrEqual(20_000 + 3_000);
    expect(gaps[1]).toBeLessThan(20_000 + 3_000 + 10_000);
    // Counted pods lose the tracking finalizer.
    expect(pods.flatMap((p) => p.metadata.finalizers ?? [])).toEqual([]);
    await c.advance('10m');
    expect(await c.list(Pod)).toHaveLength(3);
  });

  it('a CronJob over a simulated week creates exactly the runs its schedule names', async () => {
    const c = await cluster({ nodes: 1, seed: 9, images: IMAGES });
    await c.apply(`
apiVersion: batch/v1
kind: CronJob
metadata: { name: report }
spec:
  schedule: '30 6,18 * * 1-5'
  timeZone: America/New_York
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{ name: report, image: 'batch:works' }]
`);
    const from = c.store.revision;
    await c.advance('7d');
    // Walk the log for every Job the CronJob created.
    const created: string[] = [];
    const known = new Set<string>();
    for await (const entry of c.log.read({ from })) {
      if (entry.type !== 'batch/jobs' || known.has(entry.key)) continue;
      known.add(entry.key);
      const job = entry.data as Job;
      created.push(job.metadata.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION] ?? `? ${entry.key}`);
    }
    // 2026-01-01 is a Thursday: Thu and Fri, then Mon–Wed, at 06:30 and 18:30 New York time.
    const days = ['2026-01-01', '2026-01-02', '2026-01-05', '2026-01-06', '2026-01-07'];
    expect(created).toEqual(days.flatMap((d) => [`${d}T06:30:00-05:00`, `${d}T18:30:00-05:00`]));
    const cronJob = await c.get(CronJob, 'report', 'default');
    expect(cronJob.status?.lastScheduleTime).toBe('2026-01-07T23:30:00Z');
    expect(cronJob.status?.lastSuccessfulTime).toBe('2026-01-07T23:30:30Z');
    // successfulJobsHistoryLimit 3: the older jobs and their pods are gone.
    expect(await c.list(Job)).toHaveLength(3);
    expect((await c.list(Pod)).length).toBe(3);
    // A week of virtual time is a few hundred thousand heartbeats and syncs: give it room on a busy machine.
  }, 120_000);
});
