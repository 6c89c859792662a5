import { Contribution, LocalDate } from '@app/domain';
import { FigureTable } from './figure-table';

const approved = (benefit: bigint, countedOn = '2022-05-03'): Contribution => ({ keys: ['p1', 'all'], status: 'approved', counted: true, countedOn: countedOn as LocalDate, benefit, phaseId: 'p1' });

describe('FigureTable', () => {
  it('keeps every row apart and every figure exact as the columns grow past their first size', () => {
    const table = new FigureTable();
    const rows = Array.from({ length: 3000 }, (_, i) => table.row(`bk\u0000unit-${i}`, 3));
    rows.forEach((first, i) => {
      for (let n = 0; n <= i % 5; n++) table.addContribution(first + 1, approved(1_000_000_007n * BigInt(i + 1)), 1);
    });
    expect(table.row('bk\u0000unit-42', 3)).toBe(rows[42]);
    rows.forEach((first, i) => {
      const times = (i % 5) + 1;
      expect(table.figuresAt(first)).toBeUndefined();
      expect(table.figuresAt(first + 1)).toMatchObject({ submitted: times, approved: times, counted: times, benefitValue: 1_000_000_007n * BigInt(i + 1) * BigInt(times) });
      expect(table.dateReaching(first + 1, times)).toBe('2022-05-03');
    });
  });

  it('adds one row into another, and takes it out again to nothing', () => {
    const table = new FigureTable();
    const [from, into] = [table.row('a', 2), table.row('b', 2)];
    table.addContribution(from, approved(5n, '2022-04-01'), 1);
    table.addContribution(from, { ...approved(7n), status: 'submitted', counted: false }, 1);
    table.addSlot(into, table, from, 1);
    expect(table.figuresAt(into)).toMatchObject({ submitted: 2, approved: 1, pending: 1, counted: 1, benefitValue: 12n });
    table.addSlot(into, table, from, -1);
    expect(table.figuresAt(into)).toBeUndefined();
  });

  it('refuses a benefit total past 64 bits rather than wrap, leaving the figure as it was', () => {
    const table = new FigureTable();
    const slot = table.row('a', 1);
    table.addContribution(slot, approved(2n ** 63n - 2n), 1);
    expect(() => table.addContribution(slot, approved(5n), 1)).toThrow(RangeError);
    expect(table.figuresAt(slot)).toMatchObject({ submitted: 1, approved: 1, counted: 1, benefitValue: 2n ** 63n - 2n });
    expect(table.dateReaching(slot, 2)).toBeNull();
  });
});
