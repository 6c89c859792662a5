import { LocalDate } from '@app/domain';
import { DateCountPool } from './date-count-pool';
import { DateCounts } from './date-counts';

const d = (s: string) => s as LocalDate;

function poolOf(slots: number): DateCountPool {
  const pool = new DateCountPool();
  pool.grow(slots);
  return pool;
}

describe('DateCountPool', () => {
  it('keeps a slot\'s dates in order whatever order they come in, and lets a date go when its count returns to zero', () => {
    const pool = poolOf(3);
    for (const date of ['2022-05-31', '2022-01-02', '2023-12-01', '2022-05-31', '2022-03-15']) pool.add(1, d(date), 1);
    pool.add(1, d('2022-03-15'), -1);
    expect(pool.countsOf(1).entries()).toEqual([
      ['2022-01-02', 1],
      ['2022-05-31', 2],
      ['2023-12-01', 1],
    ]);
    expect(pool.sizeOf(0)).toBe(0);
    expect(pool.sizeOf(2)).toBe(0);
  });

  it('finds the date the running count reaches a target, in date order', () => {
    const pool = poolOf(1);
    pool.add(0, d('2022-07-01'), 3);
    pool.add(0, d('2022-02-10'), 2);
    expect(pool.dateReaching(0, 2)).toBe('2022-02-10');
    expect(pool.dateReaching(0, 3)).toBe('2022-07-01');
    expect(pool.dateReaching(0, 6)).toBeNull();
    expect(pool.dateReaching(0, 0)).toBeNull();
  });

  it('adds and subtracts a whole slot, its own pool\'s or another\'s (a unit moving between subtrees)', () => {
    const pool = poolOf(2);
    pool.set(0, DateCounts.decode([20220101, 4, 20220201, 1]));
    const moved = poolOf(1);
    moved.set(0, DateCounts.decode([20220201, 1, 20220301, 2]));
    pool.addSlot(0, moved, 0, -1);
    expect(pool.countsOf(0).encode()).toEqual([20220101, 4, 20220301, -2]);
    pool.addSlot(0, moved, 0, 1);
    expect(pool.countsOf(0).encode()).toEqual([20220101, 4, 20220201, 1]);
    pool.addSlot(1, pool, 0, 1);
    pool.addSlot(1, pool, 0, 1);
    expect(pool.countsOf(1).encode()).toEqual([20220101, 8, 20220201, 2]);
    pool.addSlot(0, pool, 0, -1);
    expect(pool.sizeOf(0)).toBe(0);
  });

  it('holds every slot exactly as plain per-slot lists would, through the moves and compactions of thousands of additions', () => {
    const slots = 500;
    const pool = poolOf(slots);
    const model = Array.from({ length: slots }, () => new Map<number, number>());
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const dayFor = (i: number) => 20220101 + (i % 12) * 100 + (i % 28);
    for (let step = 0; step < 40_000; step++) {
      const slot = random(slots);
      if (step % 97 === 0) {
        // A whole slot into another, or out of it, as a move does.
        const from = random(slots);
        const sign = random(2) ? 1 : -1;
        pool.addSlot(slot, pool, from, sign);
        for (const [day, n] of [...model[from]]) model[slot].set(day, (model[slot].get(day) ?? 0) + sign * n);
      } else {
        const day = dayFor(random(1000));
        const n = random(3) ? 1 : -1;
        pool.add(slot, `${String(day).slice(0, 4)}-${String(day).slice(4, 6)}-${String(day).slice(6)}` as LocalDate, n);
        model[slot].set(day, (model[slot].get(day) ?? 0) + n);
      }
      for (const [day, n] of [...model[slot]]) if (n === 0) model[slot].delete(day);
    }
    model.forEach((counts, slot) => {
      const expected = [...counts].sort(([a], [b]) => a - b).flat();
      expect(pool.countsOf(slot).encode()).toEqual(expected);
      expect(pool.sizeOf(slot)).toBe(counts.size);
    });
  });
});
