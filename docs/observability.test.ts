import { describe, expect, it } from 'vitest';
import { scrapeACluster } from './snippets/observability';

/** The value of the one sample of `name` (summed over its label sets). */
function total(text: string, name: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('observability guide', () => {
  it('a cluster on one registry serves every component’s series over HTTP', async () => {
    const text = await scrapeACluster();
    expect(total(text, 'keelson_kubelet_pod_start_sli_duration_seconds_count')).toBe(2);
    expect(total(text, 'keelson_kubelet_running_pods')).toBe(2);
    expect(total(text, 'keelson_scheduler_schedule_attempts_total')).toBeGreaterThanOrEqual(2);
    expect(total(text, 'keelson_controller_runtime_reconcile_total')).toBeGreaterThan(0);
    expect(total(text, 'keelson_workqueue_adds_total')).toBeGreaterThan(0);
  });
});
