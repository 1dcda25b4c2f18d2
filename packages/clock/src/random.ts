import { randomBytes } from 'node:crypto';

/**
 * A source of random choices. Keelson components take one in their options
 * and never call `Math.random()`, so a run with a seeded source is
 * reproducible.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n); `n` must be a positive safe integer. */
  int(n: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** An RFC 4122 version 4 UUID string. */
  uuid(): string;
  /**
   * An independent stream named `name`: draws from it never shift this
   * stream, and the same seed, stream and name always give the same fork.
   */
  fork(name: string): Random;
}

// cyrb128: spreads a string over 128 bits of generator state.
function hash128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function formatUuid(bytes: ArrayLike<number>): string {
  const h = (i: number) => HEX[bytes[i] as number] as string;
  const hex = (from: number, to: number) => {
    let s = '';
    for (let i = from; i < to; i++) s += h(i);
    return s;
  };
  const uuid = `${hex(0, 4)}-${hex(4, 6)}-${hex(6, 8)}-${hex(8, 10)}-${hex(10, 16)}`;
  // Reading a character flattens the concatenation's tree of pieces (7 nodes
  // of 32 bytes) into one string: every object's uid is held for its lifetime.
  uuid.charCodeAt(0);
  return uuid;
}

abstract class RandomBase implements Random {
  /** 32 uniformly random bits as an unsigned integer. */
  protected abstract nextUint32(): number;
  abstract fork(name: string): Random;

  next(): number {
    // 53 bits: every float in [0, 1) a double can hold at that spacing.
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  int(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw new RangeError(`Random.int: n must be a positive safe integer, got ${String(n)}`);
    }
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Random.pick: the array is empty; pass at least one item');
    return items[this.int(items.length)] as T;
  }

  uuid(): string {
    const bytes = new Uint8Array(16);
    for (let i = 0; i < 16; i += 4) {
      const word = this.nextUint32();
      bytes[i] = word >>> 24;
      bytes[i + 1] = (word >>> 16) & 0xff;
      bytes[i + 2] = (word >>> 8) & 0xff;
      bytes[i + 3] = word & 0xff;
    }
    bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
    bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
    return formatUuid(bytes);
  }
}

/** sfc32: small, fast, passes PractRand; 128 bits of state. */
class SeededRandom extends RandomBase {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(
    private readonly seed: string,
    private readonly stream: string,
  ) {
    super();
    [this.a, this.b, this.c, this.d] = hash128(`${seed}\u0000${stream}`);
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  protected nextUint32(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  fork(name: string): Random {
    checkName('Random.fork', 'name', name);
    return new SeededRandom(this.seed, `${this.stream}/${name}`);
  }
}

class CryptoRandom extends RandomBase {
  private buffer = Buffer.alloc(0);
  private offset = 0;

  protected nextUint32(): number {
    if (this.offset + 4 > this.buffer.length) {
      this.buffer = randomBytes(1024);
      this.offset = 0;
    }
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  fork(name: string): Random {
    checkName('Random.fork', 'name', name);
    return new CryptoRandom();
  }
}

function checkName(where: string, field: string, value: unknown): void {
  if (typeof value !== 'string') {
    throw new TypeError(`${where}: ${field} must be a string, got ${typeof value}`);
  }
}

/**
 * A deterministic random source: the same `seed` and `stream` always give
 * the same sequence. Give each component its own stream (or `fork`) so that
 * an extra draw in one place never shifts another.
 *
 * @example
 * ```ts
 * const random = createRandom(42, 'scheduler');
 * random.int(10);          // the same number on every run
 * random.fork('tiebreak'); // an independent stream
 * ```
 */
export function createRandom(seed: number | string, stream: string): Random {
  if (typeof seed === 'number' ? !Number.isFinite(seed) : typeof seed !== 'string') {
    throw new TypeError(`createRandom: seed must be a finite number or a string, got ${String(seed)}`);
  }
  checkName('createRandom', 'stream', stream);
  return new SeededRandom(`${typeof seed}:${seed}`, stream);
}

/** The default, non-reproducible source, backed by `node:crypto`. */
export function cryptoRandom(): Random {
  return new CryptoRandom();
}
