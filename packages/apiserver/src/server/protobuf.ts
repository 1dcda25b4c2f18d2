import { HttpError } from './status';

/** The four bytes that open every Kubernetes protobuf body (`k8s\0`). */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Fields of one protobuf message: number → the raw values (length-delimited ones as buffers). */
type Fields = Map<number, (Buffer | number)[]>;

function fail(): never {
  throw new HttpError(400, 'BadRequest', 'the protobuf body is malformed');
}

function varint(buffer: Buffer, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (let i = at; i < buffer.length && shift < 64; i++) {
    const byte = buffer[i] as number;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [value, i + 1];
  }
  return fail();
}

/** Splits a protobuf message into its fields (wire types varint, 64-bit, length-delimited, 32-bit). */
function fields(buffer: Buffer): Fields {
  const out: Fields = new Map();
  let at = 0;
  while (at < buffer.length) {
    const [key, next] = varint(buffer, at);
    const number = Math.floor(key / 8);
    const wire = key % 8;
    let value: Buffer | number;
    if (wire === 0) [value, at] = varint(buffer, next);
    else if (wire === 2) {
      const [length, start] = varint(buffer, next);
      if (start + length > buffer.length) fail();
      value = buffer.subarray(start, start + length);
      at = start + length;
    } else if (wire === 1 || wire === 5) {
      at = next + (wire === 1 ? 8 : 4);
      if (at > buffer.length) fail();
      value = 0;
    } else return fail();
    out.set(number, [...(out.get(number) ?? []), value]);
  }
  return out;
}

function message(f: Fields, n: number): Fields | undefined {
  const value = f.get(n)?.[0];
  return Buffer.isBuffer(value) ? fields(value) : undefined;
}

function text(f: Fields | undefined, n: number): string | undefined {
  const value = f?.get(n)?.[0];
  return Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
}

/** Whether a body is in Kubernetes' protobuf envelope. */
export function isProtobuf(body: Buffer): boolean {
  return body.length >= 4 && body.subarray(0, 4).equals(MAGIC);
}

/**
 * Decodes a SelfSubjectAccessReview sent as protobuf (kubectl's typed
 * clients send `application/vnd.kubernetes.protobuf`), into its JSON form.
 */
export function decodeAccessReview(body: Buffer): object {
  if (!isProtobuf(body)) fail();
  const envelope = fields(body.subarray(4));
  const raw = envelope.get(2)?.[0];
  if (!Buffer.isBuffer(raw)) fail();
  const review = fields(raw);
  const spec = message(review, 2);
  const resource = spec === undefined ? undefined : message(spec, 1);
  const nonResource = spec === undefined ? undefined : message(spec, 2);
  const names = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
  const out: { spec: Record<string, Record<string, string>> } = { spec: {} };
  if (resource !== undefined) {
    out.spec.resourceAttributes = Object.fromEntries(
      names.flatMap((name, i) => {
        const value = text(resource, i + 1);
        return value === undefined ? [] : [[name, value]];
      }),
    );
  }
  if (nonResource !== undefined) {
    out.spec.nonResourceAttributes = {
      ...(text(nonResource, 1) === undefined ? {} : { path: text(nonResource, 1) as string }),
      ...(text(nonResource, 2) === undefined ? {} : { verb: text(nonResource, 2) as string }),
    };
  }
  return out;
}
