import { defaultQuota, parseVnd } from '@app/domain';

describe('whole VND', () => {
  it('accepts safe JSON integers and strings of digits, beyond 2^53 exactly', () => {
    expect(parseVnd(10_000_000_000)).toBe(10_000_000_000n);
    expect(parseVnd('10000000000000000')).toBe(10_000_000_000_000_000n);
    expect(parseVnd('9007199254740993')).toBe(9_007_199_254_740_993n);
  });

  it('refuses negatives, fractions, unsafe numbers, signs, spaces and leading zeros', () => {
    for (const bad of [-1, 1.5, 2 ** 53, '-1', '1.0', ' 1', '+1', '01', '', '1e6', null, true]) {
      expect(parseVnd(bad)).toBeUndefined();
    }
  });

  it('sums national totals without float rounding', () => {
    const values = Array.from({ length: 1000 }, (_, i) => parseVnd(`${10_000_000_000_001 + i}`)!);
    expect(values.reduce((a, b) => a + b, 0n)).toBe(10_000_000_000_500_500n);
  });
});

describe('default quota', () => {
  it('is ceil(members × target % / 100) in exact integer arithmetic', () => {
    expect(defaultQuota(12_000, 5)).toBe(600);
    expect(defaultQuota(101, 5)).toBe(6);
    expect(defaultQuota(100, 4.5)).toBe(5);
    expect(defaultQuota(1000, 0.07)).toBe(1);
    expect(defaultQuota(0, 6)).toBe(0);
  });
});
