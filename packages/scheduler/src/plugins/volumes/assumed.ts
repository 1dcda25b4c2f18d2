/**
 * Volumes chosen for claims of pods still in flight (reserved, not yet bound),
 * as Kubernetes' PV assume cache: two pods scheduled one after the other never
 * take the same volume while the first one's binding is being written.
 */
export class AssumedVolumes {
  readonly #claimByVolume = new Map<string, string>();

  /** The claim (`namespace/name`) a volume is assumed for, if any. */
  claimFor(volumeName: string): string | undefined {
    return this.#claimByVolume.get(volumeName);
  }

  assume(volumeName: string, claimKey: string): void {
    this.#claimByVolume.set(volumeName, claimKey);
  }

  /** Forgets the assumption, if it is still the one made for `claimKey`. */
  release(volumeName: string, claimKey: string): void {
    if (this.#claimByVolume.get(volumeName) === claimKey) this.#claimByVolume.delete(volumeName);
  }

  get size(): number {
    return this.#claimByVolume.size;
  }
}
