import { type AuthConfig, CriError } from '@keelson/cri';
import type { ImageBehaviour } from './behaviour';
import { checkFileScript } from './fileScript';
import { digestOf } from './ids';
import { parseImageReference } from './imageReference';
import { checkLogScripts } from './logScript';

/** Why a pull fails: the registry lacks the image, refuses the credentials, or cannot be reached. */
export type PullFailureKind = 'missing' | 'unauthorized' | 'outage';

/** A scripted pull failure. */
export interface PullFailure {
  kind: PullFailureKind;
  /** How many pulls fail before the image pulls again (default: every pull until `recover`). */
  times?: number;
}

/** Credentials an image demands; pulls must pass them as `username`/`password` or as `auth` (base64 `user:pass`). */
export interface RegistryCredentials {
  username: string;
  password: string;
}

/** What {@link MockRegistry.add} accepts besides the reference. */
export interface ImageOptions {
  /** Size in bytes (default 5 MiB). */
  size?: number;
  /** How long a pull takes on the clock, in ms (default 0). */
  pullMs?: number;
  /** How containers of the image behave. */
  behaviour?: ImageBehaviour;
  /** Credentials the registry demands for this image. */
  auth?: RegistryCredentials;
  /**
   * Tells builds pushed under the same reference apart: the digest and id
   * derive from the reference and this (default `''`), so adding a
   * reference again with the same build keeps its id, and a new build is a
   * new image that a re-pull (pull policy Always) picks up.
   */
  build?: string;
}

/** An image as the registry holds it. */
export interface RegistryImage {
  /** The normalised reference it was added under, e.g. `docker.io/library/nginx:1.25`. */
  readonly reference: string;
  /** `docker.io/library/nginx`. */
  readonly repository: string;
  /** Manifest digest, `sha256:…`. */
  readonly digest: string;
  /** `repository@digest`: how the image is named by digest. */
  readonly repoDigest: string;
  /** The image id (`Image.id`, what `pullImage` returns), `sha256:…`. */
  readonly id: string;
  readonly size: number;
  readonly pullMs: number;
  readonly behaviour: ImageBehaviour;
  readonly auth?: RegistryCredentials;
}

const DEFAULT_SIZE = 5 * 1024 * 1024;

/** The parsed reference, or a `TypeError` naming the method and what is wrong. */
function parseOrThrow(where: string, ref: string) {
  const parsed = parseImageReference(ref);
  if (typeof parsed === 'string') throw new TypeError(`${where}: ${parsed}`);
  return parsed;
}

function nonNegative(where: string, name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${where}: ${name} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

function decodeBasicAuth(auth: string): { username: string; password: string } | undefined {
  try {
    const text = atob(auth);
    const colon = text.indexOf(':');
    return colon < 0 ? undefined : { username: text.slice(0, colon), password: text.slice(colon + 1) };
  } catch {
    return undefined;
  }
}

/** Whether `auth` carries the credentials `required` demands. */
export function credentialsMatch(required: RegistryCredentials, auth: AuthConfig | undefined): boolean {
  if (auth === undefined) return false;
  const given =
    auth.username !== undefined && auth.username !== ''
      ? { username: auth.username, password: auth.password ?? '' }
      : auth.auth
        ? decodeBasicAuth(auth.auth)
        : undefined;
  return given !== undefined && given.username === required.username && given.password === required.password;
}

/** The CRI error a pull fails with for each {@link PullFailureKind}. */
export function pullFailureError(kind: PullFailureKind, reference: string): CriError {
  switch (kind) {
    case 'missing':
      return new CriError('NotFound', `image "${reference}" not found in the registry; check the name and tag`);
    case 'unauthorized':
      return new CriError(
        'Unauthenticated',
        `the registry refused the credentials for "${reference}"; pass the right username and password`,
      );
    case 'outage':
      return new CriError('Unavailable', `the registry for "${reference}" cannot be reached; try again later`);
  }
}

/**
 * An in-memory image registry shared by any number of mock runtimes (one per
 * simulated node): images with tags and digests, sizes, pull latency,
 * credentials, scripted behaviour, and scripted pull failures.
 *
 * @example
 * ```ts
 * const registry = createImageRegistry();
 * registry.add('registry.example.com/web:1.0', { pullMs: 2_000, behaviour: { startupMs: 5_000 } });
 * registry.add('nginx:1.25');                                  // docker.io/library/nginx:1.25
 * registry.fail('registry.example.com/web:1.0', { kind: 'outage', times: 2 });
 * ```
 */
export class MockRegistry {
  private readonly byReference = new Map<string, RegistryImage>();
  private readonly byDigest = new Map<string, RegistryImage>();
  private readonly failures = new Map<string, { kind: PullFailureKind; remaining: number }>();

  /**
   * Adds an image under `ref`, or replaces the one there. Ids and digests
   * depend only on the reference and `options.build`, so they are the same
   * on every run and in every registry.
   *
   * @throws {@link TypeError} for a reference that does not parse.
   */
  add(ref: string, options: ImageOptions = {}): RegistryImage {
    const parsed = parseOrThrow('MockRegistry.add', ref);
    checkLogScripts('MockRegistry.add', options.behaviour?.logs);
    checkFileScript('MockRegistry.add', options.behaviour?.files);
    const digest = parsed.digest ?? digestOf(`manifest ${parsed.normalized} ${options.build ?? ''}`);
    const image: RegistryImage = {
      reference: parsed.normalized,
      repository: parsed.repository,
      digest,
      repoDigest: `${parsed.repository}@${digest}`,
      id: digestOf(`config ${parsed.repository}@${digest}`),
      size: nonNegative('MockRegistry.add', 'size', options.size, DEFAULT_SIZE) || DEFAULT_SIZE,
      pullMs: nonNegative('MockRegistry.add', 'pullMs', options.pullMs, 0),
      behaviour: { ...options.behaviour },
      ...(options.auth === undefined ? {} : { auth: { ...options.auth } }),
    };
    const replaced = this.byReference.get(parsed.normalized);
    if (replaced !== undefined && replaced.repoDigest !== image.repoDigest) this.byDigest.delete(replaced.repoDigest);
    this.byReference.set(parsed.normalized, image);
    this.byDigest.set(image.repoDigest, image);
    return image;
  }

  /** Removes the image a reference names from the registry; whether there was one. */
  remove(ref: string): boolean {
    const image = this.get(ref);
    if (image === undefined) return false;
    for (const [key, value] of this.byReference) if (value === image) this.byReference.delete(key);
    this.byDigest.delete(image.repoDigest);
    return true;
  }

  /** The image a reference (tag or digest, normalised first) names, if the registry has it. */
  get(ref: string): RegistryImage | undefined {
    const parsed = parseImageReference(ref);
    if (typeof parsed === 'string') return undefined;
    if (parsed.digest !== undefined) return this.byDigest.get(`${parsed.repository}@${parsed.digest}`);
    return this.byReference.get(parsed.normalized);
  }

  /** Every image in the registry, in the order they were added. */
  list(): RegistryImage[] {
    return [...new Set(this.byReference.values())];
  }

  /**
   * Makes pulls of `ref` fail, `times` times or until {@link MockRegistry.recover}:
   * `missing` → `NotFound`, `unauthorized` → `Unauthenticated`, `outage` →
   * `Unavailable`. The reference need not exist.
   */
  fail(ref: string, failure: PullFailure): void {
    const times = nonNegative('MockRegistry.fail', 'times', failure.times, Number.POSITIVE_INFINITY);
    const reference = parseOrThrow('MockRegistry.fail', ref).normalized;
    if (times === 0) this.failures.delete(reference);
    else this.failures.set(reference, { kind: failure.kind, remaining: times });
  }

  /** Clears the scripted failures of `ref`, or of every reference. */
  recover(ref?: string): void {
    if (ref === undefined) this.failures.clear();
    else this.failures.delete(parseOrThrow('MockRegistry.recover', ref).normalized);
  }

  /**
   * What a pull of the normalised `reference` gets: the image, or the CRI error
   * the runtime rejects with. Consumes one scripted failure.
   *
   * @internal used by the mock runtime.
   */
  resolve(reference: string, auth: AuthConfig | undefined): RegistryImage | CriError {
    const failure = this.failures.get(reference);
    if (failure !== undefined) {
      if (--failure.remaining <= 0) this.failures.delete(reference);
      return pullFailureError(failure.kind, reference);
    }
    const image = this.get(reference);
    if (image === undefined) return pullFailureError('missing', reference);
    if (image.auth !== undefined && !credentialsMatch(image.auth, auth)) {
      return pullFailureError('unauthorized', reference);
    }
    return image;
  }
}

/**
 * A new, empty {@link MockRegistry}. Pass it to several `createMockRuntime`
 * calls to share it between simulated nodes.
 */
export function createImageRegistry(): MockRegistry {
  return new MockRegistry();
}
