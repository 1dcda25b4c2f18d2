/**
 * A set of field paths as structured-merge-diff keeps them in `fieldsV1`. A path
 * is a list of elements, each written as a fieldsV1 key: `f:<field>` (a field
 * of a map), `k:<json object>` (an item of an associative list, by its keys),
 * `v:<json>` (an item of a set) or `i:<index>` (an item of any other list).
 */
export type FieldPath = readonly string[];

const SEPARATOR = '\u0000';

export class FieldSet {
  private readonly paths = new Map<string, FieldPath>();

  constructor(paths: Iterable<FieldPath> = []) {
    for (const path of paths) this.add(path);
  }

  add(path: FieldPath): void {
    this.paths.set(path.join(SEPARATOR), path);
  }

  has(path: FieldPath): boolean {
    return this.paths.has(path.join(SEPARATOR));
  }

  get size(): number {
    return this.paths.size;
  }

  [Symbol.iterator](): Iterator<FieldPath> {
    return this.paths.values();
  }

  union(other: FieldSet): FieldSet {
    return new FieldSet([...this, ...other]);
  }

  difference(other: FieldSet): FieldSet {
    return new FieldSet([...this].filter((p) => !other.has(p)));
  }

  intersection(other: FieldSet): FieldSet {
    return new FieldSet([...this].filter((p) => other.has(p)));
  }

  /** Whether the set holds `path` or a path below it. */
  coversOrBelow(path: FieldPath): boolean {
    return [...this].some((p) => p.length >= path.length && path.every((element, i) => p[i] === element));
  }

  equals(other: FieldSet): boolean {
    return this.size === other.size && [...this].every((p) => other.has(p));
  }
}

export function fieldElement(name: string): string {
  return `f:${name}`;
}

/** `k:{"name":"web"}`: the keys sorted by name, as structured-merge-diff writes them. */
export function keyElement(keys: Readonly<Record<string, unknown>>): string {
  const sorted = Object.keys(keys).sort();
  return `k:{${sorted.map((k) => `${JSON.stringify(k)}:${JSON.stringify(keys[k])}`).join(',')}}`;
}

export function valueElement(value: unknown): string {
  return `v:${JSON.stringify(value)}`;
}

export function indexElement(index: number): string {
  return `i:${index}`;
}

/**
 * A path as Kubernetes prints it in an apply conflict: `.spec.replicas`,
 * `.spec.containers[name="web"].image`, `.metadata.finalizers[="a"]`, `.args[0]`.
 */
export function formatFieldPath(path: FieldPath): string {
  return path.map(formatElement).join('');
}

function formatElement(element: string): string {
  const body = element.slice(2);
  switch (element.slice(0, 2)) {
    case 'f:':
      return `.${body}`;
    case 'k:': {
      const keys = JSON.parse(body) as Record<string, unknown>;
      return `[${Object.entries(keys)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    }
    case 'v:':
      return `[=${body}]`;
    default:
      return `[${body}]`;
  }
}
