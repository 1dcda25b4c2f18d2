/**
 * Kubernetes' `EndpointSliceTracker`: remembers the slices the controller
 * itself wrote, so that a sync never acts on a cache that has not yet seen
 * them — which would, for instance, create a second slice for endpoints
 * already placed in one the cache does not show yet.
 */
import type { EndpointSlice } from '@keelson/api';

type Expectation = number | 'deleted';

/** Per Service, the revision each written slice must reach in the cache, or that it must be gone. */
export class EndpointSliceTracker {
  private readonly byService = new Map<string, Map<string, Expectation>>();

  private expectations(serviceKey: string): Map<string, Expectation> {
    let expected = this.byService.get(serviceKey);
    if (!expected) {
      expected = new Map();
      this.byService.set(serviceKey, expected);
    }
    return expected;
  }

  /** Records a slice the controller created or updated. */
  wrote(serviceKey: string, slice: EndpointSlice): void {
    this.expectations(serviceKey).set(slice.metadata.name, Number(slice.metadata.resourceVersion));
  }

  /** Records a slice the controller deleted. */
  deleted(serviceKey: string, name: string): void {
    this.expectations(serviceKey).set(name, 'deleted');
  }

  /**
   * Whether `cached` (the cache's slices of the Service) is behind the
   * controller's own writes. Expectations the cache confirms are dropped.
   */
  isStale(serviceKey: string, cached: readonly EndpointSlice[]): boolean {
    const expected = this.byService.get(serviceKey);
    if (!expected) return false;
    const byName = new Map(cached.map((slice) => [slice.metadata.name, slice]));
    let stale = false;
    for (const [name, expectation] of expected) {
      const slice = byName.get(name);
      const confirmed =
        expectation === 'deleted'
          ? slice === undefined
          : slice !== undefined && Number(slice.metadata.resourceVersion) >= expectation;
      if (confirmed) expected.delete(name);
      else stale = true;
    }
    if (expected.size === 0) this.byService.delete(serviceKey);
    return stale;
  }

  /**
   * After reading the store itself: forgets expectations that can no longer
   * be met (a written slice someone else deleted; a deleted slice a finalizer
   * holds), so the cache is trusted again once it catches up.
   */
  settle(serviceKey: string, current: readonly EndpointSlice[]): void {
    const expected = this.byService.get(serviceKey);
    if (!expected) return;
    const byName = new Map(current.map((slice) => [slice.metadata.name, slice]));
    for (const [name, expectation] of expected) {
      const slice = byName.get(name);
      if (expectation === 'deleted' ? slice?.metadata.deletionTimestamp !== undefined : slice === undefined) {
        expected.delete(name);
      }
    }
    if (expected.size === 0) this.byService.delete(serviceKey);
  }

  /** Forgets a Service that is gone. */
  forget(serviceKey: string): void {
    this.byService.delete(serviceKey);
  }
}
