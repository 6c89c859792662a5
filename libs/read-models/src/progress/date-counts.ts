import { LocalDate } from '@app/domain';

/**
 * How many counted initiatives fall on each local date, with the dates kept in order. Finding the
 * date a quota was reached walks the dates in order at every render of a row, and a province's row
 * has hundreds of dates: sorting them each time was the projection's largest cost. New dates are
 * rare once a phase is under way, so the order is recomputed only when a date appears or goes.
 */
export class DateCounts {
  private readonly counts = new Map<LocalDate, number>();
  private sorted: LocalDate[] | null = [];

  add(date: LocalDate, n: number): void {
    if (n === 0) return;
    const next = (this.counts.get(date) ?? 0) + n;
    if (next === 0) {
      this.counts.delete(date);
      this.sorted = null;
    } else {
      if (!this.counts.has(date)) this.sorted = null;
      this.counts.set(date, next);
    }
  }

  addAll(other: DateCounts, sign: 1 | -1): void {
    for (const [date, n] of other.counts) this.add(date, sign * n);
  }

  /** (date, count) pairs, in no particular order: what a saved projection state keeps. */
  entries(): [LocalDate, number][] {
    return [...this.counts];
  }

  static of(entries: readonly (readonly [LocalDate, number])[]): DateCounts {
    const counts = new DateCounts();
    for (const [date, n] of entries) counts.add(date, n);
    return counts;
  }

  /** The date on which the running count, in date order, first reaches `target`; null if it never does. */
  dateReaching(target: number): LocalDate | null {
    if (target <= 0) return null;
    this.sorted ??= [...this.counts.keys()].sort();
    let running = 0;
    for (const date of this.sorted) {
      running += this.counts.get(date)!;
      if (running >= target) return date;
    }
    return null;
  }
}
