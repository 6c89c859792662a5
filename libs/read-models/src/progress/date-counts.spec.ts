import { LocalDate } from '@app/domain';
import { DateCounts } from './date-counts';

const d = (s: string) => s as LocalDate;

describe('DateCounts', () => {
  it('keeps dates in order whatever order they come in, and lets a date go when its count returns to zero', () => {
    const counts = new DateCounts();
    for (const date of ['2022-05-31', '2022-01-02', '2023-12-01', '2022-05-31', '2022-03-15']) counts.add(d(date), 1);
    counts.add(d('2022-03-15'), -1);
    expect(counts.entries()).toEqual([
      ['2022-01-02', 1],
      ['2022-05-31', 2],
      ['2023-12-01', 1],
    ]);
  });

  it('finds the date the running count reaches a target, in date order', () => {
    const counts = DateCounts.of([
      [d('2022-07-01'), 3],
      [d('2022-02-10'), 2],
    ]);
    expect(counts.dateReaching(2)).toBe('2022-02-10');
    expect(counts.dateReaching(3)).toBe('2022-07-01');
    expect(counts.dateReaching(6)).toBeNull();
    expect(counts.dateReaching(0)).toBeNull();
  });

  it('adds and subtracts whole sets (a unit moving between subtrees)', () => {
    const subtree = DateCounts.of([
      [d('2022-01-01'), 4],
      [d('2022-02-01'), 1],
    ]);
    const moved = DateCounts.of([
      [d('2022-02-01'), 1],
      [d('2022-03-01'), 2],
    ]);
    subtree.addAll(moved, -1);
    expect(subtree.entries()).toEqual([
      ['2022-01-01', 4],
      ['2022-03-01', -2],
    ]);
    subtree.addAll(moved, 1);
    expect(subtree.entries()).toEqual([
      ['2022-01-01', 4],
      ['2022-02-01', 1],
    ]);
  });

  it('encodes to numbers and back, and refuses what no encoding produces', () => {
    const counts = DateCounts.of([
      [d('2021-12-31'), 1],
      [d('2022-01-01'), 7],
    ]);
    expect(DateCounts.decode(counts.encode()).entries()).toEqual(counts.entries());
    expect(() => DateCounts.decode([20220101, 1, 20211231, 1])).toThrow(RangeError);
    expect(() => DateCounts.decode([20220101, 0])).toThrow(RangeError);
    expect(() => DateCounts.decode([20220101.5, 1])).toThrow(RangeError);
  });
});
