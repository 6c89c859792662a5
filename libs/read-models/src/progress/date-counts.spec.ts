import { DateCounts } from './date-counts';

describe('DateCounts', () => {
  it('encodes to numbers and back, and refuses what no encoding produces', () => {
    const counts = DateCounts.decode([20211231, 1, 20220101, 7]);
    expect(counts.entries()).toEqual([
      ['2021-12-31', 1],
      ['2022-01-01', 7],
    ]);
    expect(DateCounts.decode(counts.encode()).entries()).toEqual(counts.entries());
    expect(() => DateCounts.decode([20220101, 1, 20211231, 1])).toThrow(RangeError);
    expect(() => DateCounts.decode([20220101, 1, 20220101, 1])).toThrow(RangeError);
    expect(() => DateCounts.decode([20220101, 0])).toThrow(RangeError);
    expect(() => DateCounts.decode([20220101.5, 1])).toThrow(RangeError);
  });
});
