import { describe, expect, it } from 'vitest';
import { gracePeriodFor, heartbeatExpired, lastHeartbeat, observeHeartbeat } from './heartbeat';

const T0 = Date.UTC(2026, 0, 1);
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
const nodeBeating = (s?: number) => ({
  status: { conditions: [{ type: 'Ready', ...(s === undefined ? {} : { lastHeartbeatTime: iso(s) }) }] },
});
const leaseRenewed = (s: number) => ({ spec: { renewTime: iso(s) } });
const periods = { gracePeriodMs: 50_000, startupGracePeriodMs: 60_000 };

describe('lastHeartbeat', () => {
  it('is the later of the lease renewal and the Ready heartbeat', () => {
    expect(lastHeartbeat(nodeBeating(10), leaseRenewed(40))).toBe(T0 + 40_000);
    expect(lastHeartbeat(nodeBeating(50), leaseRenewed(40))).toBe(T0 + 50_000);
    expect(lastHeartbeat(nodeBeating(10), undefined)).toBe(T0 + 10_000);
    expect(lastHeartbeat(nodeBeating(), leaseRenewed(40))).toBe(T0 + 40_000);
    expect(lastHeartbeat({}, undefined)).toBeUndefined();
  });
});

describe('observeHeartbeat', () => {
  it('stamps a node seen for the first time with the local time, heard from or not', () => {
    expect(observeHeartbeat(undefined, T0, 7)).toEqual({ heartbeat: T0, observedAt: 7 });
    expect(observeHeartbeat(undefined, undefined, 7)).toEqual({ heartbeat: undefined, observedAt: 7 });
  });

  it('moves the stamp only when the heartbeat changes, whatever the node clock says', () => {
    const first = observeHeartbeat(undefined, T0, 100);
    expect(observeHeartbeat(first, T0, 200)).toBe(first);
    expect(observeHeartbeat(first, undefined, 200)).toBe(first);
    expect(observeHeartbeat(first, T0 + 10_000, 200)).toEqual({ heartbeat: T0 + 10_000, observedAt: 200 });
    expect(observeHeartbeat(first, T0 - 3_600_000, 300)).toEqual({ heartbeat: T0 - 3_600_000, observedAt: 300 });
  });
});

describe('heartbeatExpired and gracePeriodFor', () => {
  it('expires strictly after the grace period', () => {
    const record = { heartbeat: T0, observedAt: 1_000 };
    expect(heartbeatExpired(record, 50_000, 51_000)).toBe(false);
    expect(heartbeatExpired(record, 50_000, 51_001)).toBe(true);
  });

  it('gives the startup grace period to nodes without a Ready condition', () => {
    expect(gracePeriodFor(nodeBeating(0), periods)).toBe(50_000);
    expect(gracePeriodFor({ status: { conditions: [] } }, periods)).toBe(60_000);
    expect(gracePeriodFor({}, periods)).toBe(60_000);
  });
});
