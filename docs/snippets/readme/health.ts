// #region example
import { watchHealth } from '@keelson/health';

/** Logs each change of an HTTP endpoint's health, probed as a readiness probe would be. */
export function logHealth(port: number) {
  return watchHealth(
    { host: '127.0.0.1' },
    { httpGet: { path: '/healthz', port }, periodSeconds: 5, failureThreshold: 2 },
  ).subscribe(({ healthy, at, message }) =>
    console.log(new Date(at).toISOString(), healthy ? 'up' : `down: ${message}`),
  );
}
// #endregion
