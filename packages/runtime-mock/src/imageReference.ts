// Image references parsed and normalised the way containerd and the kubelet
// do it (github.com/distribution/reference, ParseNormalizedNamed +
// TagNameOnly): `nginx` is `docker.io/library/nginx:latest`.

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const MAX_NAME_LENGTH = 255;

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const IMAGE_ID = /^(?:sha256:)?[a-f0-9]{64}$/;

/** An image reference split into its parts, with the repository fully qualified. */
export interface ImageReference {
  /** Domain and path, e.g. `docker.io/library/nginx`. */
  readonly repository: string;
  /** The tag; `latest` when the reference named neither a tag nor a digest. */
  readonly tag?: string;
  /** `algorithm:hex`, e.g. `sha256:…`, when the reference carries one. */
  readonly digest?: string;
  /** The normalised reference: `repository:tag`, `repository@digest` or `repository:tag@digest`. */
  readonly normalized: string;
}

/**
 * Parses and normalises an image reference. Returns a message saying what is
 * wrong instead of a reference when it does not parse.
 */
export function parseImageReference(ref: string): ImageReference | string {
  if (ref === '') return 'the image reference is empty';
  if (IMAGE_ID.test(ref) && !ref.startsWith('sha256:')) {
    return `"${ref}" is a 64-character hexadecimal string, which is an image id, not a repository name`;
  }
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return `"${ref}" has an invalid digest "${digest}" (expected algorithm:hex)`;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return `"${ref}" has an invalid tag "${tag}"`;
  }
  const repository = qualify(rest);
  if (typeof repository !== 'object') return `"${ref}" is not a valid image reference: ${repository}`;
  if (tag === undefined && digest === undefined) tag = 'latest';
  const name = repository.name;
  const normalized = `${name}${tag === undefined ? '' : `:${tag}`}${digest === undefined ? '' : `@${digest}`}`;
  return {
    repository: name,
    normalized,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

function qualify(name: string): { name: string } | string {
  if (name === '') return 'the repository name is empty';
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  let domain: string;
  let path: string;
  if (slash < 0 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = DEFAULT_DOMAIN;
    path = name;
  } else {
    domain = first;
    path = name.slice(slash + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_REPO_PREFIX + path;
  if (path.toLowerCase() !== path) return 'the repository name must be lowercase';
  if (!DOMAIN.test(domain)) return `invalid registry domain "${domain}"`;
  if (!path.split('/').every((component) => PATH_COMPONENT.test(component))) {
    return `invalid repository path "${path}" (lowercase letters, digits and . _ - separators)`;
  }
  const qualified = `${domain}/${path}`;
  if (qualified.length > MAX_NAME_LENGTH) return `the repository name is longer than ${MAX_NAME_LENGTH} characters`;
  return { name: qualified };
}

/** Whether `ref` is an image id (`sha256:` and 64 hex digits, or the bare hex) rather than a name. */
export function isImageId(ref: string): boolean {
  return IMAGE_ID.test(ref);
}

/** `sha256:<hex>` for an image id written with or without its algorithm. */
export function qualifyImageId(ref: string): string {
  return ref.startsWith('sha256:') ? ref : `sha256:${ref}`;
}

/**
 * The normalised form of `ref` (`nginx` → `docker.io/library/nginx:latest`).
 *
 * @throws {@link TypeError} when `ref` does not parse; the message says why.
 */
export function normalizeImageReference(ref: string): string {
  const parsed = parseImageReference(ref);
  if (typeof parsed === 'string') throw new TypeError(parsed);
  return parsed.normalized;
}
