import { LocalDate } from '@app/domain';

/**
 * How many counted initiatives fall on each local date, in date order. Finding the date a quota
 * was reached walks the dates in order at every render of a row, and a province's row has hundreds
 * of dates. There is one of these per unit, phase and scope (about two million in the national
 * programme, most with a handful of dates), so they are kept as one flat array of numbers —
 * `[day, count, day, count, …]` with days as YYYYMMDD integers, ordered like the dates — instead of
 * a map per instance: a tenth of the memory, and a saved state restores them without parsing dates.
 */
export class DateCounts {
  private pairs: number[] = [];

  add(date: LocalDate, n: number): void {
    this.addDay(dayOf(date), n);
  }

  addAll(other: DateCounts, sign: 1 | -1): void {
    const pairs = other.pairs;
    for (let i = 0; i < pairs.length; i += 2) this.addDay(pairs[i], sign * pairs[i + 1]);
  }

  /** (date, count) pairs in date order. */
  entries(): [LocalDate, number][] {
    const entries: [LocalDate, number][] = [];
    for (let i = 0; i < this.pairs.length; i += 2) entries.push([dateOf(this.pairs[i]), this.pairs[i + 1]]);
    return entries;
  }

  static of(entries: readonly (readonly [LocalDate, number])[]): DateCounts {
    const counts = new DateCounts();
    for (const [date, n] of entries) counts.add(date, n);
    return counts;
  }

  /** `[day, count, …]` as held: what a saved projection state keeps. */
  encode(): readonly number[] {
    return this.pairs;
  }

  /** The inverse of encode(); refuses what encode() could not have produced. */
  static decode(pairs: readonly number[]): DateCounts {
    const counts = new DateCounts();
    for (let i = 0; i < pairs.length; i += 2) {
      if (!Number.isInteger(pairs[i]) || !Number.isInteger(pairs[i + 1]) || pairs[i + 1] === 0 || (i > 0 && pairs[i] <= pairs[i - 2])) {
        throw new RangeError('Not the encoding of date counts');
      }
    }
    counts.pairs = [...pairs];
    return counts;
  }

  /** The date on which the running count, in date order, first reaches `target`; null if it never does. */
  dateReaching(target: number): LocalDate | null {
    if (target <= 0) return null;
    let running = 0;
    for (let i = 0; i < this.pairs.length; i += 2) {
      running += this.pairs[i + 1];
      if (running >= target) return dateOf(this.pairs[i]);
    }
    return null;
  }

  private addDay(day: number, n: number): void {
    if (n === 0) return;
    const pairs = this.pairs;
    // Dates mostly arrive in order: look from the end.
    let i = pairs.length;
    while (i > 0 && pairs[i - 2] > day) i -= 2;
    if (i > 0 && pairs[i - 2] === day) {
      const next = pairs[i - 1] + n;
      if (next === 0) pairs.splice(i - 2, 2);
      else pairs[i - 1] = next;
    } else {
      this.pairs = withPairAt(pairs, i, day, n);
    }
  }
}

/**
 * A copy with (day, n) inserted at `i`, of exactly the length it needs: a push grows an array's
 * store by half again plus sixteen slots, so a unit's few dates took many times the room they
 * fill, over about two million of these. A new date is rare beside a count on a known one.
 */
function withPairAt(pairs: readonly number[], i: number, day: number, n: number): number[] {
  const next = new Array<number>(pairs.length + 2);
  for (let j = 0; j < i; j++) next[j] = pairs[j];
  next[i] = day;
  next[i + 1] = n;
  for (let j = i; j < pairs.length; j++) next[j + 2] = pairs[j];
  return next;
}

/** 2022-01-26 → 20220126: ordered as the dates are. */
function dayOf(date: LocalDate): number {
  return Number(date.slice(0, 4)) * 10_000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10));
}

function dateOf(day: number): LocalDate {
  const year = Math.floor(day / 10_000);
  const month = Math.floor(day / 100) % 100;
  return `${year}-${String(month).padStart(2, '0')}-${String(day % 100).padStart(2, '0')}` as LocalDate;
}
