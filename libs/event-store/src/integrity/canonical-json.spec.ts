import { canonicalJson } from './canonical-json';

/** The encoding as the chains define it, written plainly: the fast one must give the same bytes. */
function definition(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : definition(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${definition((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A small deterministic generator (no dependency on Math.random: a failure repeats). */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('canonicalJson', () => {
  it('is the documented encoding: sorted keys by code unit (integer-like ones too), no whitespace, undefined members left out', () => {
    expect(canonicalJson({ b: 1, a: [undefined, { d: 'é', c: null }], 10: true, 9: false, z: undefined })).toBe('{"10":true,"9":false,"a":[null,{"c":null,"d":"é"}],"b":1}');
  });

  /** 20,000 random values built from these keys and leaves, each written as the definition writes it. */
  const sameBytesOnRandomValues = (seed: number, keys: readonly string[], leaves: readonly unknown[]) => {
    const random = generator(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const value = (depth: number): unknown => {
      const roll = random();
      if (depth > 3 || roll < 0.3) return pick(leaves);
      if (roll < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      const object: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 6); i > 0; i--) object[pick(keys)] = value(depth + 1);
      return object;
    };
    for (let i = 0; i < 20_000; i++) {
      const sample = value(0);
      expect(canonicalJson(sample)).toBe(definition(sample));
    }
  };

  it('gives the same bytes as the plain definition on random values (keys out of order, integer-like, escaped, astral)', () => {
    sameBytesOnRandomValues(
      20_261_201,
      ['a', 'b', 'Z', '10', '9', '0', '', 'é', 'ä', '\u2028', '"q"', 'aa', 'B', '𝄞', 'x\ny'],
      [1, -0, 1.5e300, 0.1, 'text', 'ünï\u2028"\\', true, false, null, undefined, 12345678901234567890, Number.NaN],
    );
  });

  it('gives the same bytes on random values whose keys JavaScript keeps in the order given (written by one JSON.stringify)', () => {
    sameBytesOnRandomValues(
      20_261_202,
      ['a', 'b', 'Z', '', 'é', 'ä', '\u2028', 'aa', 'B', '𝄞', 'x\ny', 'a1', 'metadata', 'type'],
      [1, -0, 1.5e300, 0.1, 'text', 'ünï\u2028"\\', '\ud800', true, false, null, undefined, Number.NaN],
    );
  });

  it('writes what is not plain JSON as the definition does, not as JSON.stringify would', () => {
    const samples: unknown[] = [
      { at: new Date(0), b: 1 },
      [new Number(3), new String('ab'), Buffer.from('x')],
      { a: { b: () => 1 } },
      JSON.parse('{"b":1,"__proto__":{"c":2}}'),
      { b: { '1': 'x', a: 'y' }, a: [undefined] },
    ];
    for (const sample of samples) expect(canonicalJson(sample)).toBe(definition(sample));
  });

  it('does not change the value it encodes', () => {
    const value = { b: { d: 1, c: [{ f: 2, e: 3 }] }, a: 'x' };
    const before = JSON.stringify(value);
    expect(canonicalJson(value)).toBe('{"a":"x","b":{"c":[{"e":3,"f":2}],"d":1}}');
    expect(JSON.stringify(value)).toBe(before);
  });
});
