import { describe, expect, it } from 'vitest';
import { isKeelsonError } from '../errors/index';
import {
  everything,
  type LabelSelectorInput,
  labelSelectorFromStructured,
  nothing,
  parseLabelSelector,
  type StructuredLabelSelector,
} from './index';

function parseError(input: LabelSelectorInput): string {
  try {
    parseLabelSelector(input);
  } catch (error) {
    expect(isKeelsonError(error, 'Invalid')).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

const matches = (selector: LabelSelectorInput, labels?: Record<string, string>) =>
  parseLabelSelector(selector).matches(labels);

describe('parseLabelSelector (string form)', () => {
  it('matches equality: = and == need the key with that value; != also matches when it is absent', () => {
    for (const op of ['=', '==']) {
      expect(matches(`app${op}web`, { app: 'web' })).toBe(true);
      expect(matches(`app${op}web`, { app: 'api' })).toBe(false);
      expect(matches(`app${op}web`, {})).toBe(false);
    }
    expect(matches('app!=web', { app: 'api' })).toBe(true);
    expect(matches('app!=web', { app: 'web' })).toBe(false);
    expect(matches('app!=web', {})).toBe(true);
    expect(matches('app!=web', undefined)).toBe(true);
  });

  it('matches set membership: in needs the key, notin matches when it is absent', () => {
    expect(matches('env in (prod, staging)', { env: 'staging' })).toBe(true);
    expect(matches('env in (prod, staging)', { env: 'dev' })).toBe(false);
    expect(matches('env in (prod, staging)', {})).toBe(false);
    expect(matches('env notin (prod,staging)', { env: 'dev' })).toBe(true);
    expect(matches('env notin (prod,staging)', { env: 'prod' })).toBe(false);
    expect(matches('env notin (prod,staging)', {})).toBe(true);
    const many = `v in (${Array.from({ length: 20 }, (_, i) => `x${i}`).join(',')})`;
    expect(matches(many, { v: 'x13' })).toBe(true);
    expect(matches(many, { v: 'x20' })).toBe(false);
  });

  it('matches existence: key and !key', () => {
    expect(matches('app', { app: '' })).toBe(true);
    expect(matches('app', { other: 'x' })).toBe(false);
    expect(matches('!app', { other: 'x' })).toBe(true);
    expect(matches('!app', { app: 'x' })).toBe(false);
    expect(matches('!app', undefined)).toBe(true);
    // Inherited members of a plain object are not labels.
    expect(matches('constructor', {})).toBe(false);
    expect(matches('!toString', {})).toBe(true);
    expect(matches('constructor=x', { constructor: 'x' })).toBe(true);
  });

  it('compares > and < as 64-bit integers and never matches a missing or non-integer label', () => {
    expect(matches('replicas>2', { replicas: '3' })).toBe(true);
    expect(matches('replicas>2', { replicas: '2' })).toBe(false);
    expect(matches('replicas>2', { replicas: '10' })).toBe(true);
    expect(matches('replicas<10', { replicas: '9' })).toBe(true);
    expect(matches('replicas<10', { replicas: '-12' })).toBe(true);
    expect(matches('replicas>0', { replicas: '-0' })).toBe(false);
    expect(matches('replicas<1', { replicas: '+0' })).toBe(true);
    expect(matches('replicas>007', { replicas: '8' })).toBe(true);
    expect(matches('replicas>2', { replicas: 'three' })).toBe(false);
    expect(matches('replicas<2', { replicas: '' })).toBe(false);
    expect(matches('replicas<2', {})).toBe(false);
    expect(matches('n<9223372036854775807', { n: '9223372036854775806' })).toBe(true);
    expect(matches('n<9223372036854775807', { n: '-9223372036854775808' })).toBe(true);
    expect(matches('n<9223372036854775807', { n: '-9223372036854775809' })).toBe(false); // out of range
    expect(matches('n>1', { n: '9223372036854775808' })).toBe(false); // out of range
    expect(matches('n>9007199254740992', { n: '9007199254740993' })).toBe(true); // beyond float precision
  });

  it('ANDs comma-separated requirements and tolerates whitespace as Kubernetes does', () => {
    const selector = parseLabelSelector(' app = web ,\ttier in ( a , b ) ,\n!canary\r');
    expect(selector.matches({ app: 'web', tier: 'b' })).toBe(true);
    expect(selector.matches({ app: 'web', tier: 'b', canary: '1' })).toBe(false);
    expect(selector.matches({ app: 'web', tier: 'c' })).toBe(false);
    expect(selector.toString()).toBe('app=web,!canary,tier in (a,b)');
  });

  it('reads in and notin as keys and values, and missing values as empty strings', () => {
    expect(matches('notin=in', { notin: 'in' })).toBe(true);
    expect(matches('in in (in, notin)', { in: 'notin' })).toBe(true);
    expect(matches('x=', { x: '' })).toBe(true);
    expect(matches('x= ,y==', { x: '', y: '' })).toBe(true);
    expect(parseLabelSelector('x in ()').toString()).toBe('x in ()');
    expect(parseLabelSelector('x in (,a)').toString()).toBe('x in (,a)');
    expect(parseLabelSelector('x in (a,)').toString()).toBe('x in (,a)');
    expect(parseLabelSelector('x notin (b,,a,b)').toString()).toBe('x notin (,a,b)');
    expect(matches('x in (a,)', { x: '' })).toBe(true);
  });

  it('prints the canonical form: sorted by key, values sorted and de-duplicated, == kept as written', () => {
    expect(parseLabelSelector('z=1, b in (y, x, y), a==2, !m, k, q!=3, n>4, o<5').toString()).toBe(
      'a==2,b in (x,y),k,!m,n>4,o<5,q!=3,z=1',
    );
    expect(parseLabelSelector('x=a,a=x').toString()).toBe(parseLabelSelector('a=x,x=a').toString());
  });

  it('lists the key=value pairs every match must carry, for indexing', () => {
    const selector = parseLabelSelector('tier in (web), app==api, env=prod, x in (a,b), y!=z, w in (q,q)');
    expect(selector.requiredEquals).toEqual([
      ['app', 'api'],
      ['env', 'prod'],
      ['tier', 'web'],
      ['w', 'q'],
    ]);
    expect(parseLabelSelector('!a,b notin (c)').requiredEquals).toEqual([]);
  });

  it('selects everything without a selector', () => {
    for (const input of [undefined, '', '  \t', {}, { matchLabels: {}, matchExpressions: [] }]) {
      const selector = parseLabelSelector(input);
      expect(selector.empty).toBe(true);
      expect(selector.matches(undefined)).toBe(true);
      expect(selector.toString()).toBe('');
    }
    expect(parseLabelSelector(undefined)).toBe(everything);
    expect(parseLabelSelector('a').empty).toBe(false);
  });

  it('names the offending part, its position and what is expected', () => {
    expect(parseError('app in (a')).toBe(
      'label selector "app in (a": expected "," or ")" at position 10, found end of input',
    );
    const cases: Array<[string, string]> = [
      ['x=a||y=b', 'invalid value "a||y" for key "x"'],
      ['x==a==b', 'expected "," or end of input at position 5, found "=="'],
      ['!x=a', 'expected "," or end of input at position 3, found "="'],
      ['x<a', 'value "a" for "<" on key "x" must be a 64-bit integer'],
      ['x>', 'value "" for ">" on key "x" must be a 64-bit integer'],
      ['x>-1', 'invalid value "-1" for key "x"'],
      ['x>9223372036854775808', 'must be a 64-bit integer'],
      ['a,', 'expected a requirement after "," at position 3, found end of input'],
      [',a', 'expected a label key or "!" at position 1, found ","'],
      [
        'a b',
        'expected an operator ("=", "==", "!=", "in", "notin", ">" or "<") after key "a" at position 3, found "b"',
      ],
      ['a in b', 'expected "(" at position 6, found "b"'],
      ['a in', 'expected "(" at position 5, found end of input'],
      ['a in (b c)', 'expected "," or ")" at position 9, found "c"'],
      ['a in (=)', 'expected a value or "," at position 7, found "="'],
      ['a in (b,=)', 'expected a value or "," at position 9, found "="'],
      ['a=(b)', 'expected a value at position 3, found "("'],
      ['!', 'expected a label key at position 2, found end of input'],
      ['!!a', 'expected a label key at position 2, found "!"'],
      ['(a)', 'expected a label key or "!" at position 1, found "("'],
      ['a/b/c', 'invalid label key "a/b/c"'],
      ['/a', 'invalid label key "/a" at position 1: prefix part must be non-empty'],
      ['Example.com/a', 'prefix part must be a lowercase RFC 1123 subdomain'],
      ['a..b/c', 'prefix part must be a lowercase RFC 1123 subdomain'],
      [`${'a'.repeat(254)}/c`, 'prefix part must be no more than 253 characters'],
      ['example.com/', 'name part must be non-empty'],
      [`${'n'.repeat(64)}`, 'name part must be no more than 63 characters'],
      ['-a', 'name part must consist of alphanumeric characters'],
      ['a_=b', 'name part must consist of alphanumeric characters'],
      ['a\u0000b', 'invalid label key "a\\u0000b"'],
      ['café=1', 'invalid label key "café"'],
      [`a=${'v'.repeat(64)}`, 'must be no more than 63 characters'],
      ['a=.v', 'must be empty or consist of alphanumeric characters'],
      ['a in (ok,b_)', 'invalid value "b_" for key "a" at position 10: must be empty or'],
    ];
    for (const [input, fragment] of cases) expect(parseError(input)).toContain(fragment);
    expect(labelSelectorOk('example.com/My_Name.1=V-2_x.y')).toBe(true);
    expect(
      labelSelectorOk(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}/${'n'.repeat(63)}`),
    ).toBe(true);
  });
});

function labelSelectorOk(input: string): boolean {
  return !parseLabelSelector(input).empty;
}

describe('structured label selectors', () => {
  const structured: StructuredLabelSelector = {
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['front', 'edge'] },
      { key: 'env', operator: 'NotIn', values: ['dev'] },
      { key: 'owner', operator: 'Exists' },
      { key: 'legacy', operator: 'DoesNotExist', values: [] },
    ],
  };

  it('ANDs matchLabels and matchExpressions', () => {
    const selector = parseLabelSelector(structured);
    expect(selector.matches({ app: 'web', tier: 'edge', owner: 'me' })).toBe(true);
    expect(selector.matches({ app: 'web', tier: 'edge', owner: 'me', env: 'prod' })).toBe(true);
    expect(selector.matches({ app: 'web', tier: 'edge', owner: 'me', env: 'dev' })).toBe(false);
    expect(selector.matches({ app: 'web', tier: 'edge' })).toBe(false);
    expect(selector.matches({ app: 'web', tier: 'core', owner: 'me' })).toBe(false);
    expect(selector.matches({ app: 'api', tier: 'edge', owner: 'me' })).toBe(false);
    expect(selector.matches({ app: 'web', tier: 'edge', owner: 'me', legacy: '' })).toBe(false);
    expect(selector.toString()).toBe('app=web,env notin (dev),!legacy,owner,tier in (edge,front)');
    expect(selector.requiredEquals).toEqual([['app', 'web']]);
    expect(
      parseLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: ['b'] }] }).requiredEquals,
    ).toEqual([['a', 'b']]);
  });

  it('follows LabelSelectorAsSelector: a missing selector selects nothing, an empty one everything', () => {
    expect(labelSelectorFromStructured(undefined)).toBe(nothing);
    expect(labelSelectorFromStructured(null)).toBe(nothing);
    expect(nothing.matches({})).toBe(false);
    expect(nothing.matches(undefined)).toBe(false);
    expect(nothing.empty).toBe(false);
    expect(nothing.requiredEquals).toEqual([]);
    expect(labelSelectorFromStructured({})).toBe(everything);
    expect(labelSelectorFromStructured(structured).toString()).toBe(parseLabelSelector(structured).toString());
  });

  it('rejects bad entries, naming the entry and what is expected', () => {
    const bad = (selector: unknown) => parseError(selector as StructuredLabelSelector);
    expect(bad({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toBe(
      'label selector matchExpressions[0].values: operator "In" needs at least one value',
    );
    expect(bad({ matchExpressions: [{ key: 'a', operator: 'NotIn' }] })).toContain('needs at least one value');
    expect(bad({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] })).toBe(
      'label selector matchExpressions[0].values: operator "Exists" takes no values',
    );
    expect(bad({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })).toBe(
      'label selector matchExpressions[0].operator: "Gt" is not a valid operator; expected "In", "NotIn", "Exists" or "DoesNotExist"',
    );
    expect(bad({ matchExpressions: [{ key: 'a', operator: 'In', values: ['ok', 'not ok'] }] })).toContain(
      'label selector matchExpressions[0].values[1]: invalid value "not ok" for key "a"',
    );
    expect(bad({ matchExpressions: [{ key: 'a b', operator: 'Exists' }] })).toContain(
      'label selector matchExpressions[0].key: invalid label key "a b"',
    );
    expect(bad({ matchLabels: { 'Bad.Prefix/x': 'y' } })).toContain('label selector matchLabels["Bad.Prefix/x"]');
    expect(bad({ matchLabels: { x: 1 } })).toContain('the value for key "x" must be a string');
    expect(bad({ matchLabels: 'app=web' })).toContain('label selector matchLabels: expected an object');
    expect(bad({ matchExpressions: {} })).toContain('label selector matchExpressions: expected an array');
    expect(bad({ matchExpressions: [null] })).toContain('label selector matchExpressions[0]: expected {key');
    expect(bad(null)).toContain('label selector null');
  });
});
