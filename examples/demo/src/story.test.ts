import { rm } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { recordingDisplay } from './display';
import { runStory } from './story';

it('the story rolls out, survives a node failure, rolls back a broken release, autoscales a load spike and keeps a database’s data', async () => {
  const display = recordingDisplay();
  const result = await runStory(display);
  await rm(result.logDir, { recursive: true, force: true });
  const text = display.lines.join('\n');
  expect(result.spreadOverNodes).toBeGreaterThanOrEqual(3);
  // Round-robin over 6 ready endpoints: 100 requests each.
  expect(Object.values(result.requestsPerPod)).toEqual([100, 100, 100, 100, 100, 100]);
  expect(result.rollout.minReady).toBeGreaterThanOrEqual(5);
  expect(result.rollout.maxPods).toBeLessThanOrEqual(8);
  expect(result.replacedOn).not.toContain(result.failedNode);
  expect(result.routedDuringFailure.total).toBeGreaterThan(0);
  expect(result.routedDuringFailure.toFailedNode).toBe(0);
  expect(result.badRelease).toEqual({
    reason: 'ProgressDeadlineExceeded',
    rolledBackTo: 'registry.example.com/web:1.1',
  });
  // 300 req/s × 5m = 1500m: 150 % of 2 pods' requests; at most 4 at once, then 6 at 50 % each.
  expect(result.autoscaling.replicas).toEqual([2, 4, 6, 2]);
  expect(result.autoscaling.peakCpuPerPod).toBe(750);
  expect(result.autoscaling.cpuScaledOut).toEqual([250, 250, 250, 250, 250, 250]);
  expect(text).toContain('replicas 6, CPU per pod: 250m 250m 250m 250m 250m 250m (autoscaler saw 50 % of request)');
  // Each database pod's volume is in its node's zone, and its data survives deletion and scaling.
  const { stateful } = result;
  expect(stateful.readyOrder).toEqual(['db-0', 'db-1', 'db-2']);
  for (const p of [...stateful.placed, stateful.recreated, ...stateful.rescaled]) {
    expect(p.volumeZone).toBe(p.zone);
    expect(p.owner).toBe(p.name);
  }
  expect(stateful.placed.map((p) => p.starts)).toEqual([1, 1, 1]);
  expect(stateful.recreated.starts).toBe(2);
  expect(stateful.scaleDownOrder).toEqual(['db-2', 'db-1']);
  expect(stateful.claimsAfterScaleDown).toEqual(['data-db-0', 'data-db-1', 'data-db-2']);
  expect(stateful.rescaled.map((p) => p.starts)).toEqual([1, 3, 2]);
  expect(result.replayedPods).toBeGreaterThan(0);
  expect(result.logEntries).toBeGreaterThan(100);
  expect(text).toContain('successfully rolled out');
  expect(display.statuses.length).toBeGreaterThan(0);
});
