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

  it('gives the same bytes as the plain definition on random values (keys out of order, integer-like, escaped, astral)', () => {
    const random = generator(20_261_201);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const keys = ['a', 'b', 'Z', '10', '9', '0', '', 'é', 'ä', '\u2028', '"q"', 'aa', 'B', '𝄞', 'x\ny'];
    const leaves = [1, -0, 1.5e300, 0.1, 'text', 'ünï\u2028"\\', true, false, null, undefined, 12345678901234567890, Number.NaN];
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
  });
});
