import { DateCounts } from './date-counts';

/**
 * Counts for one set of initiatives (a unit's own, or a subtree's, in one phase or the whole
 * programme), as a row renders them and a saved state keeps them; the projection holds them in a
 * FigureTable. `countedByDate` holds how many counted initiatives fall on each local date, which is
 * what "the date the unit reached its quota" needs, and is small (one entry per day with activity).
 */
export interface Figures extends FigureCounters {
  countedByDate: DateCounts;
}

export interface FigureCounters {
  submitted: number;
  approved: number;
  pending: number;
  rejected: number;
  withdrawn: number;
  counted: number;
  benefitValue: bigint;
}

/** The counters of a unit with no figures yet. */
export const NO_COUNTERS: Readonly<FigureCounters> = Object.freeze({ submitted: 0, approved: 0, pending: 0, rejected: 0, withdrawn: 0, counted: 0, benefitValue: 0n });

/** counted ÷ quota as a percentage with one decimal, rounded half up in integer arithmetic: 1,539 ÷ 600 → 256.5. */
export function attainmentPercent(counted: number, quota: number): number | null {
  if (quota === 0) return null;
  const tenths = (BigInt(counted) * 2000n + BigInt(quota)) / (2n * BigInt(quota));
  return Number(tenths) / 10;
}
