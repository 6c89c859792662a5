import { LocalDate } from '@app/domain';

/**
 * How many counted initiatives fall on each local date, in date order, as a value: what a saved
 * projection state keeps of a slot's dated counts, and what a FigureTable hands out. It is one flat
 * array of numbers — `[day, count, …]` with days as YYYYMMDD integers, ordered like the dates — so a
 * saved state restores without parsing dates. The projection itself keeps them in a DateCountPool.
 */
export class DateCounts {
  private constructor(private readonly pairs: readonly number[]) {}

  /** (date, count) pairs in date order. */
  entries(): [LocalDate, number][] {
    const entries: [LocalDate, number][] = [];
    for (let i = 0; i < this.pairs.length; i += 2) entries.push([dateOf(this.pairs[i]), this.pairs[i + 1]]);
    return entries;
  }

  /** `[day, count, …]` as held: what a saved projection state keeps. */
  encode(): readonly number[] {
    return this.pairs;
  }

  /** Pairs as encode() gives them, known to be well formed (a DateCountPool's own); taken, not copied. */
  static ofPairs(pairs: readonly number[]): DateCounts {
    return new DateCounts(pairs);
  }

  /** The inverse of encode(); refuses what encode() could not have produced. */
  static decode(pairs: readonly number[]): DateCounts {
    for (let i = 0; i < pairs.length; i += 2) {
      if (!Number.isInteger(pairs[i]) || !Number.isInteger(pairs[i + 1]) || pairs[i + 1] === 0 || (i > 0 && pairs[i] <= pairs[i - 2])) {
        throw new RangeError('Not the encoding of date counts');
      }
    }
    return new DateCounts([...pairs]);
  }
}

/** 2022-01-26 → 20220126: ordered as the dates are. */
export function dayOf(date: LocalDate): number {
  return Number(date.slice(0, 4)) * 10_000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10));
}

export function dateOf(day: number): LocalDate {
  const year = Math.floor(day / 10_000);
  const month = Math.floor(day / 100) % 100;
  return `${year}-${String(month).padStart(2, '0')}-${String(day % 100).padStart(2, '0')}` as LocalDate;
}
