/**
 * Every date a user sees is a Vietnam local date (Asia/Ho_Chi_Minh). Vietnam has kept UTC+7
 * without daylight saving since 1975, so the offset is a constant; using it avoids depending on
 * the ICU data of whatever Node build runs us.
 */
export type LocalDate = string & { readonly __brand: 'LocalDate' };

export const VIETNAM_UTC_OFFSET_MINUTES = 7 * 60;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const match = LOCAL_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function asLocalDate(value: string): LocalDate {
  if (!isLocalDate(value)) throw new RangeError(`Not a local date (YYYY-MM-DD): ${value}`);
  return value;
}

/** The Vietnam local date of an instant: 2022-05-31T20:00Z is 2022-06-01. */
export function localDateOf(instant: Date | string): LocalDate {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`Not an instant: ${String(instant)}`);
  return new Date(ms + VIETNAM_UTC_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10) as LocalDate;
}

export interface DateRange {
  from: LocalDate;
  to: LocalDate;
}

/** Inclusive at both ends, as the programme's documents write their ranges ("01/06/2022 – 31/12/2022"). */
export function isWithin(date: LocalDate, range: DateRange): boolean {
  return range.from <= date && date <= range.to;
}

export function overlaps(a: DateRange, b: DateRange): boolean {
  return a.from <= b.to && b.from <= a.to;
}
