import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { reuseOutputs } from './reuseOutputs';

let parses = 0;
const item = reuseOutputs(
  z.object({ name: z.string().min(1), size: z.number().default(1) }).superRefine(() => {
    parses++;
  }),
);
const other = reuseOutputs(z.object({ name: z.string(), size: z.number().max(0) }));
const list = z.object({ items: z.array(item) });

describe('reuseOutputs', () => {
  it('takes a frozen output of the same schema as it is', () => {
    const output = Object.freeze(item.parse({ name: 'a' }));
    parses = 0;
    const parsed = list.parse({ items: [output, { name: 'b' }] });
    expect(parsed.items[0]).toBe(output);
    expect(parsed.items[1]).toEqual({ name: 'b', size: 1 });
    expect(parses).toBe(1);
  });

  it('parses outputs that are not frozen, copies, and outputs of another schema', () => {
    const output = item.parse({ name: 'a' });
    expect(item.parse(output)).not.toBe(output);
    const frozen = Object.freeze(item.parse({ name: 'a' }));
    expect(item.parse(Object.freeze({ ...frozen }))).not.toBe(frozen);
    // `other` rejects what `item` produced: a frozen output of `item` is not one of `other`'s.
    const result = other.safeParse(frozen);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['size']);
  });

  it('parses a changed copy that carried the hidden mark over (a copy by property descriptors)', () => {
    const frozen = Object.freeze(item.parse({ name: 'a' }));
    // As immer's strict shallow copy does: every own property, symbols too, made writable.
    const descriptors = Object.getOwnPropertyDescriptors(frozen);
    for (const key of Reflect.ownKeys(descriptors)) {
      Object.assign(descriptors[key as string] as PropertyDescriptor, { writable: true, configurable: true });
    }
    const copy = Object.create(Object.getPrototypeOf(frozen), descriptors) as { name: string };
    copy.name = '';
    Object.freeze(copy);
    expect(Object.getOwnPropertySymbols(copy)).toHaveLength(1);
    const result = list.safeParse({ items: [copy] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['items', 0, 'name']);
  });

  it('leaves the output as JSON and spreads see it (no visible marker)', () => {
    const output = Object.freeze(item.parse({ name: 'a' }));
    expect(Object.keys(output)).toEqual(['name', 'size']);
    expect(JSON.stringify(output)).toBe('{"name":"a","size":1}');
    expect({ ...output }).toEqual({ name: 'a', size: 1 });
  });

  it('reports the same issues for bad input as the schema alone', () => {
    const bare = z.object({ items: z.array(z.object({ name: z.string().min(1), size: z.number().default(1) })) });
    const input = { items: [{ name: '' }, { name: 'x', size: 'big' }] };
    expect(list.safeParse(input).error?.issues).toEqual(bare.safeParse(input).error?.issues);
  });
});
