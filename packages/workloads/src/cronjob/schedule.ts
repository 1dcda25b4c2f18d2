/**
 * Schedule arithmetic of the CronJob controller (cronjob/utils.go): the most
 * recent scheduled time not yet started, the next one, a job's name for a
 * scheduled time, and the time as the CronJob's zone writes it.
 */
import { type CronJob, parseCronSchedule } from '@keelson/api';
import type { Cron } from 'croner';
import { formatTime } from '../shared/time';

/** More missed start times than this is reported (`TooManyMissedTimes`). */
export const MAX_MISSED_START_TIMES = 100;

const parsed = new Map<string, Cron | string>();

/** The CronJob's parsed schedule (cached), or why it does not parse. */
export function scheduleOf(cronJob: CronJob): Cron | string {
  const key = `${cronJob.spec.timeZone ?? ''}\n${cronJob.spec.schedule}`;
  let schedule = parsed.get(key);
  if (schedule === undefined) {
    schedule = parseCronSchedule(cronJob.spec.schedule, cronJob.spec.timeZone);
    if (parsed.size > 1_000) parsed.clear();
    parsed.set(key, schedule);
  }
  return schedule;
}

/** The first scheduled time after `ms`, or undefined when the schedule names none (`0 0 31 2 *`). */
export function nextScheduleTime(schedule: Cron, ms: number): number | undefined {
  return schedule.nextRun(new Date(ms))?.getTime();
}

/** The most recent unmet scheduled time, and how many scheduled times were missed. */
export interface MostRecent {
  time: number | undefined;
  missed: number;
}

/**
 * Kubernetes' `mostRecentScheduleTime`: the latest scheduled time after the
 * last one started (or the CronJob's creation) and no later than `now` —
 * but no earlier than `startingDeadlineSeconds` ago — and the number of
 * scheduled times in that span (counted up to 101).
 */
export function mostRecentScheduleTime(cronJob: CronJob, schedule: Cron, now: number): MostRecent {
  const last = cronJob.status?.lastScheduleTime ?? cronJob.metadata.creationTimestamp;
  let earliest = last === undefined ? now : Date.parse(last);
  const deadline = cronJob.spec.startingDeadlineSeconds;
  if (deadline !== undefined) earliest = Math.max(earliest, now - deadline * 1000);
  if (earliest > now) return { time: undefined, missed: 0 };
  let time = nextScheduleTime(schedule, earliest);
  if (time === undefined || time > now) return { time: undefined, missed: 0 };
  let missed = 1;
  for (;;) {
    const next = nextScheduleTime(schedule, time);
    if (next === undefined || next > now) return { time, missed };
    if (missed > MAX_MISSED_START_TIMES) break;
    time = next;
    missed++;
  }
  const latest = schedule
    .previousRuns(2, new Date(now + 1))
    .map((d) => d.getTime())
    .find((t) => t <= now);
  return { time: latest ?? time, missed };
}

/** Kubernetes' `getJobName`: the CronJob's name and the scheduled time in minutes since the epoch. */
export function jobNameFor(cronJob: CronJob, scheduledTime: number): string {
  return `${cronJob.metadata.name}-${Math.floor(scheduledTime / 60_000)}`;
}

/** RFC 3339 at second precision in `timeZone` (with its offset), as Go's `t.In(zone).Format(time.RFC3339)`. */
export function formatInTimeZone(ms: number, timeZone: string | undefined): string {
  const whole = Math.floor(ms / 1000) * 1000;
  if (timeZone === undefined || timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    return formatTime(whole);
  }
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(whole))
      .map((p) => [p.type, p.value]),
  );
  const local = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  const offsetMinutes = Math.round((Date.parse(`${local}Z`) - whole) / 60_000);
  if (offsetMinutes === 0) return `${local}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
